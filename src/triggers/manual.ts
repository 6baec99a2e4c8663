import { randomUUID } from 'node:crypto';
import * as z from 'zod';
import { InputValidationError, LockHeldError } from '../domain/errors.js';
import { buildFailoverRequest, type FailoverRequest } from '../domain/failover-request.js';
import { manualExecutionName } from '../domain/names.js';
import { parseWith } from '../domain/validation.js';
import { manualActingRegion } from './acting-region.js';
import { admit } from './admission.js';
import { startHoldingLock, type TriggerDeps } from './on-alarm.js';

export const manualRequestSchema = z.strictObject({
  app: z.string().min(1).max(40),
  to: z.string().min(1).max(32),
  /** Defaults to the highest-priority region other than `to`. */
  from: z.string().min(1).max(32).optional(),
  mode: z.enum(['failover', 'drill']),
  reason: z.string().trim().min(3, 'say why (at least 3 characters)').max(1024),
  /** Makes a retried request idempotent: the same id never starts a second execution. */
  requestId: z.string().regex(/^[A-Za-z0-9_.:-]{1,128}$/).optional(),
});

export type ManualRequest = z.output<typeof manualRequestSchema>;

/** Validates a manual request against the schema and the configuration: unknown apps and regions name the field. */
export function resolveManualRequest(deps: Pick<TriggerDeps, 'config' | 'clock'>, body: unknown, actor: string): FailoverRequest {
  // IAM ARNs with paths can be long; the workflow keeps at most 256 characters of who asked.
  if (actor.length === 0 || actor.length > 256) throw new InputValidationError([{ path: 'actor', message: `must be 1-256 characters (got ${actor.length})` }], 'manual failover request');
  const parsed = parseWith(manualRequestSchema, body);
  if (!parsed.ok) throw new InputValidationError(parsed.issues, 'manual failover request');
  const input = parsed.value;
  const app = deps.config.apps.find((candidate) => candidate.name === input.app);
  if (!app) throw new InputValidationError([{ path: 'app', message: `unknown app ${JSON.stringify(input.app)} (known: ${deps.config.apps.map((a) => a.name).join(', ')})` }], 'manual failover request');
  const regionNames = app.regions.map((r) => r.name).join(', ');
  const to = app.regions.find((r) => r.name === input.to);
  if (!to) throw new InputValidationError([{ path: 'to', message: `${JSON.stringify(input.to)} is not a region of ${app.name} (${regionNames})` }], 'manual failover request');
  const from = input.from === undefined ? app.regions.find((r) => r.name !== to.name) : app.regions.find((r) => r.name === input.from);
  if (!from) throw new InputValidationError([{ path: 'from', message: `${JSON.stringify(input.from)} is not a region of ${app.name} (${regionNames})` }], 'manual failover request');
  if (from.name === to.name) throw new InputValidationError([{ path: 'to', message: `must differ from from (${from.name})` }], 'manual failover request');
  const requestId = input.requestId ?? randomUUID();
  return buildFailoverRequest({
    app,
    from,
    to,
    mode: input.mode,
    executionName: manualExecutionName(input.mode, app.name, to.name, requestId),
    requestedAt: deps.clock.now(),
    trigger: { kind: 'manual', actor, reason: input.reason },
  });
}

/** Starts the failover or drill an operator asked for. */
export async function onManualRequest(deps: TriggerDeps, body: unknown, actor: string, deliveryId: string) {
  const request = resolveManualRequest(deps, body, actor);
  const here = manualActingRegion(deps, request.app, request.to.name);
  if (!here.acts) throw new InputValidationError([{ path: 'to', message: here.message }], 'manual failover request');
  const admission = await admit(deps, request, deliveryId);
  if (!admission.admitted) throw new LockHeldError(admission.reason);
  const { executionArn, alreadyStarted } = await startHoldingLock(deps, request, admission.tookLock);
  deps.log(alreadyStarted ? 'manual request already started' : 'manual request started', { incidentId: request.incidentId, app: request.app, mode: request.mode, actor });
  return { incidentId: request.incidentId, executionName: request.executionName, executionArn, alreadyStarted, app: request.app, from: request.from.name, to: request.to.name, mode: request.mode };
}
