/*
 * Benchmark 3: region evacuation (1, 10, 100, 500 apps in one region, zero simulated AWS latency:
 * wall time, Route 53 change calls, total API calls, throttling retries).
 *
 * ─── SKIPPED FOR NOW ───────────────────────────────────────────────────────────────────────────
 * Region evacuation is being built by another engineer. When it lands, implement `evacuation`
 * here: for each size, a SimulatedWorld of that many apps (bench/support.ts `appsConfig`), fail the
 * region, start one evacuation, settle, and count the fakes' calls (world.route53 / eks / ...).
 * Results go to results.json as [{ apps, wallMs, route53ChangeCalls, apiCalls, throttleRetries }].
 */

export interface EvacuationResult {
  apps: number;
  wallMs: number;
  route53ChangeCalls: number;
  apiCalls: number;
  throttleRetries: number;
}

export const EVACUATION_NOTE = 'skipped: region evacuation is not built yet (bench/evacuation.ts marks where it goes)';

export async function evacuation(): Promise<EvacuationResult[]> {
  return [];
}
