import type { Clock } from '../../ports/clock.js';
import { conflict, notFound, rfc3339, type ResourceRef } from './k8s-status.js';

export const DEPLOYMENTS: ResourceRef = { group: 'apps', plural: 'deployments' };

/** How a deployment starts out: `readyReplicas` below `replicas` models pods that stay unready until the next scale. */
export interface DeploymentSeed {
  replicas: number;
  readyReplicas?: number;
}

/** Ready pods: `from` until `readyAt`, then `to`. A scale up moves `to`; a scale down applies at once. */
interface Readiness {
  from: number;
  to: number;
  readyAt: Date;
}

interface DeploymentRecord {
  namespace: string;
  name: string;
  uid: string;
  createdAt: Date;
  changedAt: Date;
  generation: number;
  resourceVersion: string;
  replicas: number;
  readiness: Readiness;
}

/** The parts of an apps/v1 Deployment the stand-in serves (a real server sends more; none we read). */
export interface DeploymentObject {
  apiVersion: 'apps/v1';
  kind: 'Deployment';
  metadata: {
    name: string;
    namespace: string;
    uid: string;
    resourceVersion: string;
    generation: number;
    creationTimestamp: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
  };
  spec: Record<string, unknown> & { replicas: number };
  status: {
    observedGeneration: number;
    replicas?: number;
    updatedReplicas?: number;
    readyReplicas?: number;
    availableReplicas?: number;
    unavailableReplicas?: number;
    conditions: Array<Record<string, string>>;
  };
}

/** autoscaling/v1 Scale, the `scale` subresource of a Deployment. */
export interface ScaleObject {
  apiVersion: 'autoscaling/v1';
  kind: 'Scale';
  metadata: { name: string; namespace: string; uid: string; resourceVersion: string; creationTimestamp: string };
  spec: { replicas?: number };
  status: { replicas: number; selector: string };
}

/** Go's `omitempty`: zero counts are absent from the JSON, as from a real API server. */
function nonZero(value: number): number | undefined {
  return value === 0 ? undefined : value;
}

/**
 * The Deployments of one stand-in cluster. Status is computed from the clock on every read (no
 * timers): after a scale up at time t, the new pods are ready at t + `readySeconds`.
 */
export class DeploymentStore {
  private readonly records = new Map<string, DeploymentRecord>();

  constructor(
    private readonly clock: Clock,
    private readonly readySeconds: number,
    private readonly nextResourceVersion: () => string,
    private readonly newUid: () => string,
  ) {}

  add(namespace: string, name: string, seed: DeploymentSeed): void {
    const now = this.clock.now();
    const ready = seed.readyReplicas ?? seed.replicas;
    this.records.set(`${namespace}/${name}`, {
      namespace,
      name,
      uid: this.newUid(),
      createdAt: now,
      changedAt: now,
      generation: 1,
      resourceVersion: this.nextResourceVersion(),
      replicas: seed.replicas,
      readiness: { from: ready, to: ready, readyAt: now },
    });
  }

  private record(namespace: string, name: string): DeploymentRecord {
    const found = this.records.get(`${namespace}/${name}`);
    if (!found) throw notFound(DEPLOYMENTS, name);
    return found;
  }

  private readyAt(record: DeploymentRecord, now: Date): number {
    return now >= record.readiness.readyAt ? record.readiness.to : record.readiness.from;
  }

  get(namespace: string, name: string): DeploymentObject {
    const record = this.record(namespace, name);
    const now = this.clock.now();
    const ready = this.readyAt(record, now);
    const settled = ready === record.replicas;
    const since = rfc3339(now >= record.readiness.readyAt ? record.readiness.readyAt : record.changedAt);
    const available = ready >= record.replicas - Math.floor(record.replicas / 4);
    const replicaSet = `${record.name}-6d4cf56db6`;
    return {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: {
        name: record.name,
        namespace: record.namespace,
        uid: record.uid,
        resourceVersion: record.resourceVersion,
        generation: record.generation,
        creationTimestamp: rfc3339(record.createdAt),
        labels: { app: record.name },
        annotations: { 'deployment.kubernetes.io/revision': '1' },
      },
      spec: {
        replicas: record.replicas,
        selector: { matchLabels: { app: record.name } },
        template: {
          metadata: { labels: { app: record.name } },
          spec: { containers: [{ name: record.name, image: `registry.example/${record.name}:1` }] },
        },
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
        revisionHistoryLimit: 10,
        progressDeadlineSeconds: 600,
      },
      status: {
        // The deployment controller observes a new generation within milliseconds.
        observedGeneration: record.generation,
        replicas: nonZero(record.replicas),
        updatedReplicas: nonZero(ready),
        readyReplicas: nonZero(ready),
        availableReplicas: nonZero(ready),
        unavailableReplicas: nonZero(Math.max(0, record.replicas - ready)),
        conditions: [
          {
            type: 'Available',
            status: available ? 'True' : 'False',
            reason: available ? 'MinimumReplicasAvailable' : 'MinimumReplicasUnavailable',
            message: available ? 'Deployment has minimum availability.' : 'Deployment does not have minimum availability.',
            lastUpdateTime: since,
            lastTransitionTime: since,
          },
          {
            type: 'Progressing',
            status: 'True',
            reason: settled ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
            message: settled ? `ReplicaSet "${replicaSet}" has successfully progressed.` : `ReplicaSet "${replicaSet}" is progressing.`,
            lastUpdateTime: since,
            lastTransitionTime: rfc3339(record.createdAt),
          },
        ],
      },
    };
  }

  scale(namespace: string, name: string): ScaleObject {
    const record = this.record(namespace, name);
    return {
      apiVersion: 'autoscaling/v1',
      kind: 'Scale',
      metadata: {
        name: record.name,
        namespace: record.namespace,
        uid: record.uid,
        resourceVersion: record.resourceVersion,
        creationTimestamp: rfc3339(record.createdAt),
      },
      spec: { replicas: nonZero(record.replicas) },
      status: { replicas: record.replicas, selector: `app=${record.name}` },
    };
  }

  /**
   * Sets spec.replicas. With `expectedResourceVersion`, only if the object is still at that version
   * (409 Conflict otherwise), as an update with `metadata.resourceVersion` does. Setting the
   * current value changes nothing, not even the resourceVersion, as on a real API server.
   */
  setReplicas(namespace: string, name: string, replicas: number, expectedResourceVersion?: string): ScaleObject {
    const record = this.record(namespace, name);
    if (expectedResourceVersion && expectedResourceVersion !== record.resourceVersion) throw conflict(DEPLOYMENTS, name);
    if (replicas !== record.replicas) {
      const now = this.clock.now();
      const ready = this.readyAt(record, now);
      record.readiness =
        replicas <= ready
          ? { from: replicas, to: replicas, readyAt: now }
          : { from: ready, to: replicas, readyAt: new Date(now.getTime() + this.readySeconds * 1000) };
      record.replicas = replicas;
      record.generation += 1;
      record.resourceVersion = this.nextResourceVersion();
      record.changedAt = now;
    }
    return this.scale(namespace, name);
  }
}
