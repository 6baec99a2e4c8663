import { actingRegion, type ActingRegion } from '../domain/acting-region.js';
import type { LifeboatConfig } from '../domain/config.js';
import { healthVerdict } from '../domain/health.js';
import type { HealthChecks } from '../ports/dns.js';

/** What a trigger needs to tell whether its own stack is the one that acts. */
export interface ActingRegionDeps {
  config: LifeboatConfig;
  /** The region this stack runs in: the Lambda's AWS_REGION, injected (never a constant). */
  region: string;
  /**
   * Route 53 health-check status, as the same answer for every regional stack: the checks' metric
   * in us-east-1's CloudWatch (src/runtime/trigger-deps.ts), or Route 53's global API.
   */
  healthChecks: HealthChecks;
  log: (message: string, data: Record<string, unknown>) => void;
}

export type ActingDecision = { acts: true; acting: ActingRegion } | { acts: false; reason: string; acting?: ActingRegion };

/**
 * "Do I act?" for a failure of `failing` reported to this stack. Every app alarm is routed to the
 * stacks of all the app's other regions (serverless/alarm-routing.cjs), and SNS, alarm actions or a
 * mistaken caller can reach any stack; each one reads the candidates' health checks (in parallel,
 * one call per candidate) and only the stack in the region `actingRegion` names goes on. A health
 * check that cannot be read counts as unknown, never as a reason to throw: the rule stays total.
 */
export async function decideActing(deps: ActingRegionDeps, app: string, failing: string): Promise<ActingDecision> {
  const config = deps.config.apps.find((candidate) => candidate.name === app);
  if (!config) return { acts: false, reason: `${app} is not configured` };
  const health = new Map<string, boolean | undefined>(
    await Promise.all(
      config.regions
        .filter((region) => region.name !== failing)
        .map(async (region) => [region.name, await deps.healthChecks.observe(region.route53.healthCheckId).then((o) => healthVerdict(o).healthy, () => undefined)] as const),
    ),
  );
  const acting = actingRegion(config, failing, (region) => health.get(region));
  if (!acting) return { acts: false, reason: `${app} has no region to fail over to from ${failing}` };
  if (acting.region === deps.region) return { acts: true, acting };
  const reason = `the ${acting.region} stack acts on ${app} failing in ${failing}, not this one (${deps.region}): ${acting.why}`;
  deps.log('not the acting region', { app, failing, region: deps.region, actingRegion: acting.region, why: acting.why });
  return { acts: false, reason, acting };
}

/**
 * A manual request acts only in the stack of its target region, so that every conditional write of
 * the incident (lock, audit trail) happens in one region's replica of the global tables.
 */
export function manualActingRegion(deps: Pick<ActingRegionDeps, 'region'>, app: string, to: string): { acts: true } | { acts: false; message: string } {
  if (to === deps.region) return { acts: true };
  return { acts: false, message: `this is the ${deps.region} stack; a manual request acts only in its target region: send it to the ${to} stack (POST /failovers in ${to}, or invoke its manual-trigger function) to fail ${app} over to ${to}` };
}
