import { InvalidChangeError } from './errors.js';
import type { WeightedRecord } from '../ports/dns.js';

/*
 * Where an evacuation's Route 53 changes are cut into ChangeResourceRecordSets requests. A request
 * may hold at most 100 Change elements, 1,000 ResourceRecord elements and 32,000 characters across
 * all Value elements, and an UPSERT counts twice toward the last two (Route 53 API reference,
 * ChangeResourceRecordSets; Developer Guide, "Quotas"). One app's changes are a group that is never
 * split: the failing region's weight 0 and the target's active weight land in the same batch, so
 * Route 53's all-or-nothing rule still holds per app, as it does for a single failover.
 */

export interface BatchLimits {
  maxChanges: number;
  maxResourceRecords: number;
  maxValueCharacters: number;
}

export const ROUTE53_BATCH_LIMITS: Readonly<BatchLimits> = { maxChanges: 100, maxResourceRecords: 1000, maxValueCharacters: 32_000 };

/** The changes of one app (complete record sets to UPSERT), kept together. */
export interface ChangeGroup {
  key: string;
  records: WeightedRecord[];
}

export interface BatchCost {
  changes: number;
  resourceRecords: number;
  valueCharacters: number;
}

/** One ChangeResourceRecordSets request: the groups it carries, in order, and what it counts against the limits. */
export interface ChangeBatch {
  hostedZoneId: string;
  keys: string[];
  records: WeightedRecord[];
  cost: BatchCost;
}

/** What UPSERTing these records counts against the per-request limits (UPSERT counts twice for records and characters). */
export function upsertCost(records: readonly WeightedRecord[]): BatchCost {
  let resourceRecords = 0;
  let valueCharacters = 0;
  for (const record of records) {
    const values = record.values ?? [];
    resourceRecords += 2 * values.length;
    valueCharacters += 2 * values.reduce((sum, value) => sum + value.length, 0);
  }
  return { changes: records.length, resourceRecords, valueCharacters };
}

function fits(cost: BatchCost, limits: BatchLimits): boolean {
  return cost.changes <= limits.maxChanges && cost.resourceRecords <= limits.maxResourceRecords && cost.valueCharacters <= limits.maxValueCharacters;
}

function add(a: BatchCost, b: BatchCost): BatchCost {
  return { changes: a.changes + b.changes, resourceRecords: a.resourceRecords + b.resourceRecords, valueCharacters: a.valueCharacters + b.valueCharacters };
}

/**
 * Coalesces the groups of one hosted zone into as few requests as the limits allow (first fit, in
 * key order, so the same plan always gives the same batches). Empty groups are dropped. A group
 * that alone exceeds a limit cannot be applied atomically at all: InvalidChangeError names it.
 */
export function batchChanges(hostedZoneId: string, groups: readonly ChangeGroup[], limits: BatchLimits = ROUTE53_BATCH_LIMITS): ChangeBatch[] {
  const batches: ChangeBatch[] = [];
  const ordered = groups.filter((group) => group.records.length > 0).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  for (const group of ordered) {
    const cost = upsertCost(group.records);
    if (!fits(cost, limits)) {
      throw new InvalidChangeError(
        `the changes of ${group.key} in ${hostedZoneId} exceed one ChangeResourceRecordSets request (${cost.changes} changes, ${cost.resourceRecords} records, ${cost.valueCharacters} characters; limits ${limits.maxChanges}, ${limits.maxResourceRecords}, ${limits.maxValueCharacters})`,
      );
    }
    const batch = batches.find((candidate) => fits(add(candidate.cost, cost), limits));
    if (batch) {
      batch.keys.push(group.key);
      batch.records.push(...group.records);
      batch.cost = add(batch.cost, cost);
    } else {
      batches.push({ hostedZoneId, keys: [group.key], records: [...group.records], cost });
    }
  }
  return batches;
}
