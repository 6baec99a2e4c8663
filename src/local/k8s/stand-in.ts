import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../ports/clock.js';
import { appsRoutes } from './apps-routes.js';
import { DeploymentStore, type DeploymentObject, type DeploymentSeed } from './deployments.js';
import { checkEksBearer } from './eks-token-check.js';
import { FaultInjector, type FaultSpec } from './faults.js';
import { badRequest, StatusError, statusBody, unauthorized } from './k8s-status.js';
import type { RestoreOutcome } from './restore-lifecycle.js';
import { dispatch, type ApiRequest, type ApiResponse, type Route } from './routing.js';
import { RESTORES } from './velero-resources.js';
import { veleroRoutes } from './velero-routes.js';
import { VeleroStore, type BackupSeed, type KubeObject } from './velero-store.js';

export type { BackupSeed, DeploymentObject, DeploymentSeed, FaultSpec, KubeObject, RestoreOutcome };

export interface KubeStandInOptions {
  clusterName: string;
  /** Drives pod readiness and the Velero restore lifecycle; share it with the code under test. */
  clock: Clock;
  /** How long after a scale up the new pods are ready. */
  deploymentReadySeconds?: number;
  /** How long after creation a restore reaches its outcome. */
  restoreSeconds?: number;
}

/** One request as the stand-in saw it, after it answered. */
export interface LoggedRequest {
  method: string;
  path: string;
  /** The raw query string, without `?`. */
  query: string;
  status: number;
  at: Date;
}

export interface StandInStats {
  /** Scale subresource writes (PUT or PATCH) the stand-in accepted, including ones that changed nothing. */
  scaleWrites: number;
  /** Restores created through the API. */
  restoresCreated: number;
}

/** A Kubernetes API server (one cluster) with just what Lifeboat uses, over real HTTP on 127.0.0.1. */
export interface KubeStandIn {
  /** `http://127.0.0.1:<port>`; clients need `skipTLSVerify` for plain http. */
  readonly url: string;
  readonly clusterName: string;
  /** A snapshot of the counters. */
  readonly stats: Readonly<StandInStats>;
  /** Every request so far, oldest first. */
  readonly requests: readonly LoggedRequest[];
  /** Stops listening and drops open connections; calling it again is harmless. */
  close(): Promise<void>;
  addDeployment(namespace: string, name: string, seed: DeploymentSeed): void;
  addBackup(backup: BackupSeed): void;
  /** How restores created from now on end. */
  setRestoreOutcome(outcome: RestoreOutcome): void;
  /** Makes the next `times` matching requests (after authentication) fail with a Status error. */
  injectFault(fault: FaultSpec): void;
  /** The Deployment as a GET would return it now, or undefined. */
  deployment(namespace: string, name: string): DeploymentObject | undefined;
  /** Restores (in one namespace, or all) as a GET would return them now. */
  restores(namespace?: string): KubeObject[];
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  if (text.trim() === '') return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw badRequest(`couldn't get version/kind; json parse error: ${(error as Error).message}`);
  }
}

function send(response: ServerResponse, answer: ApiResponse): void {
  const payload = JSON.stringify(answer.body);
  response.statusCode = answer.status;
  response.setHeader('Content-Type', 'application/json');
  response.setHeader('Content-Length', Buffer.byteLength(payload));
  // The API server sends warnings as RFC 7234 `Warning: 299 - "text"` headers.
  if (answer.warnings?.length) response.setHeader('Warning', answer.warnings.map((text) => `299 - ${JSON.stringify(text)}`));
  if (answer.status === 429) response.setHeader('Retry-After', '1');
  response.end(payload);
}

/**
 * Starts a stand-in Kubernetes API server on 127.0.0.1 (a free port). It serves Deployments and
 * their scale subresource (apps/v1) and Velero Backups and Restores (velero.io/v1), demands an
 * EKS bearer token on every request, validates Velero objects against the embedded CRD schemas,
 * and computes every status lazily from `clock`, so virtual time drives it with no timers.
 *
 * Where it knowingly differs from a real cluster: `fieldValidation` defaults to Strict (real:
 * Warn); token signatures are not checked (no STS); a new Restore shows phase New at once (real:
 * empty until Velero's controller runs); status changes that Velero would write do not bump a
 * Restore's resourceVersion; there is no watch, delete, RBAC or admission webhooks.
 */
export async function startKubeStandIn(options: KubeStandInOptions): Promise<KubeStandIn> {
  const cluster = kubeCluster(options);
  const server = createServer((request, response) => cluster.serve(request, response, new URL(request.url ?? '/', 'http://stand-in').pathname));
  const url = await listen(server);
  let closing: Promise<void> | undefined;
  return cluster.view(url, () => {
    // Idempotent: a test may stop the server early to simulate an outage, and again in afterEach.
    closing ??= new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
    return closing;
  });
}

