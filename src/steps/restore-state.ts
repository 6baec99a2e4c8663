import { NotConvergedError, RestoreFailedError } from '../domain/errors.js';
import type { FailoverRequest } from '../domain/failover-request.js';
import { restoreName } from '../domain/names.js';
import { audit, type StepDeps } from './deps.js';

/** Velero Restore phases after which nothing more will happen. */
const FAILED_PHASES = new Set(['PartiallyFailed', 'Failed', 'FailedValidation']);

export interface RestoreStarted {
  restoreName: string;
  backupName: string;
  created: boolean;
}

export interface RestoreOutcome {
  restoreName: string;
  backupName: string;
  phase: string;
  warnings: number;
  errors: number;
}

/**
 * Creates the incident's Velero Restore of the backup Preflight chose. The name is derived from
 * the incident, so a retry finds its own Restore (409 AlreadyExists) instead of making another.
 */
export async function startRestore(deps: StepDeps, request: FailoverRequest, backupName: string): Promise<RestoreStarted> {
  const { to } = request;
  const name = restoreName(request.incidentId, request.app);
  const result = await deps.kube.createRestore({ region: to.name, cluster: to.eks.cluster }, to.velero.namespace, {
    name,
    backupName,
    includedNamespaces: to.velero.includedNamespaces,
    labels: { 'app.kubernetes.io/managed-by': 'lifeboat', 'lifeboat.io/app': request.app },
  });
  await audit(deps, request, {
    step: 'StartRestore',
    intent: `restore ${backupName} into ${to.eks.cluster}`,
    outcome: result === 'created' ? 'ChangeRequested' : 'AlreadyConverged',
    change: { restore: name, backup: backupName },
  });
  return { restoreName: name, backupName, created: result === 'created' };
}

/** Follows the Restore until a final phase: Completed succeeds, the failed phases are fatal with Velero's reason. */
export async function awaitRestore(deps: StepDeps, request: FailoverRequest): Promise<RestoreOutcome> {
  const { to } = request;
  const name = restoreName(request.incidentId, request.app);
  const restore = await deps.kube.readRestore({ region: to.name, cluster: to.eks.cluster }, to.velero.namespace, name);
  const outcome: RestoreOutcome = { restoreName: name, backupName: restore.backupName, phase: restore.phase, warnings: restore.warnings, errors: restore.errors };
  if (FAILED_PHASES.has(restore.phase)) {
    const detail = [restore.failureReason, ...restore.validationErrors, restore.errors ? `${restore.errors} errors` : ''].filter(Boolean).join('; ');
    await audit(deps, request, { step: 'AwaitRestore', intent: `restore ${name} completes`, outcome: 'Failed', after: outcome, error: detail });
    throw new RestoreFailedError(`Velero restore ${name} ended ${restore.phase}${detail ? `: ${detail}` : ''}`);
  }
  if (restore.phase !== 'Completed') throw new NotConvergedError(`Velero restore ${name} is ${restore.phase || 'not yet picked up'}`);
  await audit(deps, request, { step: 'AwaitRestore', intent: `restore ${name} completes`, outcome: 'Converged', after: outcome });
  return outcome;
}
