/**
 * An SNS event whose records each carry a CloudWatch alarm notification, as a JSON string in
 * `Sns.Message` (`AlarmName`, `NewStateValue`, `StateChangeTime`, `Trigger` or `AlarmRule`, ...).
 */
import * as z from 'zod';
import type { FieldIssue } from '../errors.js';
import { isAnomalyBand } from './alarm-detail.js';
import {
  MAX_REASON,
  alarmArnParts,
  alarmName,
  check,
  cleanText,
  describe,
  fail,
  formatPath,
  plainText,
  reasonText,
  stateValue,
  timestamp,
  type PathSegment,
} from './fields.js';
import type { AlarmKind, AlarmMetric, AlarmTransition } from './types.js';

/** SNS messages are at most 256 KB; anything longer did not come from SNS, so we do not parse it. */
const MAX_SNS_MESSAGE = 262_144;

const envelopeSchema = z.object({
  Records: z
    .array(
      z.object({
        EventSource: z.literal('aws:sns'),
        Sns: z.object({ Message: z.string().max(MAX_SNS_MESSAGE) }),
      }),
    )
    .min(1),
});

// CloudWatch writes dimensions as `{ "value": ..., "name": ... }`; the API's `Name`/`Value` is accepted too.
const dimensionSchema = z
  .object({
    name: plainText(255).optional(),
    value: plainText(1024).optional(),
    Name: plainText(255).optional(),
    Value: plainText(1024).optional(),
  })
  .transform((dimension) => ({ name: dimension.name ?? dimension.Name, value: dimension.value ?? dimension.Value }))
  .pipe(z.object({ name: z.string(), value: z.string() }));

const metricSchema = z.object({
  MetricName: plainText(255).nullish(),
  Namespace: plainText(255).nullish(),
  Dimensions: z.array(dimensionSchema).nullish(),
});

const triggerSchema = metricSchema.extend({
  Metrics: z
    .array(z.object({ Expression: z.string().nullish(), MetricStat: z.object({ Metric: metricSchema }).nullish() }))
    .nullish(),
  ThresholdMetricId: plainText(255).nullish(),
});

const notificationSchema = z.object({
  AlarmName: alarmName,
  AlarmArn: plainText(1600).nullish(),
  AWSAccountId: plainText(64).nullish(),
  NewStateValue: stateValue,
  NewStateReason: reasonText,
  StateChangeTime: timestamp,
  OldStateValue: stateValue.nullish(),
  AlarmRule: z.string().nullish(),
  Trigger: triggerSchema.nullish(),
});

type Notification = z.infer<typeof notificationSchema>;
type Trigger = z.infer<typeof triggerSchema>;
type Read = { ok: true; transition: AlarmTransition } | { ok: false; issues: FieldIssue[] };

/** One transition per record; every bad record is reported, by index, before anything is returned. */
export function parseSnsEvent(event: unknown): AlarmTransition[] {
  const envelope = check(envelopeSchema, event, []);
  if (!envelope.ok) fail(envelope.issues);
  const issues: FieldIssue[] = [];
  const transitions: AlarmTransition[] = [];
  envelope.data.Records.forEach((record, index) => {
    const read = readNotification(record.Sns.Message, ['Records', index, 'Sns', 'Message']);
    if (read.ok) transitions.push(read.transition);
    else issues.push(...read.issues);
  });
  if (issues.length > 0) fail(issues);
  return transitions;
}

function readNotification(message: string, base: readonly PathSegment[]): Read {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return { ok: false, issues: [{ path: formatPath(base), message: 'not valid JSON' }] };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    const problem = `expected a JSON object (a CloudWatch alarm notification), got ${describe(parsed)}`;
    return { ok: false, issues: [{ path: formatPath(base), message: problem }] };
  }
  const checked = check(notificationSchema, parsed, base);
  if (!checked.ok) return checked;
  const notification = checked.data;

  const kind = kindOf(notification);
  if (kind === undefined) {
    const path = formatPath(notification.Trigger ? [...base, 'Trigger'] : base);
    const problem = notification.Trigger
      ? 'expected MetricName (metric alarm) or Metrics (metric math or anomaly detection alarm)'
      : 'expected Trigger (metric alarm) or AlarmRule (composite alarm)';
    return { ok: false, issues: [{ path, message: problem }] };
  }

  const arn = alarmArnParts(notification.AlarmArn ?? undefined);
  const accountId = notification.AWSAccountId ?? arn.accountId;
  const metric = kind === 'composite' || !notification.Trigger ? undefined : singleMetric(notification.Trigger);
  return {
    ok: true,
    transition: {
      alarmName: notification.AlarmName,
      ...(notification.AlarmArn ? { alarmArn: notification.AlarmArn } : {}),
      ...(accountId ? { accountId } : {}),
      // `Region` is a display name ("US East (N. Virginia)"); only the ARN gives the region code.
      ...(arn.region ? { alarmRegion: arn.region } : {}),
      state: notification.NewStateValue,
      ...(notification.OldStateValue ? { previousState: notification.OldStateValue } : {}),
      stateChangeTime: notification.StateChangeTime,
      reason: cleanText(notification.NewStateReason, MAX_REASON),
      kind,
      delivery: 'sns',
      ...(metric ? { metric } : {}),
    },
  };
}

function kindOf(notification: Notification): AlarmKind | undefined {
  if (notification.AlarmRule != null) return 'composite';
  const trigger = notification.Trigger;
  if (!trigger) return undefined;
  const metrics = trigger.Metrics ?? [];
  if (trigger.ThresholdMetricId || metrics.some((query) => isAnomalyBand(query.Expression ?? undefined))) {
    return 'anomaly-detection';
  }
  if (metrics.length > 0) return 'metric-math';
  if (trigger.MetricName) return 'metric';
  return undefined;
}

/** The one metric an alarm watches: the trigger itself, or the only `MetricStat` among its queries. */
function singleMetric(trigger: Trigger): AlarmMetric | undefined {
  const queries = trigger.Metrics ?? [];
  const metrics =
    queries.length > 0 ? queries.flatMap((query) => (query.MetricStat ? [query.MetricStat.Metric] : [])) : [trigger];
  const [only] = metrics;
  if (metrics.length !== 1 || only === undefined) return undefined;
  return {
    ...(only.Namespace ? { namespace: only.Namespace } : {}),
    ...(only.MetricName ? { name: only.MetricName } : {}),
    ...(only.Dimensions ? { dimensions: dimensionRecord(only.Dimensions) } : {}),
  };
}

// Zod drops a `__proto__` key from the records it parses (EventBridge, Lambda action); do the same here.
function dimensionRecord(dimensions: readonly { name: string; value: string }[]): Record<string, string> {
  return Object.fromEntries(
    dimensions
      .filter((dimension) => dimension.name !== '__proto__')
      .map((dimension) => [dimension.name, dimension.value]),
  );
}
