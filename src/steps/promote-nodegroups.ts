import { NodegroupUpdateFailedError, NotConvergedError } from '../domain/errors.js';
import type { FailoverRequest } from '../domain/failover-request.js';
import { nodegroupToken } from '../domain/names.js';
import { promotedScaling, sameScaling } from '../domain/scaling.js';
import type { NodegroupScaling } from '../ports/cluster.js';
import { audit, type StepDeps } from './deps.js';

export interface NodegroupOutcome {
  name: string;
  scaling: NodegroupScaling;
}

/**
 * Grows the target's node groups to their promoted sizes. Each call observes every node group,
 * asks EKS for the missing change under a deterministic `clientRequestToken` (a retry gets the same
 * update back, never a second one) and throws NotConvergedError while any update runs, so the
 * workflow's Retry does the waiting.
 */
export async function promoteNodegroups(deps: StepDeps, request: FailoverRequest): Promise<{ nodegroups: NodegroupOutcome[] }> {
  const { to } = request;
  const outcomes: NodegroupOutcome[] = [];
  const pending: string[] = [];

  for (const group of to.eks.nodegroups) {
    const current = await deps.eks.describeNodegroup(to.name, to.eks.cluster, group.name);
    const wanted = promotedScaling(current.scaling, group.promoted);
    if (sameScaling(current.scaling, wanted) && current.status === 'ACTIVE') {
      outcomes.push({ name: group.name, scaling: current.scaling });
      continue;
    }
    const token = nodegroupToken(request.incidentId, to.eks.cluster, group.name, wanted);
    const update = await deps.eks.updateNodegroupScaling(to.name, to.eks.cluster, group.name, wanted, token);
    if (update.status === 'Failed' || update.status === 'Cancelled') {
      await audit(deps, request, { step: 'PromoteNodegroups', intent: `scale node group ${group.name}`, outcome: 'Failed', before: current.scaling, change: wanted, error: update.errors.join('; ') });
      throw new NodegroupUpdateFailedError(`node group ${group.name} update ${update.id} ${update.status}: ${update.errors.join('; ') || 'no detail'}`);
    }
    if (current.status !== 'UPDATING') {
      await audit(deps, request, { step: 'PromoteNodegroups', intent: `scale node group ${group.name}`, outcome: 'ChangeRequested', before: current.scaling, change: { ...wanted, updateId: update.id } });
    }
    pending.push(`${group.name} (update ${update.id} ${update.status})`);
  }

  if (pending.length > 0) throw new NotConvergedError(`waiting for node groups: ${pending.join(', ')}`);
  await audit(deps, request, { step: 'PromoteNodegroups', intent: `node groups of ${to.eks.cluster} at promoted size`, outcome: 'Converged', after: outcomes });
  return { nodegroups: outcomes };
}
