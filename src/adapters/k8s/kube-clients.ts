import { AppsV1Api, CustomObjectsApi, KubeConfig } from '@kubernetes/client-node';
import { DependencyUnavailableError, LifeboatError } from '../../domain/errors.js';
import type { Clock } from '../../ports/clock.js';
import type { KubeTarget } from '../../ports/kubernetes.js';

/** Where a cluster's API server is and how to authenticate to it. */
export interface KubeConnection {
  /** The API server URL (`https://…` from EKS; `http://127.0.0.1:…` for the stand-in). */
  server: string;
  /** The cluster CA bundle, base64-encoded PEM, as EKS DescribeCluster returns it. */
  caData?: string;
  /** A bearer token (an EKS token lasts 15 minutes). */
  token: string;
}

/** Resolves a target to a fresh connection; called again whenever the token is due for renewal. */
export type KubeConnect = (target: KubeTarget) => Promise<KubeConnection>;

/** The API clients for one cluster. */
export interface KubeApis {
  apps: AppsV1Api;
  custom: CustomObjectsApi;
}

interface Entry {
  connectedAt: number;
  apis: Promise<KubeApis>;
}

/** Builds client-node API clients for a connection; no kubeconfig file, no process-wide state. */
export function makeKubeApis(connection: KubeConnection, name: string): KubeApis {
  const config = new KubeConfig();
  config.loadFromClusterAndUser(
    {
      name,
      server: connection.server,
      caData: connection.caData,
      // client-node only speaks plain http when TLS verification is off; there is no TLS to verify.
      skipTLSVerify: connection.server.startsWith('http://'),
    },
    { name: 'lifeboat', token: connection.token },
  );
  return { apps: config.makeApiClient(AppsV1Api), custom: config.makeApiClient(CustomObjectsApi) };
}

/**
 * API clients per target, built once and rebuilt with a fresh connection (hence a fresh token)
 * after `refreshAfterMs` of clock time. Concurrent callers share one pending connection; a failed
 * connection is not cached.
 */
export class KubeClientCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly connect: KubeConnect,
    private readonly clock: Clock,
    private readonly refreshAfterMs: number,
  ) {}

  private static key(target: KubeTarget): string {
    return `${target.region}/${target.cluster}`;
  }

  get(target: KubeTarget): Promise<KubeApis> {
    const key = KubeClientCache.key(target);
    const now = this.clock.now().getTime();
    const cached = this.entries.get(key);
    if (cached && now - cached.connectedAt < this.refreshAfterMs) return cached.apis;

    const apis: Promise<KubeApis> = this.connect(target).then(
      (connection) => makeKubeApis(connection, key),
      (error: unknown) => {
        if (this.entries.get(key)?.apis === apis) this.entries.delete(key);
        if (error instanceof LifeboatError) throw error;
        throw new DependencyUnavailableError(`cannot connect to cluster ${target.cluster} in ${target.region}`, { cause: error });
      },
    );
    this.entries.set(key, { connectedAt: now, apis });
    return apis;
  }

  /** Forgets a target's clients, so the next call connects again (after the server refused our token). */
  invalidate(target: KubeTarget): void {
    this.entries.delete(KubeClientCache.key(target));
  }
}
