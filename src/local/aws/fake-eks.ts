import * as eks from '@aws-sdk/client-eks';
import type {
  Cluster,
  DescribeClusterRequest,
  DescribeNodegroupRequest,
  DescribeUpdateRequest,
  Nodegroup,
  Update,
  UpdateNodegroupConfigRequest,
  UpdateParam,
} from '@aws-sdk/client-eks';
import type { Clock } from '../../ports/clock.js';
import { AwsFault, FakeNotImplementedError } from './aws-fault.js';
import { exceptionCatalog } from './exception-catalog.js';
import { FAKE_ACCOUNT_ID, FakeAwsService, type FaultTemplate } from './fake-service.js';
import { fakeUuid } from './fake-ids.js';
import { mergeScaling, scalingParams, type Scaling } from './eks-scaling-rules.js';

const EKS_EXCEPTIONS = exceptionCatalog(eks, eks.EKSServiceException);

/** Options of the fake. */
export interface FakeEksOptions {
  /** Seconds of clock time a node group update stays InProgress (default 180). */
  nodegroupUpdateSeconds?: number;
}

/** A cluster to seed. */
export interface ClusterSeed {
  name: string;
  /** CREATING | ACTIVE | DELETING | FAILED | UPDATING | PENDING (default ACTIVE). */
  status?: string;
  endpoint?: string;
  /** Base64 PEM of the cluster CA. */
  certificateAuthority?: string;
  version?: string;
}

/** A managed node group to seed. */
export interface NodegroupSeed {
  minSize: number;
  maxSize: number;
  desiredSize: number;
  status?: string;
}

/** How a node group update ends when a test makes it fail. */
export interface UpdateFailure {
  errorCode?: string;
  errorMessage?: string;
}

interface FakeUpdate {
  id: string;
  createdAt: Date;
  params: UpdateParam[];
  target: Scaling;
  fingerprint: string;
  failure?: UpdateFailure;
  applied: boolean;
}

interface FakeNodegroup {
  name: string;
  arn: string;
  scaling: Scaling;
  status: string;
  createdAt: Date;
  modifiedAt: Date;
  updates: FakeUpdate[];
  nextFailure?: UpdateFailure;
}

interface FakeCluster {
  seed: Required<ClusterSeed>;
  arn: string;
  createdAt: Date;
  nodegroups: Map<string, FakeNodegroup>;
}

const EKS_FAULTS: Record<string, FaultTemplate> = {
  ResourceInUseException: { httpStatusCode: 409, message: 'The specified resource is in use.' },
  ThrottlingException: { httpStatusCode: 429, message: 'Rate exceeded' },
  ServerException: { httpStatusCode: 500, message: 'An internal error occurred. Try your request again.' },
  ServiceUnavailableException: { httpStatusCode: 503, message: 'The service is unavailable. Try your request again.' },
  AccessDeniedException: {
    httpStatusCode: 403,
    message: `User: arn:aws:sts::${FAKE_ACCOUNT_ID}:assumed-role/lifeboat/session is not authorized to perform this action`,
  },
  InvalidParameterException: { httpStatusCode: 400, message: 'The specified parameter is invalid.' },
  ResourceNotFoundException: { httpStatusCode: 404, message: 'The specified resource could not be found.' },
};

/** Node group statuses in which EKS refuses configuration updates. */
const NOT_UPDATABLE = ['CREATING', 'DELETING', 'CREATE_FAILED', 'DELETE_FAILED'];

/**
 * EKS control planes per region, for the calls Lifeboat makes: DescribeCluster,
 * DescribeNodegroup, UpdateNodegroupConfig (scaling only) and DescribeUpdate. A node group
 * update is InProgress, and the node group UPDATING, until `nodegroupUpdateSeconds` of clock time
 * pass; then the update is Successful (or Failed, see `failNextUpdate`) and the new scaling
 * applies. Attach one instance to the EKS client of every region with `attachFake`.
 */
