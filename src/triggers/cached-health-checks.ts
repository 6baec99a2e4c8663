import { ExpiringPromiseCache } from '../domain/expiring-cache.js';
import type { Clock } from '../ports/clock.js';
import type { HealthChecks, HealthObservation } from '../ports/dns.js';

/**
 * How long a trigger container reuses a health check's status. Route 53 checkers look every 30 s
 * (10 s when fast) and a status turns only after `FailureThreshold` (3 by default) checks in a row,
 * so a reading 10 s old is within the noise of the status itself.
 */
export const HEALTH_STATUS_TTL_MS = 10_000;

/**
 * How long a failed read (throttled, most likely) stands before a delivery asks again. Without it,
 * a storm through one container re-asks a throttled service on every delivery, deepening the
 * throttling. Meanwhile the check counts as unknown,
 * which the acting-region rule already handles.
 */
export const HEALTH_STATUS_FAILURE_TTL_MS = 1_000;

/**
 * Health-check status for the triggers, read at most once per health check per `ttlMs` in a
 * container, with concurrent reads of the same check sharing one request. Why: every alarm delivery
 * asks "do I act?" (./acting-region.ts), and an alarm storm through one warm container would
 * otherwise ask for the same answer thousands of times: of CloudWatch's `GetMetricData` (50
 * requests a second per region), or, when that does not answer, of Route 53's
 * `GetHealthCheckStatus` (5 a second for the whole account, which the workflows need too).
 * A failed read is remembered for `failureTtlMs` only, then the next delivery asks again.
 */
export function cachedHealthChecks(inner: HealthChecks, clock: Clock, ttlMs = HEALTH_STATUS_TTL_MS, failureTtlMs = HEALTH_STATUS_FAILURE_TTL_MS): HealthChecks {
  const read = new ExpiringPromiseCache<HealthObservation[]>(clock, ttlMs, failureTtlMs);
  return { observe: (healthCheckId) => read.get(healthCheckId, () => inner.observe(healthCheckId)) };
}
