import { InvariantViolatedError } from '../domain/errors.js';
import type { FailoverRequest } from '../domain/failover-request.js';
import { refuseAllZero } from '../domain/weights.js';
import { audit, type StepDeps } from './deps.js';

export interface CompensationResult {
  /** True when the weights are back where they were before this incident changed them. */
  compensated: boolean;
  weights: Record<string, number> | null;
  changeId: string | null;
}

/**
 * After traffic moved and the target then failed (sync or verification), put the weights back to
 * the last good state: the `before` of this incident's own ShiftTraffic change in the audit trail.
 * The promoted cluster is left up (scaling down is a decision for people). No recorded change
 * means traffic never moved, and there is nothing to undo.
 */
export async function compensateTraffic(deps: StepDeps, request: FailoverRequest): Promise<CompensationResult> {
  const { hostedZoneId, recordName, recordType } = request.to.route53;
  const trail = await deps.audit.read(request.incidentId);
  const change = trail.find((r) => r.step === 'ShiftTraffic' && r.outcome === 'ChangeRequested');
  const lastGood = change?.before as Record<string, number> | undefined;
  if (!lastGood) return { compensated: false, weights: null, changeId: null };

  const current = await deps.dns.readWeightedRecords(hostedZoneId, recordName, recordType);
  const changes = current.filter((r) => r.setIdentifier in lastGood && r.weight !== lastGood[r.setIdentifier]).map((r) => ({ ...r, weight: lastGood[r.setIdentifier]! }));
  const before = Object.fromEntries(current.map((r) => [r.setIdentifier, r.weight]));
  try {
    // The state before the incident may itself have been unsafe (every record at 0): never restore that.
    refuseAllZero({ ...before, ...lastGood }, recordName, request.policy.allowAllWeightsZero);
  } catch (error) {
    if (!(error instanceof InvariantViolatedError)) throw error;
    await audit(deps, request, { step: 'CompensateTraffic', intent: `return ${recordName} to the last good weights`, outcome: 'Refused', before, error: `${error.message}; traffic stays where it is` });
    throw error;
  }
  if (changes.length === 0) {
    // Already back (a retry after the change went through): make sure the trail says so, once.
    if (!trail.some((r) => r.outcome === 'Compensated')) {
      await audit(deps, request, { step: 'CompensateTraffic', intent: `return ${recordName} to the last good weights`, outcome: 'Compensated', before, after: lastGood });
    }
    return { compensated: true, weights: lastGood, changeId: null };
  }
  const { changeId } = await deps.dns.upsertRecords(hostedZoneId, changes, `lifeboat ${request.incidentId}: compensation, back to the last good weights`);
  await audit(deps, request, { step: 'CompensateTraffic', intent: `return ${recordName} to the last good weights`, outcome: 'Compensated', before, change: { changeId, weights: lastGood }, after: lastGood });
  return { compensated: true, weights: lastGood, changeId };
}
