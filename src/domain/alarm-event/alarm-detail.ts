/**
 * The alarm description EventBridge (`detail`) and Lambda alarm actions (`alarmData`) share: the same
 * `state`, `previousState`, `configuration` objects, documented in the CloudWatch user guide.
 */
import * as z from 'zod';
import type { FieldIssue } from '../errors.js';
import {
  MAX_REASON,
  alarmName,
  cleanText,
  formatPath,
  plainText,
  reasonText,
  stateValue,
  timestamp,
  type PathSegment,
} from './fields.js';
import type { ActionsSuppression, AlarmKind, AlarmMetric, AlarmTransition } from './types.js';

const metricSchema = z.object({
  namespace: plainText(255).optional(),
  name: plainText(255).optional(),
  dimensions: z.record(plainText(255), plainText(1024)).optional(),
});

const metricQuerySchema = z.object({
  expression: z.string().optional(),
  metricStat: z.object({ metric: metricSchema }).optional(),
});

export const alarmDetailSchema = z.object({
  alarmName,
  state: z.object({
    value: stateValue,
    reason: reasonText,
    timestamp,
    actionsSuppressedBy: plainText(64).optional(),
  }),
  previousState: z.object({ value: stateValue }).optional(),
  configuration: z.object({
    alarmRule: z.string().optional(),
    metrics: z.array(metricQuerySchema).optional(),
  }),
  muteDetail: z.object({ mutedByArn: plainText(1600), muteWindowStart: timestamp.optional(), muteWindowEnd: timestamp.optional() }).optional(),
});

export type AlarmDetail = z.infer<typeof alarmDetailSchema>;

/** The part of a transition the detail alone decides; the envelope adds ARN, account, region, delivery. */
export type DetailFields = Pick<
  AlarmTransition,
  'alarmName' | 'state' | 'previousState' | 'stateChangeTime' | 'reason' | 'kind' | 'metric' | 'actionsSuppressed'
>;

const ANOMALY_BAND = /ANOMALY_DETECTION_BAND\s*\(/i;

export function isAnomalyBand(expression: string | undefined): boolean {
  return expression !== undefined && ANOMALY_BAND.test(expression);
}

/** Reads the detail; an alarm whose configuration names neither rule nor metrics is reported under `base`. */
export function detailFields(
  detail: AlarmDetail,
  base: readonly PathSegment[],
): { ok: true; fields: DetailFields } | { ok: false; issues: FieldIssue[] } {
  const kind = kindOf(detail.configuration);
  if (kind === undefined) {
    return {
      ok: false,
      issues: [
        {
          path: formatPath([...base, 'configuration']),
          message: 'expected alarmRule (composite alarm) or a non-empty metrics list (metric alarm)',
        },
      ],
    };
  }
  const metric = kind === 'composite' ? undefined : singleMetric(detail.configuration.metrics ?? []);
  const actionsSuppressed = suppressionOf(detail);
  return {
    ok: true,
    fields: {
      alarmName: detail.alarmName,
      state: detail.state.value,
      ...(detail.previousState ? { previousState: detail.previousState.value } : {}),
      stateChangeTime: detail.state.timestamp,
      reason: cleanText(detail.state.reason, MAX_REASON),
      kind,
      ...(metric ? { metric } : {}),
      ...(actionsSuppressed ? { actionsSuppressed } : {}),
    },
  };
}

function kindOf(configuration: AlarmDetail['configuration']): AlarmKind | undefined {
  if (configuration.alarmRule !== undefined) return 'composite';
  const metrics = configuration.metrics ?? [];
  if (metrics.length === 0) return undefined;
  if (metrics.some((query) => isAnomalyBand(query.expression))) return 'anomaly-detection';
  if (metrics.some((query) => query.expression !== undefined)) return 'metric-math';
  return 'metric';
}

/** The one metric an alarm watches; math over several metrics has no single metric to report. */
function singleMetric(metrics: NonNullable<AlarmDetail['configuration']['metrics']>): AlarmMetric | undefined {
  const stats = metrics.flatMap((query) => (query.metricStat ? [query.metricStat.metric] : []));
  const [only] = stats;
  if (stats.length !== 1 || only === undefined) return undefined;
  return {
    ...(only.namespace !== undefined ? { namespace: only.namespace } : {}),
    ...(only.name !== undefined ? { name: only.name } : {}),
    ...(only.dimensions !== undefined ? { dimensions: Object.fromEntries(Object.entries(only.dimensions)) } : {}),
  };
}

function suppressionOf(detail: AlarmDetail): ActionsSuppression | undefined {
  if (detail.state.actionsSuppressedBy !== undefined) {
    return { cause: 'actions-suppressor', detail: detail.state.actionsSuppressedBy };
  }
  const mute = detail.muteDetail;
  // A mute rule silences the transitions inside its window; one outside it (AWS's own samples pair a
  // 2019 transition with a 2026 window) is not muted.
  if (mute !== undefined && withinWindow(detail.state.timestamp, mute.muteWindowStart, mute.muteWindowEnd)) {
    return { cause: 'mute-rule', detail: mute.mutedByArn };
  }
  return undefined;
}

function withinWindow(at: string, start: string | undefined, end: string | undefined): boolean {
  const time = Date.parse(at);
  return (start === undefined || Date.parse(start) <= time) && (end === undefined || time <= Date.parse(end));
}
