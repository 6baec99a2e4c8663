import { newestCompletedBackup, type BackupChoice } from '../domain/backups.js';
import type { AppConfig, RegionConfig } from '../domain/config.js';
import { LifeboatError } from '../domain/errors.js';
import { promotedReplicas, promotedScaling, sameScaling } from '../domain/scaling.js';
import { planWeights } from '../domain/weights.js';
import type { NodegroupScaling } from '../ports/cluster.js';
import type { Cooldown, HeldLock, Locks } from '../ports/locks.js';
import { assessCandidate, type AssessDeps } from '../steps/assess.js';

/*
 * `lifeboat plan APP --to REGION`: what a manual failover would change right now, computed by the
 * functions the workflow's steps decide with (assessCandidate for Preflight, planWeights for
 * ShiftTraffic, promotedScaling for PromoteNodegroups, promotedReplicas for ScaleDeployments, the
 * backup Preflight would choose for StartRestore) over the same reads. Only reads: no audit
 * record, no lock, no change anywhere.
 */

export interface PlanDeps extends AssessDeps {
  locks: Pick<Locks, 'state'>;
}

export interface NodegroupPlan {
  name: string;
  status: string;
  before: NodegroupScaling;
  after: NodegroupScaling;
  changes: boolean;
}

export interface DeploymentPlan {
  namespace: string;
  name: string;
  before: number;
  after: number;
  changes: boolean;
}

export interface FailoverPlan {
  app: string;
  from: string;
  to: string;
  /** Where `from` came from: the region recorded by the last completed failover, or the configured primary. */
  fromSource: 'recorded' | 'primary';
  plannedAt: string;
  /** Weights by set identifier; `after` is null when the shift itself would be refused (see `refusals`). */
  weights: { before: Record<string, number>; after: Record<string, number> | null; changed: string[] };
  nodegroups: NodegroupPlan[];
  deployments: DeploymentPlan[];
  /** The backup StartRestore would restore (the newest Completed one of the target's schedule). */
  restore: { backup: BackupChoice; cluster: string; veleroNamespace: string; includedNamespaces: string[] | null; withinRpo: boolean } | null;
  /** What would stop the failover: Preflight's reasons, a lock held, the all-zero invariant. Empty: it would go ahead. */
  refusals: string[];
  lock: HeldLock | null;
  /** In force now: suppresses automatic failovers only (a manual one goes ahead). */
  cooldown: Cooldown | null;
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error instanceof LifeboatError ? `${error.name}: ` : ''}${error.message}` : String(error);
}

/** The region serving the app: the last completed failover's target, else the configured primary. */
export async function activeRegionOf(deps: Pick<PlanDeps, 'locks' | 'clock'>, app: AppConfig): Promise<{ region: RegionConfig; source: 'recorded' | 'primary' }> {
  const state = await deps.locks.state(app.name, deps.clock.now());
  const recorded = state.activeRegion ? app.regions.find((r) => r.name === state.activeRegion) : undefined;
  return recorded ? { region: recorded, source: 'recorded' } : { region: app.regions[0]!, source: 'primary' };
}

/**
 * The plan of a failover of `app` from `from` to `to` (the caller has checked they differ). Every
 * read that fails becomes a refusal naming it, so the plan is complete whatever the world's state.
 */
export async function planFailover(deps: PlanDeps, app: AppConfig, from: RegionConfig, to: RegionConfig, fromSource: 'recorded' | 'primary' = 'primary'): Promise<FailoverPlan> {
  const now = deps.clock.now();
  const refusals: string[] = [];
  const target = { region: to.name, cluster: to.eks.cluster };
  const { hostedZoneId, recordName, recordType } = to.route53;

  const [lockState, assessment, records, nodegroups, deployments, backups] = await Promise.all([
    deps.locks.state(app.name, now).catch((error: unknown) => (refusals.push(`could not read the lock of ${app.name}: ${describe(error)}`), {})),
    assessCandidate(deps, { from, to, policy: app.policy }).catch((error: unknown) => ({ ok: false as const, reasons: [`${to.name} could not be assessed: ${describe(error)}`], observed: {} })),
    deps.dns.readWeightedRecords(hostedZoneId, recordName, recordType).catch((error: unknown) => (refusals.push(`could not read the weighted records: ${describe(error)}`), [])),
    Promise.all(
      to.eks.nodegroups.map(async (group): Promise<NodegroupPlan | undefined> => {
        try {
          const current = await deps.eks.describeNodegroup(to.name, to.eks.cluster, group.name);
          const after = promotedScaling(current.scaling, group.promoted);
          return { name: group.name, status: current.status, before: current.scaling, after, changes: !(sameScaling(current.scaling, after) && current.status === 'ACTIVE') };
        } catch (error) {
          refusals.push(`could not read node group ${group.name} of ${to.eks.cluster}: ${describe(error)}`);
          return undefined;
        }
      }),
    ),
    Promise.all(
      to.eks.deployments.map(async (wanted): Promise<DeploymentPlan | undefined> => {
        try {
          const current = await deps.kube.readDeployment(target, wanted.namespace, wanted.name);
          const after = promotedReplicas(current.specReplicas, wanted.replicas);
          return { namespace: wanted.namespace, name: wanted.name, before: current.specReplicas, after, changes: after !== current.specReplicas };
        } catch (error) {
          refusals.push(`could not read Deployment ${wanted.namespace}/${wanted.name} in ${to.eks.cluster}: ${describe(error)}`);
          return undefined;
        }
      }),
    ),
    // Preflight's own choice of backup, read again here so the plan shows it even when Preflight would refuse.
    deps.kube.listBackups(target, to.velero.namespace, to.velero.schedule).catch(() => []),
  ]);

  if (!assessment.ok) refusals.unshift(...assessment.reasons.map((reason) => `preflight: ${reason}`));
  const lock = 'lock' in lockState && lockState.lock ? lockState.lock : null;
  if (lock) refusals.push(`the lock of ${app.name} is held by incident ${lock.incidentId} until ${lock.leaseExpiresAt}: a failover now would be refused (LockHeldError)`);

  let weights: FailoverPlan['weights'] = { before: Object.fromEntries(records.map((r) => [r.setIdentifier, r.weight])), after: null, changed: [] };
  try {
    const planned = planWeights(records, from.route53.setIdentifier, to.route53.setIdentifier, app.policy.activeWeight, app.policy.allowAllWeightsZero);
    weights = { before: planned.before, after: planned.after, changed: planned.changes.map((r) => r.setIdentifier) };
  } catch (error) {
    if (records.length > 0) refusals.push(`shift: ${describe(error)}`);
  }

  const backup = newestCompletedBackup(backups, now);
  return {
    app: app.name,
    from: from.name,
    to: to.name,
    fromSource,
    plannedAt: now.toISOString(),
    weights,
    nodegroups: nodegroups.filter((n): n is NodegroupPlan => n !== undefined),
    deployments: deployments.filter((d): d is DeploymentPlan => d !== undefined),
    restore: backup
      ? { backup, cluster: to.eks.cluster, veleroNamespace: to.velero.namespace, includedNamespaces: to.velero.includedNamespaces ?? null, withinRpo: backup.ageMinutes <= app.policy.rpoMinutes }
      : null,
    refusals,
    lock,
    cooldown: 'cooldown' in lockState && lockState.cooldown ? lockState.cooldown : null,
  };
}
