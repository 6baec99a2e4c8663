import { ConflictError, DependencyUnavailableError } from '../../domain/errors.js';
import type { Clock } from '../../ports/clock.js';
import type { BackupInfo, DeploymentState, KubeTarget, Kubernetes, RestoreInfo, RestoreRequest } from '../../ports/kubernetes.js';
import { apiFailure, toDomainError } from './errors.js';
import { KubeClientCache, type KubeApis, type KubeConnect } from './kube-clients.js';
import { kubePath } from './kube-http.js';
import { SCHEDULE_NAME_LABEL, toBackupInfo, toDeploymentState, toRestoreInfo, type KubeDeployment } from './mapping.js';

const VELERO = { group: 'velero.io', version: 'v1' } as const;
const VELERO_API = `/apis/${VELERO.group}/${VELERO.version}`;
/** Page size for listing backups; an hourly schedule with a 30-day TTL keeps ~720. */
const LIST_PAGE_SIZE = 250;
/** EKS tokens are accepted for 15 minutes; renew well before, whatever a call's duration. */
const DEFAULT_TOKEN_REFRESH_SECONDS = 10 * 60;

export interface KubernetesAdapterOptions {
  /** Finds a target's endpoint, CA and a fresh token (production: EKS DescribeCluster + an EKS token). */
  connect: KubeConnect;
  /** Decides when a cached token is due for renewal. */
  clock: Clock;
  tokenRefreshSeconds?: number;
  /** Recorded in managedFields of what we write. */
  fieldManager?: string;
}

function describe(target: KubeTarget): string {
  return `${target.cluster} (${target.region})`;
}

/**
 * The Kubernetes port over the API server's REST API (`KubeHttpClient`): Deployments and their
 * scale subresource under apps/v1, Velero Backups and Restores under velero.io/v1. Errors come
 * out as our error family (see `toDomainError`); objects as the port's plain types.
 */
export class KubernetesAdapter implements Kubernetes {
  private readonly clients: KubeClientCache;
  private readonly fieldManager: string;

  constructor(options: KubernetesAdapterOptions) {
    this.clients = new KubeClientCache(options.connect, options.clock, (options.tokenRefreshSeconds ?? DEFAULT_TOKEN_REFRESH_SECONDS) * 1000);
    this.fieldManager = options.fieldManager ?? 'lifeboat';
  }

  /** Runs one API call, mapping failures; a refused token drops the cached client so the next call reconnects. */
  private async call<T>(target: KubeTarget, what: string, work: (kube: KubeApis) => Promise<T>): Promise<T> {
    const kube = await this.clients.get(target);
    try {
      return await work(kube);
    } catch (error) {
      if (apiFailure(error)?.code === 401) this.clients.invalidate(target);
      throw toDomainError(error, `${what} on ${describe(target)}`);
    }
  }

  async readDeployment(target: KubeTarget, namespace: string, name: string): Promise<DeploymentState> {
    const deployment = await this.call(target, `read deployment ${namespace}/${name}`, (kube) =>
      kube.get<KubeDeployment>(kubePath`/apis/apps/v1/namespaces/${namespace}/deployments/${name}`),
    );
    return toDeploymentState(deployment, namespace, name);
  }

  async scaleDeployment(target: KubeTarget, namespace: string, name: string, replicas: number, resourceVersion?: string): Promise<void> {
    await this.call(target, `scale deployment ${namespace}/${name} to ${replicas}`, (kube) =>
      kube.put(
        kubePath`/apis/apps/v1/namespaces/${namespace}/deployments/${name}/scale`,
        {
          apiVersion: 'autoscaling/v1',
          kind: 'Scale',
          // The scale shares the Deployment's resourceVersion; with one, the write is conditional.
          metadata: { name, namespace, ...(resourceVersion ? { resourceVersion } : {}) },
          spec: { replicas },
        },
        { fieldManager: this.fieldManager, fieldValidation: 'Strict' },
      ),
    );
  }

  async listBackups(target: KubeTarget, veleroNamespace: string, scheduleName: string): Promise<BackupInfo[]> {
    const what = `list backups of schedule ${scheduleName} in ${veleroNamespace}`;
    const backups: BackupInfo[] = [];
    let continueToken: string | undefined;
    do {
      const page = await this.call(target, what, (kube) =>
        kube.get<{ items?: unknown[]; metadata?: { continue?: string } } | undefined>(VELERO_API + kubePath`/namespaces/${veleroNamespace}/backups`, {
          labelSelector: `${SCHEDULE_NAME_LABEL}=${scheduleName}`,
          limit: LIST_PAGE_SIZE,
          continue: continueToken,
        }),
      );
      if (!page) throw new DependencyUnavailableError(`${what} on ${describe(target)}: the API server answered with an empty body`);
      for (const item of page.items ?? []) backups.push(toBackupInfo(item, what));
      continueToken = page.metadata?.continue || undefined;
    } while (continueToken);
    return backups;
  }

  async createRestore(target: KubeTarget, veleroNamespace: string, restore: RestoreRequest): Promise<'created' | 'exists'> {
    const body = {
      apiVersion: `${VELERO.group}/${VELERO.version}`,
      kind: 'Restore',
      metadata: { name: restore.name, namespace: veleroNamespace, ...(restore.labels ? { labels: restore.labels } : {}) },
      spec: {
        backupName: restore.backupName,
        ...(restore.includedNamespaces ? { includedNamespaces: restore.includedNamespaces } : {}),
      },
    };
    try {
      await this.call(target, `create restore ${veleroNamespace}/${restore.name}`, (kube) =>
        // Strict: a field Velero's CRD does not know is an error, not silently dropped (the default).
        kube.post(VELERO_API + kubePath`/namespaces/${veleroNamespace}/restores`, body, { fieldManager: this.fieldManager, fieldValidation: 'Strict' }),
      );
      return 'created';
    } catch (error) {
      // A 409 on create is AlreadyExists (ours from an earlier attempt, or someone else's); any other 409 reason stays a Conflict.
      if (error instanceof ConflictError && apiFailure(error.cause)?.status.reason === 'AlreadyExists') return 'exists';
      throw error;
    }
  }

  async readRestore(target: KubeTarget, veleroNamespace: string, name: string): Promise<RestoreInfo> {
    const what = `read restore ${veleroNamespace}/${name}`;
    const object = await this.call(target, what, (kube) =>
      kube.get<unknown>(VELERO_API + kubePath`/namespaces/${veleroNamespace}/restores/${name}`),
    );
    return toRestoreInfo(object, what);
  }
}
