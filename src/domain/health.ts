import type { HealthObservation } from '../ports/dns.js';

export interface HealthVerdict {
  healthy: boolean;
  healthyCheckers: number;
  totalCheckers: number;
}

/**
 * Route 53's own rule: an endpoint is healthy when more than 18% of the health checkers report it
 * healthy. No observations at all is not evidence of health.
 */
export function healthVerdict(observations: readonly HealthObservation[]): HealthVerdict {
  const totalCheckers = observations.length;
  const healthyCheckers = observations.filter((o) => o.healthy).length;
  return { healthy: totalCheckers > 0 && healthyCheckers / totalCheckers > 0.18, healthyCheckers, totalCheckers };
}
