import type { NodegroupScalingConfig, UpdateParam } from '@aws-sdk/client-eks';
import { AwsFault } from './aws-fault.js';

/*
 * EKS rules for a managed node group's scalingConfig in UpdateNodegroupConfig. Sources: the API
 * model (NodegroupScalingConfig: minSize >= 0, maxSize >= 1, desiredSize >= 0) and the
 * InvalidParameterException texts EKS returns as quoted in public issue trackers
 * (terraform-aws-modules/terraform-aws-eks, sassoftware/viya4-iac-aws): "Minimum capacity 2 can't
 * be greater than desired size 1", "desiredSize can't be greater than maxSize".
 */

/** A node group's three sizes. */
export type Scaling = Required<Pick<NodegroupScalingConfig, 'minSize' | 'maxSize' | 'desiredSize'>>;

/**
 * The sizes after an update: omitted fields keep their current values, then the whole result is
 * checked (so raising minSize above the current desiredSize fails, as it does on EKS).
 */
export function mergeScaling(current: Scaling, requested: NodegroupScalingConfig, fields: Record<string, unknown>): Scaling {
  return validScaling({ ...current, ...definedOnly(requested) }, fields);
}

/** The UpdateParam list EKS reports for a scaling update: only the sizes that were given. */
export function scalingParams(config: NodegroupScalingConfig): UpdateParam[] {
  const params: UpdateParam[] = [];
  if (config.minSize !== undefined) params.push({ type: 'MinSize', value: String(config.minSize) });
  if (config.maxSize !== undefined) params.push({ type: 'MaxSize', value: String(config.maxSize) });
  if (config.desiredSize !== undefined) params.push({ type: 'DesiredSize', value: String(config.desiredSize) });
  return params;
}

function definedOnly(config: NodegroupScalingConfig): Partial<Scaling> {
  return Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined)) as Partial<Scaling>;
}

function validScaling(scaling: Scaling, fields: Record<string, unknown>): Scaling {
  const invalid = (message: string) => new AwsFault('InvalidParameterException', message, { fields });
  for (const [field, value] of Object.entries(scaling)) {
    if (!Number.isInteger(value)) throw invalid(`${field} must be an integer, got ${value}`);
  }
  if (scaling.minSize < 0) throw invalid(`minSize can't be less than 0`);
  if (scaling.maxSize < 1) throw invalid(`maxSize can't be less than 1`);
  if (scaling.desiredSize < 0) throw invalid(`desiredSize can't be less than 0`);
  if (scaling.minSize > scaling.desiredSize) {
    throw invalid(`Minimum capacity ${scaling.minSize} can't be greater than desired size ${scaling.desiredSize}`);
  }
  if (scaling.desiredSize > scaling.maxSize) throw invalid(`desiredSize can't be greater than maxSize`);
  return scaling;
}
