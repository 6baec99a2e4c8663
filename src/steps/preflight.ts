import { newestCompletedBackup, type BackupChoice } from '../domain/backups.js';
import { PreflightRefusedError } from '../domain/errors.js';
import type { FailoverRequest } from '../domain/failover-request.js';
import { healthVerdict, type HealthVerdict } from '../domain/health.js';
import { audit, type StepDeps } from './deps.js';

export interface PreflightResult {
  cluster: { name: string; status: string };
  healthCheck: HealthVerdict;
  backup: BackupChoice;
  checkedAt: string;
}

/**
 * Refuses a failover to a target that cannot take it: the target cluster must be ACTIVE, its
 * health check healthy, both weighted records must exist, and the newest Completed backup of the
 * schedule must be younger than the RPO limit. Every reason is collected, so one run tells the
 * operator everything that is wrong. Reads only the target region (and Route 53, which is global).
 */
export async function preflight(deps: StepDeps, request: FailoverRequest): Promise<PreflightResult> {
  const { to, from, policy } = request;
  const target = { region: to.name, cluster: to.eks.cluster };
  const now = deps.clock.now();

  const [cluster, observations, records, backups] = await Promise.all([
    deps.eks.describeCluster(to.name, to.eks.cluster),
    deps.healthChecks.observe(to.route53.healthCheckId),
    deps.dns.readWeightedRecords(to.route53.hostedZoneId, to.route53.recordName, to.route53.recordType),
    deps.kube.listBackups(target, to.velero.namespace, to.velero.schedule),
  ]);

  const reasons: string[] = [];
  if (cluster.status !== 'ACTIVE') reasons.push(`target cluster ${to.eks.cluster} in ${to.name} is ${cluster.status}, not ACTIVE`);
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
  if (reasons.length > 0 || !backup) {
    await audit(deps, request, { step: 'Preflight', intent: `check ${to.name} can take over from ${from.name}`, outcome: 'Refused', before: observed, error: reasons.join('; ') });
    throw new PreflightRefusedError(reasons);
  }
  await audit(deps, request, { step: 'Preflight', intent: `check ${to.name} can take over from ${from.name}`, outcome: 'Passed', before: observed });
  return { cluster: observed.cluster, healthCheck, backup, checkedAt: now.toISOString() };
}
