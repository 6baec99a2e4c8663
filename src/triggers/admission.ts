import { actorOf, type FailoverRequest } from '../domain/failover-request.js';
import { buildSuppressedMessage } from '../domain/slack-message.js';
import type { Audit } from '../ports/audit.js';
import type { Clock } from '../ports/clock.js';
import type { Cooldown, HeldLock, Locks } from '../ports/locks.js';
import type { Notifier } from '../ports/notifier.js';

export interface AdmissionDeps {
  locks: Locks;
  audit: Audit;
  notifier: Notifier;
  clock: Clock;
  log: (message: string, data: Record<string, unknown>) => void;
}

export type Admission =
  | { admitted: true; /** true when this call took the lock (so a failed start must give it back). */ tookLock: boolean }
  | { admitted: false; reason: string; incidentId: string };

/**
 * Decides whether a failover request may start: one failover per app at a time, and after a
 * completed one, a cooldown during which automatic failovers are suppressed. The lock is taken
 * here, before StartExecution, so an alarm storm (several alarms, repeated deliveries, SNS and
 * EventBridge copies) yields one execution; every collapsed or suppressed trigger is recorded in
 * the audit trail of the incident that absorbed it (as a receipt per delivery, sealed into the
 * chain when that incident's workflow ends). Manual requests skip the cooldown: they are
 * the deliberate act the cooldown waits for.
 *
 * `observed` is what the caller read moments ago (the alarm trigger reads an app's state in one
 * round trip): a cooldown seen in force is still in force if its end is still ahead (cooldowns
 * are only ever extended), so it is used as is; without one, the cooldown is read again right
 * before the lock is taken, so one that has just started is never missed.
 */
export async function admit(deps: AdmissionDeps, request: FailoverRequest, deliveryId: string, observed?: { cooldown?: Cooldown }): Promise<Admission> {
  const now = deps.clock.now();
  const actor = actorOf(request);
  const delivery = deliveryOf(request);
  const intent = intentOf(request);

  if (request.trigger.kind === 'alarm') {
    const seen = observed?.cooldown && Date.parse(observed.cooldown.until) > now.getTime() ? observed.cooldown : undefined;
    const cooldown = seen ?? (await deps.locks.cooldown(request.app, now));
    if (cooldown) {
      const reason = `cooldown after incident ${cooldown.incidentId} until ${cooldown.until}: automatic failover suppressed (failback and new failovers are manual until then)`;
      await deps.audit.acknowledge({ incidentId: cooldown.incidentId, step: 'Trigger', actor, intent, outcome: 'Suppressed', change: { wouldBeIncident: request.incidentId, ...delivery }, error: reason, at: now.toISOString() }, deliveryId);
      if (await deps.locks.markCooldownNotified(request.app, cooldown.incidentId)) {
        try {
          await deps.notifier.post(request.slack.webhook, buildSuppressedMessage(request, cooldown, now));
        } catch (error) {
          deps.log('suppression notice not delivered', { app: request.app, error: (error as Error).message });
        }
      }
      return { admitted: false, reason, incidentId: cooldown.incidentId };
    }
  }

  const lease = request.policy.lockLeaseMinutes * 60;
  const result = await deps.locks.acquire(request.app, { incidentId: request.incidentId, executionName: request.executionName }, lease, now);
  if (result.acquired) return { admitted: true, tookLock: !result.renewed };
  if (result.heldBy.incidentId === request.incidentId) return { admitted: true, tookLock: false }; // a redelivery of the same transition
  return collapse(deps, request, deliveryId, result.heldBy);
}

/**
 * Admission decided by a lock the caller has just seen held (a strongly consistent read at this
 * delivery, with no cooldown in force): the holder is this very transition (an earlier copy took
 * the lock, so it also passed the blast-radius limit, which is asked before the lock), or another
 * incident, which absorbs this one. Neither needs the lock written again, which in an alarm storm
 * is most deliveries. If the holder releases between that read and now, the delivery is still
 * recorded as collapsed into it: the transition happened during that incident.
 */
export async function admitUnderLock(deps: AdmissionDeps, request: FailoverRequest, deliveryId: string, heldBy: HeldLock): Promise<Admission> {
  if (heldBy.incidentId === request.incidentId) return { admitted: true, tookLock: false };
  return collapse(deps, request, deliveryId, heldBy);
}

/** Records the delivery in the trail of the incident holding the app's lock; nothing else changes. */
async function collapse(deps: AdmissionDeps, request: FailoverRequest, deliveryId: string, heldBy: HeldLock): Promise<Admission> {
  const reason = `collapsed into incident ${heldBy.incidentId}, which is failing ${request.app} over since ${heldBy.acquiredAt}`;
  await deps.audit.acknowledge({ incidentId: heldBy.incidentId, step: 'Trigger', actor: actorOf(request), intent: intentOf(request), outcome: 'Collapsed', change: { wouldBeIncident: request.incidentId, ...deliveryOf(request) }, at: deps.clock.now().toISOString() }, deliveryId);
  return { admitted: false, reason, incidentId: heldBy.incidentId };
}

/** Which copy of the trigger this was: redeliveries through different channels are separate records. */
function deliveryOf(request: FailoverRequest) {
  return request.trigger.kind === 'alarm' ? { delivery: request.trigger.delivery, stateChangeTime: request.trigger.stateChangeTime } : { delivery: 'manual' };
}

const intentOf = (request: FailoverRequest) => `fail ${request.app} over from ${request.from.name} to ${request.to.name}`;
