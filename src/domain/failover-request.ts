import * as z from 'zod';
import { policySchema, regionSchema, slackSchema, trafficSchema, type AppConfig, type RegionConfig } from './config.js';
import { InputValidationError } from './errors.js';
import { parseWith } from './validation.js';

/*
 * The input of a failover execution: everything the workflow needs, resolved from the
 * configuration by the trigger when it decided to act. Carrying the resolved slice (not just the
 * app name) makes each execution's input a self-contained record of what was decided and why.
 */

export const triggerSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('alarm'),
    alarmName: z.string().min(1).max(255),
    alarmRegion: z.string().max(32).optional(),
    stateChangeTime: z.string().max(64),
    reason: z.string().max(1024),
    delivery: z.string().max(32),
  }),
  z.object({
    kind: z.literal('manual'),
    actor: z.string().min(1).max(256),
    reason: z.string().min(1).max(1024),
  }),
]);

export const failoverRequestSchema = z.object({
  incidentId: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/),
  executionName: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/),
  mode: z.enum(['failover', 'drill']),
  app: z.string().min(1).max(40),
  trigger: triggerSchema,
  requestedAt: z.iso.datetime({ offset: true }),
  from: regionSchema,
  to: regionSchema,
  /** Where to go instead, in priority order, if `to` fails preflight (empty when an operator named the target). */
  alternatives: z.array(regionSchema).max(16).default([]),
  policy: policySchema,
  slack: slackSchema,
  /** How ShiftTraffic moves traffic (records, or the health-check gates). */
  route53: trafficSchema.prefault({}),
});

export type Trigger = z.output<typeof triggerSchema>;
export type FailoverRequest = z.output<typeof failoverRequestSchema>;

/**
 * Validates a step's input at the edge; extra fields (earlier steps' results) pass through untouched.
 * `root` names where the request sits in a larger input (`request`, `snapshot`), so paths say so.
 */
export function parseFailoverRequest(input: unknown, root = ''): FailoverRequest {
  const at = (path: string) => (root ? `${root}.${path}` : path);
  const result = parseWith(failoverRequestSchema, input, root);
  if (!result.ok) throw new InputValidationError(result.issues, 'failover request');
  if (result.value.from.name === result.value.to.name) {
    throw new InputValidationError([{ path: at('to.name'), message: `must differ from from.name (${result.value.from.name})` }], 'failover request');
  }
  const misplaced = result.value.alternatives.findIndex((region) => region.name === result.value.from.name || region.name === result.value.to.name);
  if (misplaced >= 0) {
    throw new InputValidationError([{ path: at(`alternatives[${misplaced}].name`), message: 'must differ from from.name and to.name' }], 'failover request');
  }
  return result.value;
}

/**
 * The regions that could take over when `failing` fails, in the app's priority order. The first is
 * the proposed target; preflight moves on to the next when one cannot take the traffic.
 */
export function targetCandidates(app: AppConfig, failing: string): RegionConfig[] {
  return app.regions.filter((region) => region.name !== failing);
}

export function buildFailoverRequest(args: {
  app: AppConfig;
  from: RegionConfig;
  to: RegionConfig;
  alternatives?: RegionConfig[];
  trigger: Trigger;
  mode: 'failover' | 'drill';
  executionName: string;
  requestedAt: Date;
}): FailoverRequest {
  return {
    incidentId: args.executionName,
    executionName: args.executionName,
    mode: args.mode,
    app: args.app.name,
    trigger: args.trigger,
    requestedAt: args.requestedAt.toISOString(),
    from: args.from,
    to: args.to,
    alternatives: args.alternatives ?? [],
    policy: args.app.policy,
    slack: args.app.slack,
    route53: args.app.route53,
  };
}

/** Who acted: the alarm that fired, or the operator who asked. */
export function actorOf(request: FailoverRequest): string {
  return request.trigger.kind === 'alarm' ? `alarm:${request.trigger.alarmName}` : `user:${request.trigger.actor}`;
}
