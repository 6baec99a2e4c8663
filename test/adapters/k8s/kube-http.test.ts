import { afterEach, describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { toDomainError } from '../../../src/adapters/k8s/errors.js';
import { KubeApiError, KubeHttpClient, kubePath, KubeTransportError } from '../../../src/adapters/k8s/kube-http.js';
import { DependencyUnavailableError, ResourceNotFoundError } from '../../../src/domain/errors.js';

const TLS = join(process.cwd(), 'test', 'fixtures', 'tls');
const cert = readFileSync(join(TLS, 'api-server.crt'));
const key = readFileSync(join(TLS, 'api-server.key'));
/** The cluster CA as EKS DescribeCluster hands it out: base64 of the PEM. */
const caData = cert.toString('base64');

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Handler = (request: IncomingMessage, response: ServerResponse, body: string) => void;

const servers: Server[] = [];

async function listen(server: Server, handler: Handler, seen: Seen[]): Promise<number> {
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push({ method: request.method ?? '', url: request.url ?? '', headers: request.headers, body });
      handler(request, response, body);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

function json(status: number, body: unknown): Handler {
  return (_request, response) => {
    response.statusCode = status;
    response.setHeader('Content-Type', 'application/json');
    response.end(JSON.stringify(body));
  };
}

afterEach(async () => {
  for (const server of servers.splice(0)) {
    server.closeAllConnections?.();
    await new Promise((resolve) => server.close(resolve));
  }
});

describe('KubeHttpClient', () => {
  it('speaks HTTPS trusting the cluster CA from caData, with the bearer token, JSON both ways', async () => {
    const seen: Seen[] = [];
    const port = await listen(createHttpsServer({ cert, key }), json(201, { kind: 'Restore', metadata: { name: 'r1' } }), seen);
    const kube = new KubeHttpClient({ server: `https://127.0.0.1:${port}`, caData, token: 'k8s-aws-v1.abc' });

    const answer = await kube.post('/apis/velero.io/v1/namespaces/velero/restores', { kind: 'Restore', spec: { backupName: 'b' } }, { fieldManager: 'lifeboat', fieldValidation: 'Strict' });

    expect(answer).toEqual({ kind: 'Restore', metadata: { name: 'r1' } });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ method: 'POST', url: '/apis/velero.io/v1/namespaces/velero/restores?fieldManager=lifeboat&fieldValidation=Strict' });
    expect(seen[0]!.headers).toMatchObject({ authorization: 'Bearer k8s-aws-v1.abc', accept: 'application/json', 'content-type': 'application/json' });
    expect(JSON.parse(seen[0]!.body)).toEqual({ kind: 'Restore', spec: { backupName: 'b' } });
  });

  it('refuses an HTTPS server its CA did not sign, as a transport failure (DependencyUnavailable)', async () => {
    const port = await listen(createHttpsServer({ cert, key }), json(200, {}), []);
    const kube = new KubeHttpClient({ server: `https://127.0.0.1:${port}`, token: 't' });

    const error = await kube.get('/version').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(KubeTransportError);
    expect((error as KubeTransportError).code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    expect(toDomainError(error, 'read version')).toBeInstanceOf(DependencyUnavailableError);
  });

  it('keeps a path prefix of the server URL, encodes path segments and query values, and leaves out unset query values', async () => {
    const seen: Seen[] = [];
    const port = await listen(createHttpServer(), json(200, { items: [] }), seen);
    const kube = new KubeHttpClient({ server: `http://127.0.0.1:${port}/clusters/blue/`, token: 't' });

    await kube.get(kubePath`/apis/velero.io/v1/namespaces/${'vel ero'}/backups/${'a/b'}`, { labelSelector: 'velero.io/schedule-name=nightly', limit: 250, continue: undefined });

    expect(seen[0]!.url).toBe('/clusters/blue/apis/velero.io/v1/namespaces/vel%20ero/backups/a%2Fb?labelSelector=velero.io%2Fschedule-name%3Dnightly&limit=250');
  });

  it('sends no Authorization header when the token is empty', async () => {
    const seen: Seen[] = [];
    const port = await listen(createHttpServer(), json(200, {}), seen);

    await new KubeHttpClient({ server: `http://127.0.0.1:${port}`, token: '' }).get('/version');

    expect(seen[0]!.headers.authorization).toBeUndefined();
  });

  it('rejects a non-2xx answer with KubeApiError carrying the status and the raw Status body', async () => {
    const status = { kind: 'Status', apiVersion: 'v1', status: 'Failure', reason: 'NotFound', message: 'deployments.apps "web" not found', code: 404 };
    const port = await listen(createHttpServer(), json(404, status), []);
    const kube = new KubeHttpClient({ server: `http://127.0.0.1:${port}`, token: 't' });

    const error = await kube.get('/apis/apps/v1/namespaces/shop/deployments/web').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(KubeApiError);
    expect(error).toMatchObject({ code: 404, message: 'GET /apis/apps/v1/namespaces/shop/deployments/web: HTTP 404' });
    expect(JSON.parse((error as KubeApiError).body)).toEqual(status);
    const mapped = toDomainError(error, 'read deployment shop/web');
    expect(mapped).toBeInstanceOf(ResourceNotFoundError);
    expect(mapped.message).toBe('read deployment shop/web: HTTP 404 NotFound: deployments.apps "web" not found');
  });

  it('gives up on a server that does not answer within the timeout, as ETIMEDOUT', async () => {
    const port = await listen(createHttpServer(), () => undefined, []);
    const kube = new KubeHttpClient({ server: `http://127.0.0.1:${port}`, token: 't' }, { timeoutMs: 100 });

    const error = await kube.get('/version').catch((e: unknown) => e);

    expect(error).toBeInstanceOf(KubeTransportError);
    expect((error as KubeTransportError).code).toBe('ETIMEDOUT');
    expect(toDomainError(error, 'read version')).toBeInstanceOf(DependencyUnavailableError);
  });

  it('reports a refused connection as a transport failure', async () => {
    const server = createHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));

    const error = await new KubeHttpClient({ server: `http://127.0.0.1:${port}`, token: 't' }).get('/version').catch((e: unknown) => e);

    expect(error).toMatchObject({ name: 'KubeTransportError', code: 'ECONNREFUSED' });
    expect(toDomainError(error, 'read version')).toBeInstanceOf(DependencyUnavailableError);
  });

  it('treats a 2xx body that is not JSON as the dependency misbehaving, and an empty one as no value', async () => {
    const seen: Seen[] = [];
    const port = await listen(
      createHttpServer(),
      (request, response) => {
        response.statusCode = 200;
        response.end(request.url === '/garbled' ? '<html>proxy error</html>' : '');
      },
      seen,
    );
    const kube = new KubeHttpClient({ server: `http://127.0.0.1:${port}`, token: 't' });

    await expect(kube.get('/garbled')).rejects.toBeInstanceOf(DependencyUnavailableError);
    await expect(kube.get('/empty')).resolves.toBeUndefined();
  });

  it('rejects a server URL that is neither http nor https', () => {
    expect(() => new KubeHttpClient({ server: 'ftp://cluster', token: 't' })).toThrow('unsupported API server URL ftp://cluster');
  });
});
