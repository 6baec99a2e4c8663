import { InvariantViolatedError, ResourceNotFoundError } from './errors.js';
import type { WeightedRecord } from '../ports/dns.js';

export interface WeightPlan {
  /** Complete record sets to UPSERT; empty when the weights already are as desired. */
  changes: WeightedRecord[];
  before: Record<string, number>;
  after: Record<string, number>;
}

/**
 * Where the weights of an app's records are decided: the failing region's record goes to 0 and
 * the target's to the active weight; records of other regions keep theirs. Only records whose
 * weight differs are changed.
 */
export function planWeights(
  records: readonly WeightedRecord[],
  failingSetIdentifier: string,
  targetSetIdentifier: string,
  activeWeight: number,
  allowAllZero = false,
): WeightPlan {
  const bySetId = new Map(records.map((record) => [record.setIdentifier, record]));
  for (const setId of [failingSetIdentifier, targetSetIdentifier]) {
    if (!bySetId.has(setId)) throw new ResourceNotFoundError(`no weighted record with SetIdentifier ${setId} (found: ${[...bySetId.keys()].join(', ') || 'none'})`);
  }
  const desired = new Map<string, number>([
    [failingSetIdentifier, 0],
    [targetSetIdentifier, activeWeight],
  ]);
  const before = Object.fromEntries(records.map((r) => [r.setIdentifier, r.weight]));
  const after = { ...before, ...Object.fromEntries(desired) };
  refuseAllZero(after, records[0]?.name ?? 'the name', allowAllZero);
  const changes = records
    .filter((record) => desired.has(record.setIdentifier) && desired.get(record.setIdentifier) !== record.weight)
    .map((record) => ({ ...record, weight: desired.get(record.setIdentifier)! }));
  return { changes, before, after };
}

/** True when every record in `after` has the weight the plan wants. */
export function weightsSatisfy(records: readonly WeightedRecord[], wanted: Record<string, number>): boolean {
  const actual = new Map(records.map((r) => [r.setIdentifier, r.weight]));
  return Object.entries(wanted).every(([setId, weight]) => actual.get(setId) === weight);
}

/**
 * Route 53 answers with every record of a name whose weights are all 0, failing regions included:
 * that is never a failover, so such a plan is refused unless the app's policy allows it.
 */
export function refuseAllZero(weights: Record<string, number>, name: string, allowed: boolean): void {
  const values = Object.values(weights);
  if (!allowed && values.length > 0 && values.every((weight) => weight === 0)) {
    throw new InvariantViolatedError(`refusing to leave every weighted record of ${name} at weight 0 (policy.allowAllWeightsZero is false)`);
  }
}
