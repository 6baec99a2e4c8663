import * as z from 'zod';
import type { SlackMessage } from '../ports/notifier.js';
import type { WeightedRecord } from '../ports/dns.js';
import { failbackSchema, policySchema, regionSchema, slackSchema } from './config.js';
import { InputValidationError } from './errors.js';
import { triggerSchema } from './failover-request.js';
import { escapeMrkdwn } from './slack-message.js';
import { parseWith } from './validation.js';
import { refuseAllZero } from './weights.js';

/*
 * Failback: traffic returns from the standby that took over (`from`) to the original primary
 * (`to`), in steps of the active weight, each verified before the next. Where the weights of each
 * step are decided.
 */

const incidentId = z.string().regex(/^[A-Za-z0-9_-]{1,80}$/);

export const failbackRequestSchema = z.object({
  incidentId,
  executionName: incidentId,
  /** `failback` on its own; `drill` when it ends a drill (then it shares the drill's incident and trail). */
  mode: z.enum(['failback', 'drill']),
  app: z.string().min(1).max(40),
  trigger: triggerSchema,
  requestedAt: z.iso.datetime({ offset: true }),
  /** The region serving now, which traffic leaves. */
  from: regionSchema,
  /** The original primary, which traffic returns to. */
  to: regionSchema,
  policy: policySchema,
  slack: slackSchema,
  failback: failbackSchema,
  /** The incident whose trail recorded the standby's sizes before it was promoted (for scaleDownStandby). */
  promotedIn: incidentId.optional(),
  /** Where the workflow is: the step to shift next, and whether all are done. */
  progress: z.object({ index: z.number().int().min(0).max(10), done: z.boolean() }).default({ index: 0, done: false }),
});

export type FailbackRequest = z.output<typeof failbackRequestSchema>;

/** Validates a failback step's input at the edge; extra fields (earlier steps' results) pass through. */
export function parseFailbackRequest(input: unknown): FailbackRequest {
  const result = parseWith(failbackRequestSchema, input);
  if (!result.ok) throw new InputValidationError(result.issues, 'failback request');
  if (result.value.from.name === result.value.to.name) throw new InputValidationError([{ path: 'to.name', message: `must differ from from.name (${result.value.from.name})` }], 'failback request');
  return result.value;
}

/** The primary's share of the active weight at step `index` (a percentage, 100 at the last). */
export function stepPercent(request: Pick<FailbackRequest, 'failback'>, index: number): number {
  const percent = request.failback.steps[index];
  if (percent === undefined) throw new RangeError(`failback step ${index} does not exist (${request.failback.steps.length} steps)`);
  return percent;
}

/**
 * The weights after a failback step: the primary gets `percent` of the active weight (rounded, at
 * least 1 so the step sends some traffic), the standby the rest; other records keep theirs. Never
 * every record at 0 (unless the policy allows it). `changes` only lists records that differ.
 */
export function failbackWeights(
  records: readonly WeightedRecord[],
  primarySetId: string,
  standbySetId: string,
  activeWeight: number,
  percent: number,
  allowAllZero = false,
): { before: Record<string, number>; after: Record<string, number>; changes: WeightedRecord[] } {
  const primary = percent >= 100 ? activeWeight : Math.min(activeWeight, Math.max(1, Math.round((activeWeight * percent) / 100)));
  const desired = new Map([
    [primarySetId, primary],
    [standbySetId, activeWeight - primary],
  ]);
  for (const setId of desired.keys()) {
    if (!records.some((r) => r.setIdentifier === setId)) throw new InputValidationError([{ path: 'records', message: `no weighted record with SetIdentifier ${setId}` }], 'failback plan');
  }
  const before = Object.fromEntries(records.map((r) => [r.setIdentifier, r.weight]));
  const after = { ...before, ...Object.fromEntries(desired) };
  refuseAllZero(after, records[0]?.name ?? 'the name', allowAllZero);
  const changes = records.filter((r) => desired.has(r.setIdentifier) && desired.get(r.setIdentifier) !== r.weight).map((r) => ({ ...r, weight: desired.get(r.setIdentifier)! }));
  return { before, after, changes };
}

export type FailbackEvent = 'started' | 'step' | 'succeeded' | 'failed';

/** The Slack message of a failback event. */
export function buildFailbackMessage(request: FailbackRequest, event: FailbackEvent, detail: string): SlackMessage {
  const icon = { started: ':arrows_counterclockwise:', step: ':arrow_right:', succeeded: ':white_check_mark:', failed: ':x:' }[event];
  const title = { started: 'Failback started', step: 'Failback step verified', succeeded: 'Failback succeeded', failed: 'Failback failed' }[event];
  const drill = request.mode === 'drill' ? ' (drill)' : '';
  const line = `${icon} *${title}${drill}*: ${escapeMrkdwn(request.app)} ${request.from.name} → ${request.to.name}`;
  return {
    text: `${title}${drill}: ${request.app} ${request.from.name} -> ${request.to.name}: ${detail}`.slice(0, 3000),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: line } },
      { type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(detail).slice(0, 2900) } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `steps ${request.failback.steps.join(' → ')} % · incident \`${escapeMrkdwn(request.incidentId)}\`` }] },
    ],
  };
}
