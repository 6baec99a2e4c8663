import { InvalidChangeError, InvariantViolatedError, NotConvergedError, ResourceNotFoundError } from '../domain/errors.js';
import type { EvacuationItem } from '../domain/evacuation.js';
import type { FailoverRequest } from '../domain/failover-request.js';
import { carryTokens, route53Budget, type CarriedTokens } from '../domain/rate-limit.js';
import { batchChanges, type ChangeGroup } from '../domain/route53-batching.js';
import { planWeights, type WeightPlan } from '../domain/weights.js';
import type { AuditRecord } from '../ports/audit.js';
import { auditApp, auditEvacuation, inBatches, recordsOf, requestsOf, type EvacuationDeps, type EvacuationState } from './evacuation-deps.js';
import { carriedShift, type CarriedShift } from './evacuation-carried-shift.js';
import { observeHealth, readZone, recordsNamed, type HealthSnapshot } from './evacuation-observe.js';

/** A shifted evacuation item: its shift, or why its traffic did not move. */
export type ShiftedItem = EvacuationItem & { shift?: CarriedShift; shiftError?: { Error: string; Cause: string } };

interface Submitted {
  zone: string;
  changeId: string;
  apps: Record<string, { before: Record<string, number>; after: Record<string, number> }>;
}

const AUDIT_CONCURRENCY = 25;

/** Per-app refusals are recorded and carried, never thrown: one app's problem must not hold the others. */
const PER_APP_ERRORS = [ResourceNotFoundError, InvariantViolatedError, InvalidChangeError];

/**
 * Moves the traffic of every prepared app of an evacuation with as few Route 53 requests as the
 * API allows. Per hosted zone, per invocation: read the zone (the actual weights, so a change that
 * already went through is never sent again), plan each app's weights with `planWeights` (the
 * all-zero invariant included), check its target is healthy right before the change, coalesce
 * every app's changes into batches (`batchChanges`: an app's changes are never split), and submit
 * one batch. Route 53 allows one request in flight per zone and five requests a second per
 * account: when this invocation's budget is spent, it records its progress and throws
 * NotConvergedError, and the state machine comes back a second later for the next batch. Each
 * app's own trail gets its ShiftTraffic record, naming the batch's change id.
 */
