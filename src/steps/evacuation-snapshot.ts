import { NotConvergedError } from '../domain/errors.js';
import { carryTokens, route53Budget, type CarriedTokens } from '../domain/rate-limit.js';
import type { FailoverRequest } from '../domain/failover-request.js';
import { auditEvacuation, recordsOf, requestsOf, type EvacuationDeps, type EvacuationState } from './evacuation-deps.js';
import { observeHealth, readZones, type HealthSnapshot } from './evacuation-observe.js';

/** What an app's preflight needs from Route 53, observed once for the whole evacuation. */
export interface AppSnapshot {
  /** The app's weighted records (its name and type), by set identifier. */
  weights: Record<string, number>;
  /** Every candidate region's health check. */
  health: Record<string, HealthSnapshot>;
  observedAt: string;
}

type ZoneWeights = Record<string, Record<string, number>>;

const key = (name: string, type: string) => `${name.toLowerCase().replace(/\.?$/, '.')}|${type}`;

/**
 * Observes Route 53 once for every app of the evacuation instead of twice per app: each hosted zone
 * read whole (one paginated ListResourceRecordSets), and every candidate's health check through
 * CloudWatch in bulk (see `observeHealth`). Spends at most Route 53's request rate per invocation;
 * what it could not read yet is left for the next invocation (a Retry a second later), with what
 * it did read recorded in the evacuation's trail so nothing is read twice. The first invocation
 * also records the plan: which apps move, which were skipped and why.
 */
export async function snapshotEvacuation(deps: EvacuationDeps, state: EvacuationState): Promise<EvacuationState> {
  const header = state.evacuation;
  const trail = await deps.audit.read(header.evacuationId);
  if (trail.length === 0) {
    await auditEvacuation(deps, header, {
      step: 'Evacuate',
      intent: `${header.mode === 'drill' ? 'drill: ' : ''}move every app out of ${header.region}`,
      outcome: 'InProgress',
      change: { apps: state.items.map((item) => item.app), skipped: state.skipped, maxConcurrency: state.maxConcurrency, requestedAt: header.requestedAt },
    });
  }
  const requests = requestsOf(deps.config, header, state.items);
  const candidates = (request: FailoverRequest) => [request.to, ...request.alternatives];
  const zoneIds = [...new Set([...requests.values()].flatMap((r) => [r.from, ...candidates(r)].map((region) => region.route53.hostedZoneId)))].sort();
  const healthIds = [...new Set([...requests.values()].flatMap((r) => candidates(r).map((region) => region.route53.healthCheckId)))];
  const wantedNames = new Set([...requests.values()].flatMap((r) => [r.from, ...candidates(r)].map((region) => key(region.route53.recordName, region.route53.recordType))));

  // What earlier invocations of this step already observed.
  const zones: Record<string, ZoneWeights> = {};
  let health: Record<string, HealthSnapshot> = {};
  for (const record of recordsOf(trail, 'Snapshot', 'InProgress')) {
    const change = record.change as { zones?: Record<string, ZoneWeights>; health?: Record<string, HealthSnapshot> };
    Object.assign(zones, change.zones ?? {});
    health = { ...health, ...(change.health ?? {}) };
  }

  const budget = route53Budget(deps.clock.now(), deps.route53RequestsPerSecond, state.route53Tokens as CarriedTokens | undefined);
  const read = await readZones(deps, zoneIds.filter((zoneId) => !(zoneId in zones)), budget);
  const readNow: Record<string, ZoneWeights> = {};
  for (const [zoneId, records] of read.zones) {
    const weights: ZoneWeights = {};
    for (const record of records) {
      const name = key(record.name, record.type);
      if (wantedNames.has(name)) (weights[name] ??= {})[record.setIdentifier] = record.weight;
    }
    readNow[zoneId] = weights;
  }
  const observed = await observeHealth(deps, healthIds, budget, health);
  Object.assign(zones, readNow);

  if (read.unread.length > 0 || observed.missing.length > 0) {
    const newHealth = Object.fromEntries(Object.entries(observed.verdicts).filter(([id]) => !(id in health)));
    await auditEvacuation(deps, header, {
      step: 'Snapshot',
      intent: `observe Route 53 for ${requests.size} apps within ${budget.capacity} requests a second`,
      outcome: 'InProgress',
      change: { zones: readNow, health: newHealth },
      after: { zonesLeft: read.unread, healthChecksLeft: observed.missing.length, cloudWatch: observed.cloudWatch },
    });
    throw new NotConvergedError(`Route 53 snapshot: ${read.unread.length} zones and ${observed.missing.length} health checks left for the next second`);
  }

  const observedAt = deps.clock.now().toISOString();
  const items = state.items.map((item) => {
    const request = requests.get(item.app);
    if (!request) return item;
    const { hostedZoneId, recordName, recordType } = request.from.route53;
    const snapshot: AppSnapshot = {
      weights: zones[hostedZoneId]?.[key(recordName, recordType)] ?? {},
      health: Object.fromEntries(candidates(request).map((region) => [region.route53.healthCheckId, observed.verdicts[region.route53.healthCheckId]!])),
      observedAt,
    };
    return { ...item, snapshot };
  });
  const sources = Object.values(observed.verdicts).reduce<Record<string, number>>((counts, v) => ({ ...counts, [v.source]: (counts[v.source] ?? 0) + 1 }), {});
  await auditEvacuation(deps, header, {
    step: 'Snapshot',
    intent: `observe Route 53 for ${requests.size} apps within ${budget.capacity} requests a second`,
    outcome: 'Converged',
    after: { zones: zoneIds.length, healthChecks: healthIds.length, healthSources: sources, cloudWatch: observed.cloudWatch },
  });
  return { ...state, items, route53Tokens: carryTokens(budget, deps.clock.now()) };
}


