import type { AppConfig } from './config.js';
import { targetCandidates } from './failover-request.js';

/** What one stack knows about a candidate region's health: `undefined` when its health check could not be read. */
export type CandidateHealth = (region: string) => boolean | undefined;

export interface ActingRegion {
  /** The region whose stack acts on a failure of `failing`. */
  region: string;
  /** Why that one, for logs and the ignore reason. */
  why: string;
}

/**
 * Which regional stack acts when `failing` fails for `app`: the first of the app's other regions,
 * in priority order, whose Route 53 health check is healthy. Every stack hears the alarm and runs
 * this same rule on the same global input (Route 53 health-check status), so they agree without
 * talking to each other, and the lock's conditional write happens in one region.
 *
 * Two fallbacks keep someone acting: a health check that could not be read counts as healthy (a
 * stack that cannot see Route 53 must not make every stack stand down), and when no other region is
 * healthy the first other region acts anyway, so preflight refuses loudly instead of nobody
 * noticing. Returns `undefined` only for an app with a single region.
 */
export function actingRegion(app: AppConfig, failing: string, healthy: CandidateHealth): ActingRegion | undefined {
  const candidates = targetCandidates(app, failing).map((region) => region.name);
  if (candidates.length === 0) return undefined;
  const passedOver: string[] = [];
  for (const candidate of candidates) {
    const verdict = healthy(candidate);
    if (verdict !== false) {
      const because = verdict === undefined ? 'its health check could not be read, so it counts as healthy' : 'its health check is healthy';
      return { region: candidate, why: `${candidate} is the first region of ${app.name} after ${failing}${passedOver.length ? ` (${passedOver.join(', ')} unhealthy)` : ''} and ${because}` };
    }
    passedOver.push(candidate);
  }
  return { region: candidates[0]!, why: `no other region of ${app.name} is healthy, so ${candidates[0]} (first in priority order) acts and preflight decides` };
}
