import { NotConvergedError } from '../domain/errors.js';
import type { FailoverRequest } from '../domain/failover-request.js';
import { promotedReplicas } from '../domain/scaling.js';
import type { DeploymentState } from '../ports/kubernetes.js';
import { audit, type StepDeps } from './deps.js';

export interface DeploymentOutcome {
  namespace: string;
  name: string;
  replicas: number;
  readyReplicas: number;
}

/** A Deployment is ready when the controller saw the current spec and enough replicas are ready. */
function isReady(deployment: DeploymentState, replicas: number): boolean {
  return deployment.observedGeneration >= deployment.generation && deployment.readyReplicas >= replicas && deployment.availableReplicas >= replicas;
}

/**
 * Scales the target's Deployments up to their promoted replica counts through the scale
 * subresource (guarded by resourceVersion, so a concurrent writer causes a retryable conflict, not
 * a lost update) and throws NotConvergedError until every one is ready.
 */
export async function scaleDeployments(deps: StepDeps, request: FailoverRequest): Promise<{ deployments: DeploymentOutcome[] }> {
  const { to } = request;
  const target = { region: to.name, cluster: to.eks.cluster };
  const outcomes: DeploymentOutcome[] = [];
  const pending: string[] = [];

  for (const wanted of to.eks.deployments) {
    const current = await deps.kube.readDeployment(target, wanted.namespace, wanted.name);
    const replicas = promotedReplicas(current.specReplicas, wanted.replicas);
    if (current.specReplicas !== replicas) {
      await deps.kube.scaleDeployment(target, wanted.namespace, wanted.name, replicas, current.resourceVersion);
      await audit(deps, request, {
        step: 'ScaleDeployments',
        intent: `scale ${wanted.namespace}/${wanted.name}`,
        outcome: 'ChangeRequested',
        before: { replicas: current.specReplicas, readyReplicas: current.readyReplicas },
        change: { replicas },
      });
      pending.push(`${wanted.namespace}/${wanted.name} (scaled to ${replicas})`);
      continue;
    }
    if (!isReady(current, replicas)) {
      pending.push(`${wanted.namespace}/${wanted.name} (${current.readyReplicas}/${replicas} ready)`);
      continue;
    }
    outcomes.push({ namespace: wanted.namespace, name: wanted.name, replicas, readyReplicas: current.readyReplicas });
  }

  if (pending.length > 0) throw new NotConvergedError(`waiting for deployments: ${pending.join(', ')}`);
  await audit(deps, request, { step: 'ScaleDeployments', intent: `deployments of ${to.eks.cluster} ready at promoted size`, outcome: 'Converged', after: outcomes });
  return { deployments: outcomes };
}
