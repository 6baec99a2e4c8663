import { sealOf } from '../domain/audit-chain.js';
import { LockHeldError } from '../domain/errors.js';
import type { FailoverRequest } from '../domain/failover-request.js';
import type { HeldLock } from '../ports/locks.js';
import { audit, type StepDeps } from './deps.js';

/**
 * Takes the app's failover lock before anything changes (the trigger usually took it already; then
 * this renews it). Another incident holding it means this one is a duplicate: LockHeldError, which
 * the workflow treats as "already handled", not as a failure.
 */
export async function acquireLock(deps: StepDeps, request: FailoverRequest): Promise<{ lock: HeldLock }> {
  const leaseSeconds = request.policy.lockLeaseMinutes * 60;
  const result = await deps.locks.acquire(request.app, { incidentId: request.incidentId, executionName: request.executionName }, leaseSeconds, deps.clock.now());
  if (!result.acquired) {
    const { heldBy } = result;
    await audit(deps, request, { step: 'AcquireLock', intent: `take the failover lock of ${request.app}`, outcome: 'Collapsed', after: heldBy, error: `held by incident ${heldBy.incidentId}` });
    throw new LockHeldError(`${request.app} is already failing over in incident ${heldBy.incidentId} (lease until ${heldBy.leaseExpiresAt})`);
  }
  // The first record of an incident says what was asked, by whom, when, and against which targets,
  // so a report built from the trail alone (lifeboat report) never depends on today's config.
  const asked = {
    mode: request.mode,
    app: request.app,
    from: request.from.name,
    to: request.to.name,
    alternatives: request.alternatives.map((region) => region.name),
    trigger: request.trigger,
    requestedAt: request.requestedAt,
    policy: { rpoMinutes: request.policy.rpoMinutes, rtoMinutes: request.policy.rtoMinutes },
  };
  await audit(deps, request, { step: 'AcquireLock', intent: `take the failover lock of ${request.app}`, outcome: 'LockAcquired', change: { request: asked }, after: result.lock });
  return { lock: result.lock };
}

/**
 * Releases the lock at the end of the workflow. When traffic moved, a cooldown starts: automatic
 * failovers of the app are suppressed for a while, and never move it back to the region it left
 * (failback is a deliberate, manual act).
 */
export async function releaseLock(
  deps: StepDeps,
  request: FailoverRequest & { shift?: unknown; compensation?: { compensated?: boolean } },
  outcome: 'succeeded' | 'failed',
): Promise<{ released: true; cooldownUntil: string | null }> {
  const now = deps.clock.now();
  let cooldownUntil: string | null = null;
  const shifted = request.shift !== undefined && request.shift !== null;
  // Compensated: traffic is back where it was, so the active region stays; the cooldown still
  // applies, or the next alarm would send traffic straight back to the target that just failed.
  const trafficMoved = shifted && request.compensation?.compensated !== true;
  if (trafficMoved) await deps.locks.setActiveRegion(request.app, request.to.name, request.incidentId, now);
  if (shifted && request.policy.cooldownMinutes > 0) {
    cooldownUntil = new Date(now.getTime() + request.policy.cooldownMinutes * 60_000).toISOString();
    await deps.locks.startCooldown({ app: request.app, incidentId: request.incidentId, failedAwayFrom: request.from.name, until: cooldownUntil });
  }
  // Seal the receipts of the triggers this incident absorbed into its chain, so they are tamper-evident too.
  const receipts = await deps.audit.readReceipts(request.incidentId);
  if (receipts.length > 0) {
    await audit(deps, request, { step: 'ReleaseLock', intent: `seal the ${receipts.length} trigger receipts of ${request.incidentId}`, outcome: 'Sealed', after: sealOf(receipts) });
  }
  await deps.locks.release(request.app, request.incidentId);
  await audit(deps, request, { step: 'ReleaseLock', intent: `release the failover lock of ${request.app} (${outcome})`, outcome: 'LockReleased', after: { cooldownUntil } });
  return { released: true, cooldownUntil };
}
