import {
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  DescribeUpdateCommand,
  UpdateNodegroupConfigCommand,
  type EKSClient,
  type Update,
} from '@aws-sdk/client-eks';
import type { ClusterInfo, Eks, NodegroupInfo, NodegroupScaling, NodegroupUpdate, UpdateStatus } from '../../ports/cluster.js';
import { awsCall } from './errors.js';

/** Where the adapter gets the EKS client of a region (the runtime makes one per region). */
export interface EksClientSource {
  eks(region: string): EKSClient;
}

/** EKS control planes and managed node groups (port `Eks`), one client per region. */
export class EksClusters implements Eks {
  constructor(private readonly clients: EksClientSource) {}

  async describeCluster(region: string, cluster: string): Promise<ClusterInfo> {
    const output = await awsCall(`eks:DescribeCluster ${region}/${cluster}`, () =>
      this.clients.eks(region).send(new DescribeClusterCommand({ name: cluster })),
    );
    const info: ClusterInfo = { name: output.cluster?.name ?? cluster, status: output.cluster?.status ?? 'UNKNOWN' };
    if (output.cluster?.endpoint !== undefined) info.endpoint = output.cluster.endpoint;
    if (output.cluster?.certificateAuthority?.data !== undefined) info.certificateAuthority = output.cluster.certificateAuthority.data;
    return info;
  }

  async describeNodegroup(region: string, cluster: string, nodegroup: string): Promise<NodegroupInfo> {
    const output = await awsCall(`eks:DescribeNodegroup ${region}/${cluster}/${nodegroup}`, () =>
      this.clients.eks(region).send(new DescribeNodegroupCommand({ clusterName: cluster, nodegroupName: nodegroup })),
    );
    const scaling = output.nodegroup?.scalingConfig;
    return {
      name: output.nodegroup?.nodegroupName ?? nodegroup,
      status: output.nodegroup?.status ?? 'UNKNOWN',
      scaling: { minSize: scaling?.minSize ?? 0, maxSize: scaling?.maxSize ?? 0, desiredSize: scaling?.desiredSize ?? 0 },
    };
  }

  /**
   * UpdateNodegroupConfig with all three sizes and `token` as the clientRequestToken, so a retried
   * step gets the update it already started instead of a second one.
   */
  async updateNodegroupScaling(
    region: string,
    cluster: string,
    nodegroup: string,
    scaling: NodegroupScaling,
    token: string,
  ): Promise<NodegroupUpdate> {
    const output = await awsCall(`eks:UpdateNodegroupConfig ${region}/${cluster}/${nodegroup}`, () =>
      this.clients.eks(region).send(
        new UpdateNodegroupConfigCommand({
          clusterName: cluster,
          nodegroupName: nodegroup,
          scalingConfig: { minSize: scaling.minSize, maxSize: scaling.maxSize, desiredSize: scaling.desiredSize },
          clientRequestToken: token,
        }),
      ),
    );
    return toNodegroupUpdate(output.update);
  }

  async describeUpdate(region: string, cluster: string, nodegroup: string, updateId: string): Promise<NodegroupUpdate> {
    const output = await awsCall(`eks:DescribeUpdate ${region}/${cluster}/${nodegroup} ${updateId}`, () =>
      this.clients.eks(region).send(new DescribeUpdateCommand({ name: cluster, nodegroupName: nodegroup, updateId })),
    );
    return toNodegroupUpdate(output.update);
  }
}

function toNodegroupUpdate(update: Update | undefined): NodegroupUpdate {
  return {
    id: update?.id ?? '',
    status: (update?.status ?? 'InProgress') as UpdateStatus,
    errors: (update?.errors ?? []).map((error) => `${error.errorCode ?? 'Unknown'}: ${error.errorMessage ?? ''}`.trimEnd()),
  };
}
