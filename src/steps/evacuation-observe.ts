import { isRetryable } from '../domain/errors.js';
import { healthVerdict } from '../domain/health.js';
import type { TokenBucket } from '../domain/rate-limit.js';
import type { HealthObservation, RecordPosition, WeightedRecord } from '../ports/dns.js';
import type { EvacuationDeps } from './evacuation-deps.js';

/** A health check's verdict as an evacuation observed it, and where from. */
export interface HealthSnapshot {
  healthy: boolean;
  /** CloudWatch's HealthCheckStatus metric (one request for up to 500 checks), or Route 53's own per-check status. */
  source: 'cloudwatch' | 'route53';
  healthyCheckers?: number;
  totalCheckers?: number;
}

/**
 * Reads whole hosted zones, one ListResourceRecordSets request per page, while `budget` lasts. A
 * zone whose pages were not all read is left for the next invocation (read again from its start:
 * a half-read zone is not a snapshot).
 */
export async function readZones(
  deps: Pick<EvacuationDeps, 'dns' | 'clock'>,
  zoneIds: readonly string[],
  budget: TokenBucket,
): Promise<{ zones: Map<string, WeightedRecord[]>; unread: string[] }> {
  const zones = new Map<string, WeightedRecord[]>();
  const unread: string[] = [];
  for (const zoneId of zoneIds) {
    const records = await readZone(deps, zoneId, budget);
    if (records) zones.set(zoneId, records);
    else unread.push(zoneId);
  }
  return { zones, unread };
}

/** Every weighted record of one zone, or undefined when the budget ran out first. */
export async function readZone(deps: Pick<EvacuationDeps, 'dns' | 'clock'>, zoneId: string, budget: TokenBucket): Promise<WeightedRecord[] | undefined> {
  const records: WeightedRecord[] = [];
  let from: RecordPosition | undefined;
  do {
    if (!budget.tryTake(deps.clock.now())) return undefined;
    const page = await deps.dns.listWeightedRecordsPage(zoneId, from);
    records.push(...page.records);
    from = page.next;
  } while (from);
  return records;
}

/** The weighted records of one name and type, from a zone read. */
export function recordsNamed(records: readonly WeightedRecord[], name: string, type: string): WeightedRecord[] {
  const wanted = name.toLowerCase().replace(/\.?$/, '.');
  return records.filter((record) => record.name.toLowerCase() === wanted && record.type === type);
}

/**
 * Health of many Route 53 health checks at once: CloudWatch's HealthCheckStatus (AWS/Route53 in
 * us-east-1, up to 500 per request, outside Route 53's request rate). When CloudWatch does not
 * answer (us-east-1 may be the failing region) or has no datapoint for a check, Route 53's own
 * GetHealthCheckStatus is asked instead, one request per check, within `budget`; checks left
 * unobserved when it runs out are returned as `missing`.
 */
export async function observeHealth(
  deps: Pick<EvacuationDeps, 'healthMetrics' | 'healthChecks' | 'clock'>,
  healthCheckIds: readonly string[],
  budget: TokenBucket,
  known: Readonly<Record<string, HealthSnapshot>> = {},
): Promise<{ verdicts: Record<string, HealthSnapshot>; missing: string[]; cloudWatch: 'answered' | 'unavailable' }> {
  const verdicts: Record<string, HealthSnapshot> = { ...known };
  const wanted = [...new Set(healthCheckIds)].filter((id) => !(id in verdicts));
  let cloudWatch: 'answered' | 'unavailable' = 'answered';
  if (wanted.length > 0) {
    try {
      const statuses = await deps.healthMetrics.healthCheckStatuses(wanted);
      for (const [id, healthy] of statuses) verdicts[id] = { healthy, source: 'cloudwatch' };
    } catch (error) {
      if (!isRetryable(error)) throw error;
      cloudWatch = 'unavailable';
    }
  }
  const missing: string[] = [];
  for (const id of wanted.filter((candidate) => !(candidate in verdicts))) {
    if (!budget.tryTake(deps.clock.now())) {
      missing.push(id);
      continue;
    }
    const verdict = healthVerdict(await deps.healthChecks.observe(id));
    verdicts[id] = { ...verdict, source: 'route53' };
  }
  return { verdicts, missing, cloudWatch };
}

/** A snapshot verdict as the observations a HealthChecks port returns, so the single-app steps read it unchanged. */
export function asObservations(snapshot: HealthSnapshot): HealthObservation[] {
  if (snapshot.totalCheckers !== undefined && snapshot.healthyCheckers !== undefined) {
    return Array.from({ length: snapshot.totalCheckers }, (_, index) => ({
      checkerRegion: `checker-${index + 1}`,
      healthy: index < snapshot.healthyCheckers!,
      report: index < snapshot.healthyCheckers! ? 'Success (evacuation snapshot)' : 'Failure (evacuation snapshot)',
    }));
  }
  return [{ checkerRegion: 'cloudwatch:us-east-1', healthy: snapshot.healthy, report: `HealthCheckStatus ${snapshot.healthy ? 1 : 0} (CloudWatch AWS/Route53, evacuation snapshot)` }];
}
