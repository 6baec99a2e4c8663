import { EventEmitter } from 'node:events';
import { mkdirSync } from 'node:fs';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DeleteItemCommand, DescribeTableCommand, DynamoDBClient, ResourceInUseException, ScanCommand, type AttributeValue, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { TABLES, type TableKey, type TableSpec } from '../adapters/aws/tables.js';
import { closableKeepAlive } from './loopback-server.js';

/** A DynamoDB-compatible server (dynalite) on loopback, in memory or persisted in `path`. */
export interface LocalDynamo {
  endpoint: string;
  /** An SDK request handler that hands requests to this dynalite without the loopback socket (see {@link InProcessDynamoHandler}). */
  inProcessHandler(): InProcessDynamoHandler;
  close(): Promise<void>;
}

/** The parts of a smithy HTTP request the handler reads. */
interface SdkHttpRequest {
  method: string;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

/**
 * An AWS SDK `requestHandler` that gives each request straight to dynalite's request listener,
 * in this process: the same bytes in (signed headers, JSON body) and out (status, headers, body),
 * dynalite's same validation and storage, but no socket, no HTTP parsing on either side.
 *
 * For the benchmarks: loopback HTTP costs the client and the emulator together about as much CPU
 * as dynalite's own work (~0.4 ms a call here), a cost real DynamoDB's caller does not pay in the
 * same measure (the server side is someone else's machine). The embedded runtime keeps real HTTP.
 */
export class InProcessDynamoHandler {
  readonly metadata = { handlerProtocol: 'http/1.1' };

  constructor(
    private readonly listener: RequestListener,
    private readonly server: InProcessRequests,
  ) {}

  handle(request: SdkHttpRequest): Promise<{ response: { statusCode: number; headers: Record<string, string>; body: Uint8Array } }> {
    // A closed server refuses, as its socket would; a request under way holds its close back.
    if (this.server.closed) return Promise.reject(Object.assign(new Error('connect ECONNREFUSED (local dynalite closed)'), { code: 'ECONNREFUSED' }));
    return this.server.track(this.exchange(request));
  }

  private exchange(request: SdkHttpRequest): Promise<{ response: { statusCode: number; headers: Record<string, string>; body: Uint8Array } }> {
    return new Promise((resolve, reject) => {
      const query = new URLSearchParams();
      for (const [key, value] of Object.entries(request.query ?? {})) {
        for (const one of Array.isArray(value) ? value : [value]) query.append(key, one ?? '');
      }
      const search = query.toString();
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
      const incoming = Object.assign(new EventEmitter(), { method: request.method, url: search ? `${request.path}?${search}` : request.path, headers });
      const responseHeaders: Record<string, string> = {};
      const response = {
        statusCode: 200,
        setHeader(name: string, value: unknown) {
          responseHeaders[name.toLowerCase()] = String(value);
        },
        end(body?: string | Buffer) {
          const bytes = body === undefined ? new Uint8Array() : typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
          resolve({ response: { statusCode: response.statusCode, headers: responseHeaders, body: bytes } });
        },
      };
      try {
        this.listener(incoming as unknown as IncomingMessage, response as unknown as ServerResponse);
      } catch (error) {
        reject(error);
        return;
      }
      const body = bodyBytes(request.body);
      // As a socket would: the body arrives after the listener has subscribed, on a later tick.
      queueMicrotask(() => {
        if (body.length > 0) incoming.emit('data', body);
        incoming.emit('end');
      });
    });
  }

  updateHttpClientConfig(): void {}

  httpHandlerConfigs(): Record<string, never> {
    return {};
  }

  destroy(): void {}
}

/** The in-process requests under way, so closing dynalite waits for them (as `server.close` waits for its connections). */
class InProcessRequests {
  closed = false;
  private pending = new Set<Promise<unknown>>();

  track<T>(request: Promise<T>): Promise<T> {
    this.pending.add(request);
    const done = () => this.pending.delete(request);
    request.then(done, done);
    return request;
  }

  async drain(): Promise<void> {
    this.closed = true;
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }
}

/** The request body as bytes. The SDK's JSON body is a Uint8Array that also acts as a string: copy its bytes, never its text. */
function bodyBytes(body: unknown): Buffer {
  if (body === undefined || body === null) return Buffer.alloc(0);
  if (typeof body === 'string') return Buffer.from(body, 'utf8');
  if (body instanceof Uint8Array) return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  throw new TypeError(`InProcessDynamoHandler: unsupported request body (${typeof body})`);
}

export async function startDynalite(options: { path?: string } = {}): Promise<LocalDynamo> {
  if (options.path) mkdirSync(options.path, { recursive: true });
  // Table creation is instant here: dynalite's default 500 ms CREATING phase only slows tests down.
  const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }) as Server;
  const loopback = closableKeepAlive(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const listener = server.listeners('request')[0] as RequestListener;
  const inProcess = new InProcessRequests();
  return {
    endpoint: `http://127.0.0.1:${port}`,
    inProcessHandler: () => new InProcessDynamoHandler(listener, inProcess),
    close: async () => {
      await inProcess.drain();
      await loopback.close();
    },
  };
}

function createTableInput(spec: TableSpec): CreateTableCommandInput {
  const keys = [spec.partitionKey, ...(spec.sortKey ? [spec.sortKey] : [])];
  return {
    TableName: spec.localName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: keys.map((key) => ({ AttributeName: key.name, AttributeType: key.type })),
    KeySchema: [
      { AttributeName: spec.partitionKey.name, KeyType: 'HASH' },
      ...(spec.sortKey ? [{ AttributeName: spec.sortKey.name, KeyType: 'RANGE' as const }] : []),
    ],
  };
}

function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

/** Empties the given tables item by item (dropping and re-creating would race dynalite's table lifecycle). */
export async function clearTables(endpoint: string, keys: readonly TableKey[]): Promise<void> {
  const client = localClient(endpoint);
  try {
    for (const key of keys) {
      const spec: TableSpec = TABLES[key];
      const keyNames = [spec.partitionKey.name, ...(spec.sortKey ? [spec.sortKey.name] : [])];
      let startKey: Record<string, AttributeValue> | undefined;
      do {
        const page = await client.send(new ScanCommand({ TableName: spec.localName, ExclusiveStartKey: startKey, ProjectionExpression: keyNames.map((_, i) => `#k${i}`).join(', '), ExpressionAttributeNames: Object.fromEntries(keyNames.map((name, i) => [`#k${i}`, name])) }));
        for (const item of page.Items ?? []) await client.send(new DeleteItemCommand({ TableName: spec.localName, Key: item }));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }
  } finally {
    client.destroy();
  }
}

/** Creates Lifeboat's tables (under their local names) unless they exist already. */
export async function createTables(endpoint: string): Promise<void> {
  const client = localClient(endpoint);
  try {
    for (const spec of Object.values(TABLES)) {
      try {
        await client.send(new CreateTableCommand(createTableInput(spec)));
      } catch (error) {
        if (!(error instanceof ResourceInUseException)) throw error;
      }
      await untilActive(client, spec.localName);
    }
  } finally {
    client.destroy();
  }
}

/** dynalite makes a new table ACTIVE on a timer, even with createTableMs 0: wait for it (a few ms at most). */
async function untilActive(client: DynamoDBClient, table: string): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`local table ${table} did not become ACTIVE`);
}