/**
 * Many stand-in clusters behind one HTTP server, each under its own path prefix
 * (`http://127.0.0.1:<port>/clusters/<n>`), which is what its `url` (the endpoint EKS reports) says:
 * the Kubernetes client appends API paths to the server URL, so the adapters see exactly what they
 * see with one server per cluster. A world of 500 apps then listens on one port, not 1,000. A
 * cluster's `close()` takes only that cluster down: its requests get their connection reset.
 */
export interface KubeHost {
  readonly url: string;
  add(options: KubeStandInOptions): KubeStandIn;
  close(): Promise<void>;
}

export async function startKubeHost(): Promise<KubeHost> {
  const clusters: { cluster: KubeCluster; closed: boolean }[] = [];
  const server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://stand-in').pathname;
    const match = /^\/clusters\/(\d+)(\/.*)?$/.exec(path);
    const entry = match ? clusters[Number(match[1])] : undefined;
    if (!entry || entry.closed) {
      request.socket.destroy();
      return;
    }
    entry.cluster.serve(request, response, match![2] ?? '/');
  });
  const url = await listen(server);
  let closing: Promise<void> | undefined;
  return {
    url,
    add: (options) => {
      const entry = { cluster: kubeCluster(options), closed: false };
      clusters.push(entry);
      return entry.cluster.view(`${url}/clusters/${clusters.length - 1}`, async () => {
        entry.closed = true;
      });
    },
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  // Hundreds of clusters share this server: keep-alive connections are the clients' to reuse.
  server.keepAliveTimeout = 60_000;
  const { port } = server.address() as AddressInfo;
  return `http://127.0.0.1:${port}`;
}

interface KubeCluster {
  serve(request: IncomingMessage, response: ServerResponse, path: string): void;
  view(url: string, close: () => Promise<void>): KubeStandIn;
}

/** One cluster's API: its stores, routes, faults, counters and request log, served at `path`. */
function kubeCluster(options: KubeStandInOptions): KubeCluster {
  const { clusterName, clock, deploymentReadySeconds = 60, restoreSeconds = 120 } = options;
  let revision = 1000;
  const nextResourceVersion = () => String(++revision);
  const deployments = new DeploymentStore(clock, deploymentReadySeconds, nextResourceVersion, randomUUID);
  const velero = new VeleroStore(clock, restoreSeconds, nextResourceVersion, randomUUID);
  const faults = new FaultInjector();
  const stats: StandInStats = { scaleWrites: 0, restoresCreated: 0 };
  const log: LoggedRequest[] = [];

  const routes: Route[] = [
    ...appsRoutes(deployments, () => (stats.scaleWrites += 1)),
    ...veleroRoutes(velero, () => String(revision), (type) => {
      if (type === RESTORES) stats.restoresCreated += 1;
    }),
  ];

  async function answer(request: IncomingMessage, url: URL, path: string): Promise<ApiResponse> {
    const method = request.method ?? 'GET';
    try {
      if (!checkEksBearer(request.headers.authorization, clock.now()).ok) throw unauthorized();
      const fault = faults.take(method, path);
      if (fault) throw fault;
      const apiRequest: ApiRequest = {
        method,
        path,
        query: url.searchParams,
        contentType: (request.headers['content-type'] ?? '').split(';')[0]!.trim(),
        body: parseJson(await readBody(request)),
      };
      return dispatch(routes, apiRequest);
    } catch (error) {
      if (error instanceof StatusError) return { status: error.status.code, body: error.status };
      return { status: 500, body: statusBody('InternalError', `Internal error occurred: ${(error as Error).message}`) };
    }
  }

  return {
    serve: (request, response, path) => {
      const url = new URL(request.url ?? '/', 'http://stand-in');
      answer(request, url, path)
        .then((result) => {
          log.push({ method: request.method ?? 'GET', path, query: url.search.replace(/^\?/, ''), status: result.status, at: clock.now() });
          // Drain whatever the handler did not read (a rejected request) so the socket can be reused.
          request.resume();
          send(response, result);
        })
        .catch(() => response.destroy());
    },
    view: (url, close) => ({
      url,
      clusterName,
      get stats() {
        return { ...stats };
      },
      get requests() {
        return [...log];
      },
      close,
      addDeployment: (namespace, name, seed) => deployments.add(namespace, name, seed),
      addBackup: (backup) => velero.addBackup(backup),
      setRestoreOutcome: (outcome) => velero.setRestoreOutcome(outcome),
      injectFault: (fault) => faults.add(fault),
      deployment: (namespace, name) => {
        try {
          return deployments.get(namespace, name);
        } catch (error) {
          if (error instanceof StatusError) return undefined;
          throw error;
        }
      },
      restores: (namespace) => velero.list(RESTORES, namespace),
    }),
  };
}
