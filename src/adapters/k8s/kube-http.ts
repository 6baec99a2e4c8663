import { request as httpRequest, type IncomingHttpHeaders, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { DependencyUnavailableError } from '../../domain/errors.js';

/*
 * A small Kubernetes API client for the few REST calls the adapter makes (read a Deployment,
 * replace its scale subresource, list/create/get Velero custom objects): JSON over node:http(s)
 * with a bearer token and the cluster's CA. It replaces @kubernetes/client-node, whose generated
 * models, ObjectSerializer and kubeconfig/auth dependencies were ~840 KB of every Kubernetes
 * function's bundle, and most of its init time, for calls that need none of them.
 */

/** Where a cluster's API server is and how to authenticate to it. */
export interface KubeConnection {
  /** The API server URL (`https://…` from EKS; `http://127.0.0.1:…` for the stand-in); a path in it is a prefix. */
  server: string;
  /** The cluster CA bundle, base64-encoded PEM, as EKS DescribeCluster returns it; the system CAs when absent. */
  caData?: string;
  /** A bearer token (an EKS token lasts 15 minutes); no Authorization header when empty. */
  token: string;
}

/** The API server answered with a non-2xx status. `body` is the raw text (a `Status` object, as JSON, usually). */
export class KubeApiError extends Error {
  override readonly name = 'KubeApiError';

  constructor(
    readonly code: number,
    readonly body: string,
    readonly headers: IncomingHttpHeaders,
    what: string,
  ) {
    super(`${what}: HTTP ${code}`);
  }
}

/**
 * The request got no (complete) answer: refused, reset, timed out, DNS or TLS failure. Node's error
 * is the `cause`, its `code` copied (as node-fetch's `FetchError` of type 'system' did).
 */
export class KubeTransportError extends Error {
  override readonly name = 'KubeTransportError';
  readonly code: string | undefined;

  constructor(what: string, cause: unknown) {
    super(`${what}: ${cause instanceof Error || (typeof cause === 'object' && cause !== null && 'message' in cause) ? String((cause as Error).message) : String(cause)}`, { cause });
    const code = (cause as { code?: unknown } | null)?.code;
    this.code = typeof code === 'string' ? code : undefined;
  }
}

export type KubeQuery = Record<string, string | number | undefined>;

export interface KubeHttpOptions {
  /** A call fails (ETIMEDOUT, as a network error) when its socket is idle this long; 30 s by default. */
  timeoutMs?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;

/** A path with each interpolated value percent-encoded as one segment: kubePath`/namespaces/${ns}/deployments/${name}`. */
export function kubePath(strings: TemplateStringsArray, ...values: string[]): string {
  return strings.reduce((path, part, i) => path + part + (i < values.length ? encodeURIComponent(values[i]!) : ''), '');
}

function readText(response: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    response.on('data', (chunk: Buffer) => chunks.push(chunk));
    response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    response.on('error', reject);
    response.on('aborted', () => reject(Object.assign(new Error('the API server closed the connection mid-answer'), { code: 'ECONNRESET' })));
  });
}

/** One cluster's API server, for one connection (token). */
export class KubeHttpClient {
  private readonly base: URL;
  private readonly secure: boolean;
  private readonly agent: HttpsAgent | undefined;
  private readonly timeoutMs: number;

  constructor(
    private readonly connection: KubeConnection,
    options: KubeHttpOptions = {},
  ) {
    this.base = new URL(connection.server);
    this.secure = this.base.protocol === 'https:';
    if (!this.secure && this.base.protocol !== 'http:') throw new Error(`unsupported API server URL ${connection.server}`);
    // A keep-alive agent per connection, so the cluster CA applies to this API server only.
    this.agent = this.secure
      ? new HttpsAgent({ keepAlive: true, ...(connection.caData ? { ca: Buffer.from(connection.caData, 'base64').toString('utf8') } : {}) })
      : undefined;
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  get<T>(path: string, query?: KubeQuery): Promise<T> {
    return this.request<T>('GET', path, query);
  }

  post<T>(path: string, body: unknown, query?: KubeQuery): Promise<T> {
    return this.request<T>('POST', path, query, body);
  }

  put<T>(path: string, body: unknown, query?: KubeQuery): Promise<T> {
    return this.request<T>('PUT', path, query, body);
  }

  /** Sends one request; resolves with the parsed JSON of a 2xx answer, rejects with `KubeApiError` otherwise and with `KubeTransportError` when there is no answer. */
  async request<T>(method: 'GET' | 'POST' | 'PUT', path: string, query: KubeQuery = {}, body?: unknown): Promise<T> {
    const url = new URL(this.base.href);
    url.pathname = this.base.pathname.replace(/\/+$/, '') + path;
    url.search = '';
    for (const [key, value] of Object.entries(query)) if (value !== undefined && value !== '') url.searchParams.append(key, String(value));
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body), 'utf8');
    const headers: Record<string, string | number> = { Accept: 'application/json' };
    if (this.connection.token) headers.Authorization = `Bearer ${this.connection.token}`;
    if (payload) {
      headers['Content-Type'] = 'application/json';
      headers['Content-Length'] = payload.length;
    }

    const what = `${method} ${url.pathname}`;
    const response = await new Promise<IncomingMessage>((resolve, reject) => {
      const send = this.secure ? httpsRequest : httpRequest;
      const request = send(url, { method, headers, timeout: this.timeoutMs, ...(this.agent ? { agent: this.agent } : {}) }, resolve);
      request.on('error', (error) => reject(new KubeTransportError(what, error)));
      request.on('timeout', () => {
        request.destroy(Object.assign(new Error(`no answer from the API server in ${this.timeoutMs} ms`), { code: 'ETIMEDOUT' }));
      });
      request.end(payload);
    });
    const text = await readText(response).catch((error: unknown) => {
      throw new KubeTransportError(what, error);
    });
    const status = response.statusCode ?? 0;
    if (status < 200 || status > 299) throw new KubeApiError(status, text, response.headers, what);
    if (!text) return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch (error) {
      throw new DependencyUnavailableError(`${what}: the API server answered HTTP ${status} with a body that is not JSON`, { cause: error });
    }
  }
}
