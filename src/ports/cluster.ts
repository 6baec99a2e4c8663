/** EKS control plane, per region (the adapter keeps one client per region). */
export interface ClusterInfo {
  name: string;
  status: string; // CREATING | ACTIVE | DELETING | FAILED | UPDATING | PENDING
  endpoint?: string;
  certificateAuthority?: string; // base64 PEM
}

export interface NodegroupScaling {
  minSize: number;
  maxSize: number;
  desiredSize: number;
}

export interface NodegroupInfo {
  name: string;
  status: string; // ACTIVE | UPDATING | ...
  scaling: NodegroupScaling;
}

export type UpdateStatus = 'InProgress' | 'Successful' | 'Failed' | 'Cancelled';

export interface NodegroupUpdate {
  id: string;
  status: UpdateStatus;
  errors: string[];
}

export interface Eks {
  describeCluster(region: string, cluster: string): Promise<ClusterInfo>;
  describeNodegroup(region: string, cluster: string, nodegroup: string): Promise<NodegroupInfo>;
  /** `UpdateNodegroupConfig`; the same `token` returns the same update instead of a second one. */
  updateNodegroupScaling(
    region: string,
    cluster: string,
    nodegroup: string,
    scaling: NodegroupScaling,
    token: string,
  ): Promise<NodegroupUpdate>;
  describeUpdate(region: string, cluster: string, nodegroup: string, updateId: string): Promise<NodegroupUpdate>;
}
