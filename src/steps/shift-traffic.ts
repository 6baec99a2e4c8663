import { InvariantViolatedError, NotConvergedError } from '../domain/errors.js';
import { healthVerdict } from '../domain/health.js';
import type { FailoverRequest } from '../domain/failover-request.js';
import { planWeights, weightsSatisfy } from '../domain/weights.js';
import { audit, type StepDeps } from './deps.js';
import { shiftTrafficDataPlane } from './shift-traffic-data-plane.js';

export interface ShiftResult {
  /** The Route 53 change to wait for; null when the weights were already where they should be. */
  changeId: string | null;
  before: Record<string, number>;
  after: Record<string, number>;
}

/**
 * Moves traffic: the failing region's weighted record to 0, the target's to the active weight, in
 * one ChangeResourceRecordSets batch (both or neither). Already-converged weights change nothing.
 * With `route53.strategy: health-checks` the health-check gates move it instead; when the record
 * change keeps failing, the state machine falls back to them (./shift-traffic-data-plane.ts).
 */
export async function shiftTraffic(deps: StepDeps, request: FailoverRequest): Promise<ShiftResult> {
  if (request.route53.strategy === 'health-checks') return shiftTrafficDataPlane(deps, request, { kind: 'strategy' });
  const { from, to, policy } = request;
  const { hostedZoneId, recordName, recordType } = to.route53;
  const records = await deps.dns.readWeightedRecords(hostedZoneId, recordName, recordType);
  const plan = planWeights(records, from.route53.setIdentifier, to.route53.setIdentifier, policy.activeWeight, policy.allowAllWeightsZero);
  const intent = `shift ${recordName} ${recordType} from ${from.name} to ${to.name}`;
  if (plan.changes.length === 0) {
    // Converged already. If this incident made the change (a retry after the result was lost), the
    // audit trail has its id, so the workflow still waits for it to reach every name server.
    const changeId = await changeMadeEarlier(deps, request.incidentId);
    await audit(deps, request, { step: 'ShiftTraffic', intent, outcome: 'AlreadyConverged', before: plan.before, after: plan.before, change: changeId ? { changeId } : undefined });
    return { changeId, before: plan.before, after: plan.before };
  }
  // Checked again right before the change: the target may have degraded since Preflight.
  const target = healthVerdict(await deps.healthChecks.observe(to.route53.healthCheckId));
  if (!target.healthy) {
    const reason = `target health check ${to.route53.healthCheckId} is failing (${target.healthyCheckers}/${target.totalCheckers} checkers healthy): traffic not moved`;
    await audit(deps, request, { step: 'ShiftTraffic', intent, outcome: 'Refused', before: plan.before, error: reason });
    throw new InvariantViolatedError(reason);
  }
  const { changeId } = await deps.dns.upsertRecords(hostedZoneId, plan.changes, `lifeboat ${request.incidentId}: ${from.name} -> ${to.name}`);
  const observed = await deps.dns.readWeightedRecords(hostedZoneId, recordName, recordType);
  if (!weightsSatisfy(observed, plan.after)) throw new NotConvergedError(`weights of ${recordName} not yet as planned after change ${changeId}`);
  await audit(deps, request, { step: 'ShiftTraffic', intent, outcome: 'ChangeRequested', before: plan.before, change: { changeId, weights: plan.after }, after: plan.after });
  return { changeId, before: plan.before, after: plan.after };
}

/** Waits (by throwing NotConvergedError) until Route 53 reports the change INSYNC on its name servers. */
export async function awaitTrafficSync(deps: StepDeps, request: FailoverRequest, changeId: string | null): Promise<{ changeId: string | null; status: 'INSYNC' }> {
  if (changeId === null) return { changeId, status: 'INSYNC' };
  const status = await deps.dns.changeStatus(changeId);
  if (status !== 'INSYNC') throw new NotConvergedError(`Route 53 change ${changeId} is ${status}`);
  await audit(deps, request, { step: 'AwaitTrafficSync', intent: `change ${changeId} propagated`, outcome: 'Converged', after: { changeId, status } });
  return { changeId, status };
}

async function changeMadeEarlier(deps: StepDeps, incidentId: string): Promise<string | null> {
  const records = await deps.audit.read(incidentId);
  const made = records.filter((r) => r.step === 'ShiftTraffic' && r.outcome === 'ChangeRequested').at(-1);
  const changeId = (made?.change as { changeId?: unknown } | undefined)?.changeId;
  return typeof changeId === 'string' ? changeId : null;
}