export class FakeEks extends FakeAwsService {
  readonly fakeName = 'FakeEks';
  readonly exceptions = EKS_EXCEPTIONS;
  protected readonly operations = ['DescribeCluster', 'DescribeNodegroup', 'UpdateNodegroupConfig', 'DescribeUpdate'] as const;
  protected readonly injectableFaults = EKS_FAULTS;

  readonly nodegroupUpdateSeconds: number;
  private readonly regions = new Map<string, Map<string, FakeCluster>>();
  /** Client request tokens per region, which EKS remembers to make the call idempotent. */
  private readonly tokens = new Map<string, FakeUpdate>();
  private updateSequence = 0;

  constructor(clock: Clock, options: FakeEksOptions = {}) {
    super(clock);
    this.nodegroupUpdateSeconds = options.nodegroupUpdateSeconds ?? 180;
  }

  // ---- seeding and inspection ------------------------------------------------------------------

  /** Adds a cluster in a region (ACTIVE unless the seed says otherwise). */
  addCluster(region: string, seed: ClusterSeed): this {
    const clusters = this.regions.get(region) ?? new Map<string, FakeCluster>();
    this.regions.set(region, clusters);
    clusters.set(seed.name, {
      seed: {
        status: 'ACTIVE',
        endpoint: `https://${fakeUuid(`${region}/${seed.name}`).replace(/-/g, '').slice(0, 32).toUpperCase()}.gr7.${region}.eks.amazonaws.com`,
        certificateAuthority: 'LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCg==',
        version: '1.31',
        ...seed,
      },
      arn: `arn:aws:eks:${region}:${FAKE_ACCOUNT_ID}:cluster/${seed.name}`,
      createdAt: this.clock.now(),
      nodegroups: new Map(),
    });
    return this;
  }

  /** Adds a managed node group to an existing cluster. */
  addNodegroup(region: string, cluster: string, name: string, seed: NodegroupSeed): this {
    const target = this.cluster(region, cluster);
    const now = this.clock.now();
    target.nodegroups.set(name, {
      name,
      arn: `arn:aws:eks:${region}:${FAKE_ACCOUNT_ID}:nodegroup/${cluster}/${name}/${fakeUuid(`${region}/${cluster}/${name}`)}`,
      scaling: { minSize: seed.minSize, maxSize: seed.maxSize, desiredSize: seed.desiredSize },
      status: seed.status ?? 'ACTIVE',
      createdAt: now,
      modifiedAt: now,
      updates: [],
    });
    return this;
  }

  /** Changes a cluster's status (a regional outage can leave it FAILED or unreachable). */
  setClusterStatus(region: string, cluster: string, status: string): this {
    this.cluster(region, cluster).seed.status = status;
    return this;
  }

  /** Makes the next update of this node group end Failed with this error instead of applying. */
  failNextUpdate(region: string, cluster: string, nodegroup: string, failure: UpdateFailure = {}): this {
    this.nodegroup(region, cluster, nodegroup).nextFailure = failure;
    return this;
  }

  /** How many updates UpdateNodegroupConfig created for this node group (token replays excluded). */
  updatesCreated(region: string, cluster: string, nodegroup: string): number {
    return this.nodegroup(region, cluster, nodegroup).updates.length;
  }

  /** The node group's scaling as it is now (after any update that has finished). */
  scalingOf(region: string, cluster: string, nodegroup: string): Scaling {
    const target = this.nodegroup(region, cluster, nodegroup);
    this.settle(target);
    return { ...target.scaling };
  }

  // ---- operations ------------------------------------------------------------------------------

  /** The cluster with its endpoint and CA; ResourceNotFoundException when unknown in this region. */
  DescribeCluster(input: DescribeClusterRequest, context: { region: string }): { cluster: Cluster } {
    const cluster = this.cluster(context.region, input.name);
    return {
      cluster: {
        name: cluster.seed.name,
        arn: cluster.arn,
        createdAt: cluster.createdAt,
        version: cluster.seed.version,
        endpoint: cluster.seed.endpoint,
        roleArn: `arn:aws:iam::${FAKE_ACCOUNT_ID}:role/${cluster.seed.name}-cluster`,
        status: cluster.seed.status as Cluster['status'],
        certificateAuthority: { data: cluster.seed.certificateAuthority },
        platformVersion: 'eks.1',
      },
    };
  }