export async function shiftEvacuation(deps: EvacuationDeps, state: EvacuationState): Promise<EvacuationState> {
  const header = state.evacuation;
  const prepared = state.items.filter((item) => item.prepared === true);
  const requests = requestsOf(deps.config, header, prepared);
  const trail = await deps.audit.read(header.evacuationId);
  const progress = readProgress(trail);
  await auditBatchesOnce(deps, requests, progress);

  const byZone = new Map<string, FailoverRequest[]>();
  for (const request of requests.values()) {
    const zone = request.to.route53.hostedZoneId;
    byZone.set(zone, [...(byZone.get(zone) ?? []), request]);
  }
  const inBatch = new Set(progress.submitted.flatMap((batch) => Object.keys(batch.apps)));
  const pendingZones = [...byZone.keys()].filter((zone) => !progress.zonesDone.has(zone)).sort();
  const budget = route53Budget(deps.clock.now(), deps.route53RequestsPerSecond, state.route53Tokens as CarriedTokens | undefined);

  // Health of every target still to move, checked right before the change (CloudWatch in bulk).
  const targets = pendingZones.flatMap((zone) => byZone.get(zone)!.filter((r) => !inBatch.has(r.app) && !progress.refused[r.app]).map((r) => r.to.route53.healthCheckId));
  const health = await observeHealth(deps, targets, budget, progress.health);
  if (health.missing.length > 0) {
    await auditEvacuation(deps, header, { step: 'ShiftHealth', intent: 'check the targets are healthy before the change', outcome: 'InProgress', change: { health: newOnly(health.verdicts, progress.health) }, after: { left: health.missing.length } });
    throw new NotConvergedError(`target health: ${health.missing.length} health checks left for the next second (CloudWatch ${health.cloudWatch})`);
  }

  const leftover: string[] = [];
  for (const zone of pendingZones) {
    if (budget.available(deps.clock.now()) < 2) {
      leftover.push(zone);
      continue;
    }
    const records = await readZone(deps, zone, budget);
    if (!records) {
      leftover.push(zone);
      continue;
    }
    const plans = new Map<string, WeightPlan>();
    const converged: Record<string, Record<string, number>> = {};
    const refused: Record<string, { Error: string; Cause: string }> = {};
    for (const request of byZone.get(zone)!) {
      if (progress.refused[request.app] || inBatch.has(request.app)) continue;
      const { recordName, recordType } = request.to.route53;
      try {
        const plan = planWeights(recordsNamed(records, recordName, recordType), request.from.route53.setIdentifier, request.to.route53.setIdentifier, request.policy.activeWeight, request.policy.allowAllWeightsZero);
        if (plan.changes.length === 0) {
          converged[request.app] = plan.before;
          continue;
        }
        const target = health.verdicts[request.to.route53.healthCheckId];
        if (!target?.healthy) {
          throw new InvariantViolatedError(`target health check ${request.to.route53.healthCheckId} is failing (${describeHealth(target)}): traffic not moved`);
        }
        plans.set(request.app, plan);
      } catch (error) {
        if (!PER_APP_ERRORS.some((type) => error instanceof type)) throw error;
        refused[request.app] = { Error: (error as Error).name, Cause: (error as Error).message };
      }
    }
    await recordRefusals(deps, header, zone, requests, refused, records);
    const groups: ChangeGroup[] = [...plans].map(([app, plan]) => ({ key: app, records: plan.changes }));
    const batches = batchChanges(zone, groups);
    if (batches.length > 0) {
      if (!budget.tryTake(deps.clock.now())) {
        leftover.push(zone);
        continue;
      }
      const batch = batches[0]!;
      const comment = `lifeboat ${header.evacuationId}: ${batch.keys.length} apps out of ${header.region}`;
      const { changeId } = await deps.dns.upsertRecords(zone, batch.records, comment);
      const apps = Object.fromEntries(batch.keys.map((app) => [app, { before: plans.get(app)!.before, after: plans.get(app)!.after }]));
      const submitted: Submitted = { zone, changeId, apps };
      await auditEvacuation(deps, header, { step: 'ShiftZone', intent: `change ${batch.keys.length} apps' weights in ${zone}`, outcome: 'ChangeRequested', change: { ...submitted, cost: batch.cost, batchesLeft: batches.length - 1 } });
      await auditBatch(deps, requests, submitted);
      await auditEvacuation(deps, header, { step: 'ShiftAudit', intent: `record change ${changeId} in each app's trail`, outcome: 'Converged', change: { changeId } });
      progress.submitted.push(submitted);
      if (batches.length > 1) {
        leftover.push(zone);
        continue;
      }
    }
    await auditConverged(deps, requests, converged);
    await auditEvacuation(deps, header, { step: 'ShiftZone', intent: `every app's weights in ${zone} as planned`, outcome: 'Converged', change: { zone, alreadyConverged: converged } });
    Object.assign(progress.converged, converged);
    progress.zonesDone.add(zone);
    Object.assign(progress.refused, refused);
  }
  if (leftover.length > 0) {
    throw new NotConvergedError(`Route 53: ${leftover.length} hosted zones still to change (${leftover.join(', ')}); next batch in a second`);
  }

  const items: ShiftedItem[] = state.items.map((item) => {
    if (item.prepared !== true) return item;
    const batch = progress.submitted.find((b) => item.app in b.apps);
    if (batch) return { ...item, shift: carriedShift(batch.changeId, batch.apps[item.app]!.before, batch.apps[item.app]!.after) };
    if (progress.converged[item.app]) return { ...item, shift: carriedShift(null, progress.converged[item.app]!, progress.converged[item.app]!) };
    return { ...item, shiftError: progress.refused[item.app] ?? { Error: 'InvariantViolatedError', Cause: `${item.app}: no shift was planned` } };
  });
  const changeIds = progress.submitted.map((b) => b.changeId);
  if (!recordsOf(trail, 'ShiftAll', 'Passed').length) {
    await auditEvacuation(deps, header, {
      step: 'ShiftAll',
      intent: `move ${requests.size} apps' traffic out of ${header.region}`,
      outcome: 'Passed',
      after: { changeIds, batches: progress.submitted.map((b) => ({ zone: b.zone, changeId: b.changeId, apps: Object.keys(b.apps).length })), refused: Object.keys(progress.refused), alreadyConverged: Object.keys(progress.converged) },
    });
  }
  return { ...state, items, changeIds, route53Tokens: carryTokens(budget, deps.clock.now()) };
}

interface Progress {
  submitted: Submitted[];
  zonesDone: Set<string>;
  converged: Record<string, Record<string, number>>;
  refused: Record<string, { Error: string; Cause: string }>;
  health: Record<string, HealthSnapshot>;
  audited: Set<string>;
}

