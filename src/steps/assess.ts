import { newestCompletedBackup, type BackupChoice } from '../domain/backups.js';
import type { PolicyConfig, RegionConfig } from '../domain/config.js';
import { healthVerdict, type HealthVerdict } from '../domain/health.js';
import type { StepDeps } from './deps.js';

/*
 * What preflight asks of a candidate region, read-only: the same reads and the same reasons, with
 * no audit record and no retry bookkeeping, so `lifeboat plan` can say exactly what preflight would
 * refuse without touching the incident's trail. Preflight itself calls it for each candidate.
 */

/** Node group states that can still scale up (anything else is broken or going away). */
const USABLE_NODEGROUP = new Set(['ACTIVE', 'UPDATING']);

/** What the check observed of a candidate (recorded by preflight as its `before`). */
export interface CandidateObservation {
  cluster: { name: string; status: string };
  healthCheck: HealthVerdict;
  backup: BackupChoice;
}

export type CandidateCheck =
  | { ok: true; observed: CandidateObservation }
  | { ok: false; reasons: string[]; observed: Record<string, unknown> };

/** The ports a candidate check reads. */
export type AssessDeps = Pick<StepDeps, 'clock' | 'eks' | 'healthChecks' | 'dns' | 'kube'>;

/**
 * Whether `to` can take over from `from`: its cluster ACTIVE with usable node groups, its health
 * check healthy, the weighted records of both regions present, and the newest Completed backup of
 * its schedule within `policy.rpoMinutes`. Every reason is collected. Reads only the candidate and
 * Route 53 (global), never `from`'s control planes; changes nothing. A control plane that does not
 * answer throws (DependencyUnavailableError), as the adapters report it.
 */
export async function assessCandidate(deps: AssessDeps, args: { from: RegionConfig; to: RegionConfig; policy: Pick<PolicyConfig, 'rpoMinutes'> }): Promise<CandidateCheck> {
  const { from, to, policy } = args;
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
