import { newestCompletedBackup, type BackupChoice } from '../domain/backups.js';
import { DependencyUnavailableError, PreflightRefusedError } from '../domain/errors.js';
import type { RegionConfig } from '../domain/config.js';
import type { FailoverRequest } from '../domain/failover-request.js';
import { healthVerdict, type HealthVerdict } from '../domain/health.js';
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

/** Node group states that can still scale up (anything else is broken or going away). */
const USABLE_NODEGROUP = new Set(['ACTIVE', 'UPDATING']);

type CandidateCheck =
  | { ok: true; observed: { cluster: { name: string; status: string }; healthCheck: HealthVerdict; backup: BackupChoice } }
  | { ok: false; reasons: string[]; observed: Record<string, unknown> };


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
      check = await checkCandidate(deps, request, candidate);
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

async function checkCandidate(deps: StepDeps, request: FailoverRequest, to: RegionConfig): Promise<CandidateCheck> {
  const { from, policy } = request;
  const target = { region: to.name, cluster: to.eks.cluster };
  const now = deps.clock.now();
  const [cluster, observations, records, backups, nodegroups] = await Promise.all([
    deps.eks.describeCluster(to.name, to.eks.cluster),
    deps.healthChecks.observe(to.route53.healthCheckId),
    deps.dns.readWeightedRecords(to.route53.hostedZoneId, to.route53.recordName, to.route53.recordType),
    deps.kube.listBackups(target, to.velero.namespace, to.velero.schedule),
    Promise.all(to.eks.nodegroups.map((group) => deps.eks.describeNodegroup(to.name, to.eks.cluster, group.name))),
  ]);

  const reasons: string[] = [];
  if (cluster.status !== 'ACTIVE') reasons.push(`target cluster ${to.eks.cluster} in ${to.name} is ${cluster.status}, not ACTIVE`);
  for (const group of nodegroups) {
    if (!USABLE_NODEGROUP.has(group.status)) reasons.push(`node group ${group.name} of ${to.eks.cluster} is ${group.status}`);
  }
  const healthCheck = healthVerdict(observations);
  if (!healthCheck.healthy) {
    reasons.push(`target health check ${to.route53.healthCheckId} is unhealthy (${healthCheck.healthyCheckers}/${healthCheck.totalCheckers} checkers healthy)`);
  }
  const setIds = new Set(records.map((record) => record.setIdentifier));
  for (const region of [from, to]) {
    if (!setIds.has(region.route53.setIdentifier)) {
      reasons.push(`no weighted record ${region.route53.recordName} ${region.route53.recordType} with SetIdentifier ${region.route53.setIdentifier}`);
    }
  }
  const backup = newestCompletedBackup(backups, now);
  if (!backup) reasons.push(`no Completed Velero backup of schedule ${to.velero.schedule} in ${to.velero.namespace}`);
  else if (backup.ageMinutes > policy.rpoMinutes) {
    reasons.push(`newest Completed backup ${backup.name} is ${backup.ageMinutes} min old, over the RPO limit of ${policy.rpoMinutes} min`);
  }

  const observed = { cluster: { name: cluster.name, status: cluster.status }, healthCheck, backup: backup ?? null };
  if (reasons.length > 0 || !backup) return { ok: false, reasons, observed };
  return { ok: true, observed: { ...observed, backup } };
}
