import { DependencyUnavailableError, LifeboatError } from '../../domain/errors.js';
import { ExpiringPromiseCache } from '../../domain/expiring-cache.js';
import type { Clock } from '../../ports/clock.js';
import type { KubeTarget } from '../../ports/kubernetes.js';
import { KubeHttpClient, type KubeConnection } from './kube-http.js';

export type { KubeConnection } from './kube-http.js';

/** Resolves a target to a fresh connection; called again whenever the token is due for renewal. */
export type KubeConnect = (target: KubeTarget) => Promise<KubeConnection>;

/** The API client for one cluster. */
export type KubeApis = KubeHttpClient;

/** Builds the API client for a connection; no kubeconfig file, no process-wide state. */
export function makeKubeApis(connection: KubeConnection): KubeApis {
  return new KubeHttpClient(connection);
}

/**
 * An API client per target, built once and rebuilt with a fresh connection (hence a fresh token)
 * after `refreshAfterMs` of clock time. Concurrent callers share one pending connection; a failed
 * connection is not cached.
 */
export class KubeClientCache {
  private readonly entries: ExpiringPromiseCache<KubeApis>;

  constructor(
    private readonly connect: KubeConnect,
    clock: Clock,
    refreshAfterMs: number,
  ) {
    this.entries = new ExpiringPromiseCache(clock, refreshAfterMs);
  }

  private static key(target: KubeTarget): string {
    return `${target.region}/${target.cluster}`;
  }

  get(target: KubeTarget): Promise<KubeApis> {
    return this.entries.get(KubeClientCache.key(target), () =>
      this.connect(target).then(
        (connection) => makeKubeApis(connection),
        (error: unknown) => {
          if (error instanceof LifeboatError) throw error;
          throw new DependencyUnavailableError(`cannot connect to cluster ${target.cluster} in ${target.region}`, { cause: error });
        },
      ),
    );
  }

  /** Forgets a target's client, so the next call connects again (after the server refused our token). */
  invalidate(target: KubeTarget): void {
    this.entries.delete(KubeClientCache.key(target));
  }
}
