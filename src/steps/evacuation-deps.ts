import type { LifeboatConfig } from '../domain/config.js';
import { evacuationRequest, type EvacuationHeader, type EvacuationInput, type EvacuationItem } from '../domain/evacuation.js';
import type { FailoverRequest } from '../domain/failover-request.js';
import type { AuditEntry, AuditRecord } from '../ports/audit.js';
import type { HealthCheckMetrics } from '../ports/dns.js';
import { audit, type StepDeps } from './deps.js';

/** What the evacuation-wide steps need beyond a step's ports: the configuration, bulk health, and the account's Route 53 rate. */
export interface EvacuationDeps extends StepDeps {
  config: LifeboatConfig;
  healthMetrics: HealthCheckMetrics;
  /** Route 53 requests per second this account may make (5 unless the account's quota was raised). */
  route53RequestsPerSecond?: number;
}

/** The state the evacuation's own steps receive and return whole (the items stay small: see src/domain/evacuation.ts). */
export type EvacuationState = EvacuationInput & Record<string, unknown>;

/** Records one entry in the evacuation's own trail (its incident id is the evacuation's). */
export async function auditEvacuation(deps: Pick<StepDeps, 'audit' | 'clock'>, header: EvacuationHeader, entry: Omit<AuditEntry, 'incidentId' | 'actor' | 'at'>): Promise<void> {
  await audit(deps, evacuationRequestLike(header), entry);
}

/** Records one entry in an app's own trail, as its single-app steps would. */
export async function auditApp(deps: Pick<StepDeps, 'audit' | 'clock'>, request: FailoverRequest, entry: Omit<AuditEntry, 'incidentId' | 'actor' | 'at'>): Promise<void> {
  await audit(deps, request, entry);
}

/** The failover requests of the items still in the evacuation, by app. */
export function requestsOf(config: LifeboatConfig, header: EvacuationHeader, items: readonly EvacuationItem[]): Map<string, FailoverRequest> {
  return new Map(items.filter((item) => item.prepared !== false).map((item) => [item.app, evacuationRequest(config, header, item)]));
}

/** The evacuation's records of one step and outcome, oldest first. */
export function recordsOf(trail: readonly AuditRecord[], step: string, outcome?: AuditRecord['outcome']): AuditRecord[] {
  return trail.filter((r) => r.step === step && (outcome === undefined || r.outcome === outcome));
}

/** `actorOf` and `audit` need a request; the evacuation's header is enough of one. */
function evacuationRequestLike(header: EvacuationHeader): FailoverRequest {
  return { incidentId: header.evacuationId, trigger: header.trigger } as FailoverRequest;
}

/** Runs `work` over `items` with at most `limit` in flight (the audit writes of hundreds of apps). */
export async function inBatches<T, R>(items: readonly T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const runners = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  });
  await Promise.all(runners);
  return results;
}
