import { afterEach, describe, expect, it } from '@jest/globals';
import { Agent, createServer, request, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closableKeepAlive } from '../../src/local/loopback-server.js';

const opened: { closeAllConnections(): void; close(): void }[] = [];
const agents: Agent[] = [];

// A failing test must not leave a connection open, or Jest waits for it forever.
afterEach(() => {
  agents.splice(0).forEach((agent) => agent.destroy());
  opened.splice(0).forEach((server) => {
    server.close();
    server.closeAllConnections();
  });
});

function keepAliveAgent(): Agent {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  agents.push(agent);
  return agent;
}

/** A server that answers `/now` at once and holds `/held` until the test answers it. */
async function heldServer() {
  let received: (response: ServerResponse) => void = () => undefined;
  const held = new Promise<ServerResponse>((resolve) => (received = resolve));
  const server = createServer((incoming: IncomingMessage, response: ServerResponse) => {
    if (incoming.url === '/held') received(response);
    else response.end('now');
  });
  const keepAlive = closableKeepAlive(server);
  opened.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, keepAlive, held, port: (server.address() as AddressInfo).port };
}

function get(port: number, path: string, agent: Agent): Promise<{ body: string; connection: string | undefined }> {
  return new Promise((resolve, reject) => {
    request({ host: '127.0.0.1', port, path, agent }, (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body += chunk));
      response.on('end', () => resolve({ body, connection: response.headers.connection }));
    }).on('error', reject).end();
  });
}

describe('a loopback emulator server', () => {
  it('keeps connections alive without an idle limit of its own', async () => {
    // arrange
    const { server, keepAlive, port } = await heldServer();
    const agent = keepAliveAgent();

    // act
    const answer = await get(port, '/now', agent);

    // assert: Node's 5 s default would close an idle socket the client may be reusing that instant
    expect(answer).toEqual({ body: 'now', connection: 'keep-alive' });
    expect(server.keepAliveTimeout).toBe(0);
    await keepAlive.close();
  });

  it('closes while a request is being answered: the request gets its answer, then its connection ends', async () => {
    // arrange: one keep-alive connection, warm, then a request the server holds
    const { keepAlive, held, port } = await heldServer();
    const agent = keepAliveAgent();
    await get(port, '/now', agent);
    const answer = get(port, '/held', agent);
    const response = await held;

    // act: close with the request under way, then answer it
    const closed = keepAlive.close();
    response.end('late');

    // assert: without `Connection: close` the answered connection would stay open (no idle limit)
    // and `close` would never resolve: Jest's timeout fails this test
    await expect(answer).resolves.toEqual({ body: 'late', connection: 'close' });
    await closed;
  });
});