function readProgress(trail: readonly AuditRecord[]): Progress {
  const progress: Progress = { submitted: [], zonesDone: new Set(), converged: {}, refused: {}, health: {}, audited: new Set() };
  for (const record of trail) {
    const change = record.change as Record<string, unknown> | undefined;
    if (record.step === 'ShiftZone' && record.outcome === 'ChangeRequested') progress.submitted.push(change as unknown as Submitted);
    if (record.step === 'ShiftZone' && record.outcome === 'Converged') {
      progress.zonesDone.add(change!.zone as string);
      Object.assign(progress.converged, change!.alreadyConverged);
    }
    if (record.step === 'ShiftZone' && record.outcome === 'Refused') Object.assign(progress.refused, change!.apps);
    if (record.step === 'ShiftHealth') Object.assign(progress.health, change!.health);
    if (record.step === 'ShiftAudit') progress.audited.add(change!.changeId as string);
  }
  return progress;
}

/** A batch whose per-app records were not all written (a crash between the change and them): write the missing ones. */
async function auditBatchesOnce(deps: EvacuationDeps, requests: Map<string, FailoverRequest>, progress: Progress): Promise<void> {
  for (const batch of progress.submitted.filter((b) => !progress.audited.has(b.changeId))) {
    await auditBatch(deps, requests, batch, true);
  }
}

async function auditBatch(deps: EvacuationDeps, requests: Map<string, FailoverRequest>, batch: Submitted, checkFirst = false): Promise<void> {
  await inBatches(Object.entries(batch.apps), AUDIT_CONCURRENCY, async ([app, weights]) => {
    const request = requests.get(app);
    if (!request) return;
    if (checkFirst) {
      const trail = await deps.audit.read(request.incidentId);
      if (trail.some((r) => r.step === 'ShiftTraffic' && r.outcome === 'ChangeRequested' && (r.change as { changeId?: string }).changeId === batch.changeId)) return;
    }
    await auditApp(deps, request, {
      step: 'ShiftTraffic',
      intent: `shift ${request.to.route53.recordName} ${request.to.route53.recordType} from ${request.from.name} to ${request.to.name}`,
      outcome: 'ChangeRequested',
      before: weights.before,
      change: { changeId: batch.changeId, weights: weights.after, batchOf: Object.keys(batch.apps).length },
      after: weights.after,
    });
  });
}

async function auditConverged(deps: EvacuationDeps, requests: Map<string, FailoverRequest>, converged: Record<string, Record<string, number>>): Promise<void> {
  await inBatches(Object.entries(converged), AUDIT_CONCURRENCY, async ([app, weights]) => {
    const request = requests.get(app)!;
    await auditApp(deps, request, { step: 'ShiftTraffic', intent: `shift ${request.to.route53.recordName} ${request.to.route53.recordType} from ${request.from.name} to ${request.to.name}`, outcome: 'AlreadyConverged', before: weights, after: weights });
  });
}

async function recordRefusals(
  deps: EvacuationDeps,
  header: EvacuationState['evacuation'],
  zone: string,
  requests: Map<string, FailoverRequest>,
  refused: Record<string, { Error: string; Cause: string }>,
  records: Parameters<typeof recordsNamed>[0],
): Promise<void> {
  if (Object.keys(refused).length === 0) return;
  await inBatches(Object.entries(refused), AUDIT_CONCURRENCY, async ([app, error]) => {
    const request = requests.get(app)!;
    const before = Object.fromEntries(recordsNamed(records, request.to.route53.recordName, request.to.route53.recordType).map((r) => [r.setIdentifier, r.weight]));
    await auditApp(deps, request, { step: 'ShiftTraffic', intent: `shift ${request.to.route53.recordName} ${request.to.route53.recordType} from ${request.from.name} to ${request.to.name}`, outcome: 'Refused', before, error: error.Cause });
  });
  await auditEvacuation(deps, header, { step: 'ShiftZone', intent: `plan the weights in ${zone}`, outcome: 'Refused', change: { zone, apps: refused } });
}

function newOnly<T>(all: Record<string, T>, known: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(all).filter(([id]) => !(id in known)));
}

function describeHealth(verdict: HealthSnapshot | undefined): string {
  if (!verdict) return 'no status';
  if (verdict.totalCheckers !== undefined) return `${verdict.healthyCheckers}/${verdict.totalCheckers} checkers healthy`;
  return `HealthCheckStatus ${verdict.healthy ? 1 : 0} in CloudWatch`;
}
