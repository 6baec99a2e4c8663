import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/**
 * A loopback emulator's HTTP server (dynalite's) with keep-alive that neither races requests nor
 * holds `close` up.
 *
 * Node closes a keep-alive connection after 5 s idle (`keepAliveTimeout`), while the SDK's agent
 * keeps idle sockets without a limit of its own. On a loaded machine (hundreds of Map iterations on
 * one event loop, other processes on the cores) sockets do sit idle that long, and a request the
 * client sends on one as the server closes it fails with ECONNRESET: a 500-app evacuation on a busy
 * 2-core machine saw 70 such closes, and a CI run lost 2 apps' PromoteNodegroups to one. That race is
 * an artefact of sharing a process with the emulator, not part of the simulated world, so idle
 * connections stay open until the server closes.
 *
 * `server.close` ends the idle ones, but a connection still answering a request (a handler's write
 * in flight when the world closes) used to wait out the keep-alive time, 6 s, before `close`
 * returned. Once closing, every response says `Connection: close`, so such a connection ends with
 * its answer.
 */
class ClosableKeepAlive {
  private closing = false;
  private readonly answering = new Set<ServerResponse>();

  constructor(private readonly server: Server) {
    server.keepAliveTimeout = 0;
    server.on('request', (_request: IncomingMessage, response: ServerResponse) => {
      this.answering.add(response);
      response.once('close', () => this.answering.delete(response));
      if (this.closing) endAfterAnswer(response);
    });
  }

  close(): Promise<void> {
    this.closing = true;
    for (const response of this.answering) endAfterAnswer(response);
    return new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function endAfterAnswer(response: ServerResponse): void {
  if (!response.headersSent) response.setHeader('Connection', 'close');
}

/** Takes over `server`'s keep-alive (call before it listens); close it with the returned `close`, not `server.close`. */
export function closableKeepAlive(server: Server): { close(): Promise<void> } {
  return new ClosableKeepAlive(server);
}
