import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedSlackMessage {
  path: string;
  text: string;
  blocks: unknown[];
}

/**
 * A Slack incoming-webhook stand-in over real HTTP: accepts JSON posts, answers `ok` like Slack,
 * keeps what it received, and can be told to fail (`failNext`) with an HTTP status or by hanging
 * up, to show that a Slack outage never fails a failover.
 */
export class SlackSink {
  readonly messages: ReceivedSlackMessage[] = [];
  private failures: ('hangup' | number)[] = [];
  /** How many requests were failed on purpose. */
  failed = 0;
  private server?: Server;
  private baseUrl = '';

  /** The webhook URL of one hook path on this sink. */
  webhookUrl(path = '/services/T000/B000/local'): string {
    return `${this.baseUrl}${path}`;
  }

  failNext(failure: 'hangup' | number, times = 1): void {
    for (let i = 0; i < times; i += 1) this.failures.push(failure);
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      void readBody(request).then((body) => {
        const failure = this.failures.shift();
        if (failure !== undefined) this.failed += 1;
        if (failure === 'hangup') return request.socket.destroy();
        if (typeof failure === 'number') {
          response.writeHead(failure, { 'content-type': 'text/plain' }).end('service_unavailable');
          return;
        }
        let payload: { text?: unknown; blocks?: unknown };
        try {
          payload = JSON.parse(body) as typeof payload;
        } catch {
          response.writeHead(400, { 'content-type': 'text/plain' }).end('invalid_payload');
          return;
        }
        if (request.method !== 'POST' || typeof payload.text !== 'string') {
          response.writeHead(400, { 'content-type': 'text/plain' }).end('invalid_payload');
          return;
        }
        this.messages.push({ path: request.url ?? '/', text: payload.text, blocks: Array.isArray(payload.blocks) ? payload.blocks : [] });
        response.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server!.close(() => resolve()));
  }
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > 1_000_000) request.destroy();
      else chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}
