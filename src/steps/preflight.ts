import type { BackupChoice } from '../domain/backups.js';
import { DependencyUnavailableError, PreflightRefusedError } from '../domain/errors.js';
import type { RegionConfig } from '../domain/config.js';
import type { FailoverRequest } from '../domain/failover-request.js';
import type { HealthVerdict } from '../domain/health.js';
import { assessCandidate, type CandidateCheck } from './assess.js';
import { audit, type StepDeps } from './deps.js';

export interface PreflightResult {
  cluster: { name: string; status: string };
  healthCheck: HealthVerdict;
  backup: BackupChoice;
  checkedAt: string;
  /** The target this failover goes to: the first candidate that passed. The workflow merges it into its state. */
  settled: { to: RegionConfig; alternatives: [] };
  /** Candidates tried before it, each with why it could not take over. */
  passedOver: { region: string; reasons: string[] }[];
}

/**
 * How many attempts in a row a candidate's control plane must fail to answer before preflight
 * passes over it: one failed call is a blip the workflow's Retry absorbs, three are an outage.
 */
export const UNREACHABLE_ATTEMPTS = 3;


/**
 * Settles where the failover goes: the proposed target, else the next region in the app's
 * priority order that can take over. A candidate is refused unless its cluster is ACTIVE with
 * usable node groups, its health check healthy, both weighted records exist, and the newest
 * Completed backup of its schedule is younger than the RPO limit; every reason is collected and
 * audited. A candidate whose control plane does not answer on {@link UNREACHABLE_ATTEMPTS}
 * attempts is passed over. When no candidate passes (every other region failing too) nothing
 * moves: the refusal names each region's reasons. Reads only the candidates (and Route 53, which is global), never
 * the failing region.
 */
export async function preflight(deps: StepDeps, request: FailoverRequest): Promise<PreflightResult> {
  const candidates = [request.to, ...request.alternatives];
  const passedOver: PreflightResult['passedOver'] = [];
  const earlier = await deps.audit.read(request.incidentId);
  for (const candidate of candidates) {
    const intent = `check ${candidate.name} can take over from ${request.from.name}`;
    const strikes = earlier.filter((r) => r.step === 'Preflight' && r.intent === intent && r.outcome === 'Failed');
    if (strikes.length >= UNREACHABLE_ATTEMPTS) {
      passedOver.push({ region: candidate.name, reasons: [`${candidate.name} is unreachable (${strikes.length} attempts): ${strikes.at(-1)!.error}`] });
      continue;
    }
    let check: CandidateCheck;
    try {
      check = await assessCandidate(deps, { from: request.from, to: candidate, policy: request.policy });
    } catch (error) {
      // A control plane that does not answer (after the SDK's own retries) may be a blip or an
      // outage: each attempt is recorded, the workflow retries, and the third strike passes over it.
      if (!(error instanceof DependencyUnavailableError)) throw error;
      await audit(deps, request, { step: 'Preflight', intent, outcome: 'Failed', error: error.message });
      if (strikes.length + 1 < UNREACHABLE_ATTEMPTS) throw error;
      await audit(deps, request, { step: 'Preflight', intent, outcome: 'Refused', error: `${candidate.name} is unreachable (${strikes.length + 1} attempts): ${error.message}` });
      passedOver.push({ region: candidate.name, reasons: [`${candidate.name} is unreachable (${strikes.length + 1} attempts): ${error.message}`] });
      continue;
    }
    if (check.ok) {
      const change = candidate.name === request.to.name ? undefined : { target: { proposed: request.to.name, settled: candidate.name } };
      await audit(deps, request, { step: 'Preflight', intent, outcome: 'Passed', before: check.observed, ...(change ? { change } : {}) });
      return { ...check.observed, checkedAt: deps.clock.now().toISOString(), settled: { to: candidate, alternatives: [] }, passedOver };
    }
    await audit(deps, request, { step: 'Preflight', intent, outcome: 'Refused', before: check.observed, error: check.reasons.join('; ') });
    passedOver.push({ region: candidate.name, reasons: check.reasons });
  }
  const reasons = passedOver.length === 1 ? passedOver[0]!.reasons : passedOver.map((p) => `${p.region}: ${p.reasons.join('; ')}`);
  reasons.push(`no region of ${request.app} can take over from ${request.from.name}: nothing was moved`);
  throw new PreflightRefusedError(reasons);
}