  /** The node group, UPDATING while an update runs, with the sizes of the last finished update. */
  DescribeNodegroup(input: DescribeNodegroupRequest, context: { region: string }): { nodegroup: Nodegroup } {
    const nodegroup = this.nodegroup(context.region, input.clusterName, input.nodegroupName);
    this.settle(nodegroup);
    return {
      nodegroup: {
        nodegroupName: nodegroup.name,
        nodegroupArn: nodegroup.arn,
        clusterName: input.clusterName,
        status: this.statusOf(nodegroup) as Nodegroup['status'],
        capacityType: 'ON_DEMAND',
        scalingConfig: { ...nodegroup.scaling },
        createdAt: nodegroup.createdAt,
        modifiedAt: nodegroup.modifiedAt,
        health: { issues: [] },
      },
    };
  }

  /**
   * Only `scalingConfig` is modeled (labels, taints and the other configs throw). EKS rules kept:
   * omitted sizes keep their current values; minSize ≥ 0, maxSize ≥ 1 (API model ranges) and
   * minSize ≤ desiredSize ≤ maxSize, with EKS's own messages; ResourceInUseException while the
   * node group has an update in progress; a `clientRequestToken` seen before returns the update it
   * created, whatever its state now. Reusing a token for a different request is refused with
   * InvalidRequestException: the EKS reference only says the token ensures idempotency, and
   * refusing (as EC2 does with IdempotentParameterMismatch) keeps a caller bug visible.
   */
  UpdateNodegroupConfig(input: UpdateNodegroupConfigRequest, context: { region: string }): { update: Update } {
    const unsupported = (['labels', 'taints', 'updateConfig', 'nodeRepairConfig', 'warmPoolConfig'] as const).filter(
      (field) => input[field] !== undefined,
    );
    if (unsupported.length > 0) throw new FakeNotImplementedError(`FakeEks does not model ${unsupported.join(', ')} updates`);
    const fields = { clusterName: input.clusterName, nodegroupName: input.nodegroupName };
    const cluster = this.cluster(context.region, input.clusterName);
    const nodegroup = this.nodegroup(context.region, input.clusterName, input.nodegroupName);
    this.settle(nodegroup);

    const fingerprint = JSON.stringify([input.clusterName, input.nodegroupName, input.scalingConfig ?? null]);
    const tokenKey = input.clientRequestToken === undefined ? undefined : `${context.region}|${input.clientRequestToken}`;
    const replayed = tokenKey === undefined ? undefined : this.tokens.get(tokenKey);
    if (replayed) {
      if (replayed.fingerprint !== fingerprint) {
        throw new AwsFault(
          'InvalidRequestException',
          `The client request token ${input.clientRequestToken} was already used for a different request.`,
          { fields },
        );
      }
      return { update: this.updateView(replayed) };
    }

    if (cluster.seed.status !== 'ACTIVE') {
      throw new AwsFault('InvalidRequestException', `Cluster ${cluster.seed.name} is in ${cluster.seed.status} state.`, { fields });
    }
    if (NOT_UPDATABLE.includes(nodegroup.status)) {
      throw new AwsFault('InvalidRequestException', `Nodegroup ${nodegroup.name} is in ${nodegroup.status} state.`, { fields });
    }
    const running = nodegroup.updates.find((update) => this.updateStatus(update) === 'InProgress');
    if (running) {
      throw new AwsFault(
        'ResourceInUseException',
        `Cannot update because nodegroup ${nodegroup.name} currently has update ${running.id} in progress`,
        { httpStatusCode: 409, fields },
      );
    }
    if (input.scalingConfig === undefined) {
      throw new AwsFault('InvalidParameterException', 'No changes requested: specify scalingConfig.', { fields });
    }
    const target = mergeScaling(nodegroup.scaling, input.scalingConfig, fields);

    this.updateSequence += 1;
    const update: FakeUpdate = {
      id: fakeUuid(`eks-update/${context.region}/${this.updateSequence}`),
      createdAt: this.clock.now(),
      params: scalingParams(input.scalingConfig),
      target,
      fingerprint,
      applied: false,
    };
    if (nodegroup.nextFailure) {
      update.failure = nodegroup.nextFailure;
      delete nodegroup.nextFailure;
    }
    nodegroup.updates.push(update);
    if (tokenKey !== undefined) this.tokens.set(tokenKey, update);
    return { update: this.updateView(update) };
  }

