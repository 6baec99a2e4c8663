import type { AppConfig } from '../domain/config.js';
import { healthVerdict, type HealthVerdict } from '../domain/health.js';
import type { AuditTrail } from '../ports/audit.js';
import type { Clock } from '../ports/clock.js';
import type { Dns, HealthChecks } from '../ports/dns.js';
import type { Cooldown, HeldLock, Locks } from '../ports/locks.js';
import { buildDrillReport, type DrillOutcome } from '../report/index.js';

/*
 * `lifeboat status`: where each app stands, read-only: the region serving it, the failover lock
 * and the cooldown (as the triggers see them, in one consistent read), the last incident and how it
 * ended (from its audit trail, as the drill report reads it), the weights in Route 53 and each
 * region's health check by Route 53's rule.
 */

export interface StatusDeps {
  clock: Clock;
  locks: Pick<Locks, 'state'>;
  dns: Pick<Dns, 'readWeightedRecords'>;
  healthChecks: HealthChecks;
  audit: Pick<AuditTrail, 'read'>;
  /** The newest incident of an app, from the audit table. */
  incidents: { latest(app: string): Promise<{ incidentId: string } | undefined> };
}

export interface RegionStatus {
  name: string;
  setIdentifier: string;
  weight: number | null;
  healthCheckId: string;
  health: HealthVerdict | null;
  /** Why the health check could not be read. */
  error?: string;
}

export interface AppStatus {
  app: string;
  activeRegion: string;
  /** `recorded`: by the last completed failover; `primary`: none recorded, the configured first region. */
  activeSource: 'recorded' | 'primary';
  lock: HeldLock | null;
  cooldown: Cooldown | null;
  lastIncident: { incidentId: string; mode: string | null; from: string | null; to: string | null; outcome: DrillOutcome | 'in progress'; reason: string | null; at: string | null } | null;
  regions: RegionStatus[];
  /** Problems reading any of the above (the rest is still reported). */
  errors: string[];
  checkedAt: string;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The status of one app; a read that fails is reported in `errors`, never thrown. */
export async function appStatus(deps: StatusDeps, app: AppConfig): Promise<AppStatus> {
  const now = deps.clock.now();
  const errors: string[] = [];
  const primary = app.regions[0]!;
  const { hostedZoneId, recordName, recordType } = primary.route53;
  const [state, records, health] = await Promise.all([
    deps.locks.state(app.name, now).catch((error: unknown) => (errors.push(`lock state: ${describe(error)}`), undefined)),
    deps.dns.readWeightedRecords(hostedZoneId, recordName, recordType).catch((error: unknown) => (errors.push(`weights: ${describe(error)}`), undefined)),
    Promise.all(
      app.regions.map((region) =>
        deps.healthChecks.observe(region.route53.healthCheckId).then(
          (observations): { health: HealthVerdict | null; error?: string } => ({ health: healthVerdict(observations) }),
          (error: unknown): { health: HealthVerdict | null; error?: string } => ({ health: null, error: describe(error) }),
        ),
      ),
    ),
  ]);
  const lock = state?.lock ?? null;
  const active = state?.activeRegion && app.regions.some((r) => r.name === state.activeRegion) ? state.activeRegion : undefined;

  let lastIncident: AppStatus['lastIncident'] = null;
  try {
    const incidentId = lock?.incidentId ?? (await deps.incidents.latest(app.name))?.incidentId;
    if (incidentId) {
      const records = await deps.audit.read(incidentId);
      const report = buildDrillReport({ incidentId, records, verification: { breaks: [] }, generatedAt: now });
      const inProgress = lock?.incidentId === incidentId && report.outcome === 'incomplete';
      lastIncident = { incidentId, mode: report.mode, from: report.from, to: report.to, outcome: inProgress ? 'in progress' : report.outcome, reason: report.outcomeReason ?? null, at: records[0]?.at ?? null };
    }
  } catch (error) {
    errors.push(`last incident: ${describe(error)}`);
  }

  return {
    app: app.name,
    activeRegion: active ?? primary.name,
    activeSource: active ? 'recorded' : 'primary',
    lock,
    cooldown: state?.cooldown ?? null,
    lastIncident,
    regions: app.regions.map((region, index) => ({
      name: region.name,
      setIdentifier: region.route53.setIdentifier,
      weight: records?.find((r) => r.setIdentifier === region.route53.setIdentifier)?.weight ?? null,
      healthCheckId: region.route53.healthCheckId,
      health: health[index]!.health,
      ...(health[index]!.error ? { error: health[index]!.error } : {}),
    })),
    errors,
    checkedAt: now.toISOString(),
  };
}
