import { LockHeldError, NotConvergedError, VerificationFailedError } from '../domain/errors.js';
import type { FailoverRequest } from '../domain/failover-request.js';
import { audit, type StepDeps } from './deps.js';
import { observePrimaryHealth, regionProblems } from './failback.js';

/**
 * The drill's hold: traffic stays on the standby for `holdMinutes`, verified at every call (its
 * alarms not in ALARM, its health check healthy), while the primary's health is observed so the
 * failback's healthy-for clock has already run. Waiting is NotConvergedError (the workflow's Retry
 * comes back every minute); a verification failure ends the hold at once (VerificationFailedError:
 * the drill fails back to the primary early). The app's lock is held for the whole hold.
 */
export async function holdAndVerify(deps: StepDeps, request: FailoverRequest, holdMinutes: number): Promise<{ heldSeconds: number }> {
  const now = deps.clock.now();
  const lock = await deps.locks.acquire(request.app, { incidentId: request.incidentId, executionName: request.executionName }, request.policy.lockLeaseMinutes * 60, now);
  if (!lock.acquired) throw new LockHeldError(`${request.app} is locked by incident ${lock.heldBy.incidentId}: the drill stops holding`);
  const trail = await deps.audit.read(request.incidentId);
  const intent = `hold ${request.app} on ${request.to.name} for ${holdMinutes} min, verifying`;
  const started = trail.find((r) => r.step === 'HoldVerify' && r.outcome === 'InProgress');
  const since = started ? Date.parse(started.at) : now.getTime();
  if (!started) await audit(deps, request, { step: 'HoldVerify', intent, outcome: 'InProgress', after: { until: new Date(since + holdMinutes * 60_000).toISOString() } });
  const { problems, alarms, healthCheck } = await regionProblems(deps, request.to);
  await observePrimaryHealth(deps, request, request.from);
  const heldSeconds = Math.floor((now.getTime() - since) / 1000);
  if (problems.length > 0) {
    await audit(deps, request, { step: 'HoldVerify', intent, outcome: 'Failed', after: { heldSeconds, alarms, healthCheck }, error: problems.join('; ') });
    throw new VerificationFailedError(`${request.to.name} failed during the hold after ${heldSeconds} s: ${problems.join('; ')}`);
  }
  if (heldSeconds < holdMinutes * 60) throw new NotConvergedError(`holding on ${request.to.name}: ${heldSeconds} s of ${holdMinutes * 60} s`);
  await audit(deps, request, { step: 'HoldVerify', intent, outcome: 'Passed', after: { heldSeconds, alarms, healthCheck } });
  return { heldSeconds };
}