  /** A node group update by ID (`nodegroupName` is required for node group updates, as on EKS). */
  DescribeUpdate(input: DescribeUpdateRequest, context: { region: string }): { update: Update } {
    this.cluster(context.region, input.name);
    const nodegroup = input.nodegroupName === undefined ? undefined : this.nodegroup(context.region, input.name, input.nodegroupName);
    const update = nodegroup?.updates.find((candidate) => candidate.id === input.updateId);
    if (!nodegroup || !update) {
      throw new AwsFault('ResourceNotFoundException', `No update found for ID: ${input.updateId}`, {
        httpStatusCode: 404,
        fields: { clusterName: input.name, nodegroupName: input.nodegroupName },
      });
    }
    this.settle(nodegroup);
    return { update: this.updateView(update) };
  }

  // ---- internals -------------------------------------------------------------------------------

  private cluster(region: string, name: string | undefined): FakeCluster {
    const cluster = this.regions.get(region)?.get(name ?? '');
    if (!cluster) {
      throw new AwsFault('ResourceNotFoundException', `No cluster found for name: ${name}.`, {
        httpStatusCode: 404,
        fields: { clusterName: name },
      });
    }
    return cluster;
  }

  private nodegroup(region: string, cluster: string | undefined, name: string | undefined): FakeNodegroup {
    const nodegroup = this.cluster(region, cluster).nodegroups.get(name ?? '');
    if (!nodegroup) {
      throw new AwsFault('ResourceNotFoundException', `No node group found for name: ${name}.`, {
        httpStatusCode: 404,
        fields: { clusterName: cluster, nodegroupName: name },
      });
    }
    return nodegroup;
  }

  private completesAt(update: FakeUpdate): number {
    return update.createdAt.getTime() + this.nodegroupUpdateSeconds * 1000;
  }

  private updateStatus(update: FakeUpdate): 'InProgress' | 'Successful' | 'Failed' {
    if (this.clock.now().getTime() < this.completesAt(update)) return 'InProgress';
    return update.failure ? 'Failed' : 'Successful';
  }

  /** Applies finished updates; called before every read, so state follows the clock lazily. */
  private settle(nodegroup: FakeNodegroup): void {
    for (const update of nodegroup.updates) {
      if (update.applied || this.updateStatus(update) === 'InProgress') continue;
      update.applied = true;
      nodegroup.modifiedAt = new Date(this.completesAt(update));
      if (!update.failure) nodegroup.scaling = { ...update.target };
    }
  }

  private statusOf(nodegroup: FakeNodegroup): string {
    return nodegroup.updates.some((update) => this.updateStatus(update) === 'InProgress') ? 'UPDATING' : nodegroup.status;
  }

  private updateView(update: FakeUpdate): Update {
    const status = this.updateStatus(update);
    const errors =
      status === 'Failed'
        ? [
            {
              errorCode: (update.failure?.errorCode ?? 'AsgInstanceLaunchFailures') as NonNullable<Update['errors']>[number]['errorCode'],
              errorMessage: update.failure?.errorMessage ?? 'Could not launch On-Demand Instances. InsufficientInstanceCapacity',
              resourceIds: [],
            },
          ]
        : [];
    return { id: update.id, status, type: 'ConfigUpdate', params: update.params.map((param) => ({ ...param })), createdAt: update.createdAt, errors };
  }
}
