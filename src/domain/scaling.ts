import type { NodegroupScaling } from '../ports/cluster.js';

/**
 * The node group size a promoted cluster needs. Promotion only ever grows a node group: if an
 * autoscaler already went further than the configured promoted size, shrinking it mid-outage
 * would evict the very workloads we are failing over to.
 */
export function promotedScaling(current: NodegroupScaling, promoted: NodegroupScaling): NodegroupScaling {
  return {
    minSize: Math.max(current.minSize, promoted.minSize),
    desiredSize: Math.max(current.desiredSize, promoted.desiredSize),
    maxSize: Math.max(current.maxSize, promoted.maxSize),
  };
}

export function sameScaling(a: NodegroupScaling, b: NodegroupScaling): boolean {
  return a.minSize === b.minSize && a.desiredSize === b.desiredSize && a.maxSize === b.maxSize;
}

/** Replicas for a promoted Deployment: at least the configured count, never fewer than it runs now. */
export function promotedReplicas(current: number, promoted: number): number {
  return Math.max(current, promoted);
}
