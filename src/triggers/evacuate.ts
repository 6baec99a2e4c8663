import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import type { LifeboatConfig } from '../domain/config.js';
import { InputValidationError } from '../domain/errors.js';
import { DEFAULT_EVACUATION_CONCURRENCY, evacuationName, planEvacuation, type EvacuationInput } from '../domain/evacuation.js';
import { fitsOneEvacuation } from '../domain/evacuation-capacity.js';
import { parseWith } from '../domain/validation.js';
import type { Clock } from '../ports/clock.js';
import type { Executions } from '../ports/executions.js';
import type { Locks } from '../ports/locks.js';

export const evacuationRequestSchema = z.strictObject({
  region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'must be an AWS region code like eu-west-1'),
  mode: z.enum(['failover', 'drill']),
  reason: z.string().trim().min(3, 'say why (at least 3 characters)').max(1024),
  /** Makes a retried request idempotent: the same id never starts a second evacuation. */
  requestId: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/).optional(),
  /** Apps prepared at once (the Map states' MaxConcurrency). */
  maxConcurrency: z.number().int().min(1).max(1000).optional(),
});

export type EvacuationRequest = z.output<typeof evacuationRequestSchema>;

export interface EvacuationTriggerDeps {
  config: LifeboatConfig;
  clock: Clock;
  locks: Pick<Locks, 'activeRegions'>;
  executions: Executions;
  /** The evacuation state machine (statemachines/evacuation.asl.json). */
  stateMachineArn: string;
  log: (message: string, data: Record<string, unknown>) => void;
}

export interface EvacuationStarted {
  evacuationId: string;
  executionName: string;
  executionArn: string;
  alreadyStarted: boolean;
  region: string;
  mode: 'failover' | 'drill';
  apps: string[];
  skipped: { app: string; reason: string }[];
}

/**
 * An operator's "region R is failing" (or a drill of it): one execution of the evacuation state
 * machine, named from the request id, for every app whose traffic is in R; apps present in R
 * whose traffic is elsewhere are listed as skipped. The operator's request is the approval the
 * blast-radius limit waits for (it limits alarms, not people), so no limit applies here. Each app
 * takes its own lock inside the evacuation, so an app already failing over in another incident
 * is reported as such there, not refused here.
 */
export async function onEvacuationRequest(deps: EvacuationTriggerDeps, body: unknown, actor: string): Promise<EvacuationStarted> {
  if (actor.length === 0 || actor.length > 256) throw new InputValidationError([{ path: 'actor', message: `must be 1-256 characters (got ${actor.length})` }], 'evacuation request');
  const parsed = parseWith(evacuationRequestSchema, body);
  if (!parsed.ok) throw new InputValidationError(parsed.issues, 'evacuation request');
  const request = parsed.value;
  const present = deps.config.apps.filter((app) => app.regions.some((r) => r.name === request.region));
  if (present.length === 0) {
    const known = [...new Set(deps.config.apps.flatMap((app) => app.regions.map((r) => r.name)))].join(', ');
    throw new InputValidationError([{ path: 'region', message: `no app runs in ${request.region} (regions: ${known})` }], 'evacuation request');
  }
  const active = await deps.locks.activeRegions(present.map((app) => app.name));
  const name = evacuationName(request.mode, request.region, request.requestId ?? randomUUID());
  const plan = planEvacuation(deps.config, request.region, name, active);
  const input: EvacuationInput = {
    evacuation: { evacuationId: name, region: request.region, mode: request.mode, requestedAt: deps.clock.now().toISOString(), trigger: { kind: 'manual', actor, reason: request.reason } },
    maxConcurrency: request.maxConcurrency ?? DEFAULT_EVACUATION_CONCURRENCY,
    ...plan,
  };
  // Refused here, with nothing started, rather than failing the execution with States.DataLimitExceeded at its Snapshot.
  const capacity = fitsOneEvacuation(deps.config, input);
  if (!capacity.fits) {
    const perApp = capacity.bytes / Math.max(1, plan.items.length);
    throw new InputValidationError(
      [{ path: 'region', message: `${plan.items.length} apps to move out of ${request.region} need about ${Math.round(capacity.bytes / 1024)} KiB of workflow state, more than one evacuation carries (${Math.round(capacity.limit / 1024)} KiB of Step Functions' 256 KiB): about ${Math.floor(capacity.limit / perApp)} apps of this fleet fit; nothing was started: fail the apps over one by one with the manual failover trigger` }],
      'evacuation request',
    );
  }
  const { executionArn, alreadyStarted } = await deps.executions.start(deps.stateMachineArn, name, input);
  deps.log(alreadyStarted ? 'evacuation already started' : 'evacuation started', { evacuationId: name, region: request.region, mode: request.mode, apps: plan.items.length, skipped: plan.skipped.length, actor });
  return { evacuationId: name, executionName: name, executionArn, alreadyStarted, region: request.region, mode: request.mode, apps: plan.items.map((i) => i.app), skipped: plan.skipped };
}
