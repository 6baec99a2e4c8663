import { randomUUID } from 'node:crypto';
import { AwsFault, FakeNotImplementedError } from './aws-fault.js';
import { sdkExceptionFor, type ExceptionCatalog, type ResponseMetadata } from './exception-catalog.js';

/** What a fake learns about each call besides its input. */
export interface FakeCallContext {
  /** The region the client was configured with (per-region services keep state per region). */
  region: string;
  /** `Route53Client`, `EKSClient`, ... as the SDK names the client. */
  clientName: string;
}

/** A stateful stand-in for one AWS service, answering commands by operation name. */
export interface AwsFake {
  /** `FakeRoute53`, ... for error messages. */
  readonly fakeName: string;
  /** The exception classes of the client this fake stands in for. */
  readonly exceptions: ExceptionCatalog;
  /**
   * Answers one operation (`ChangeResourceRecordSets`, ...) with the output the service would
   * return, or throws an `AwsFault` the service would send. Throws `FakeNotImplementedError` for
   * operations it does not model, so nothing silently returns an empty answer.
   */
  handle(operation: string, input: unknown, context: FakeCallContext): Promise<object> | object;
}

type Handler = (args: { input: object }) => Promise<{ output: object; response: unknown }>;
type Middleware = (next: Handler, context: { commandName?: string; clientName?: string }) => Handler;

/**
 * The part of an SDK v3 client `attachFake` needs. Written structurally so it fits every
 * `@aws-sdk/client-*` client without importing their shared (transitive) type packages.
 */
export interface AttachableClient {
  middlewareStack: {
    add(
      middleware: never,
      options: { step: 'initialize'; priority: 'low'; name: string; tags: string[]; override: boolean },
    ): void;
  };
  config: { region?: unknown };
}

/** Name of the middleware; attaching again replaces the previous fake. */
export const FAKE_MIDDLEWARE_NAME = 'lifeboatFakeService';

/**
 * Makes a real SDK client answer every command from `fake`: a middleware in the `initialize`
 * step returns the fake's output before anything is serialized, signed, retried or sent, so
 * `client.send(new XCommand(...))` gets exactly what the fake decided, and failures arrive as the
 * client's own exception classes (`InvalidChangeBatch`, `ResourceInUseException`, or the client's
 * `…ServiceException` named `Throttling`) with `$fault` and `$metadata` set.
 *
 * It sits at the end of `initialize` (priority `low`) so the SDK's own input shaping still runs
 * first: Route 53's ID normalisers strip `/hostedzone/` and `/change/` prefixes there, as they
 * would before the request goes on the wire. Because the fake answers before the retry
 * middleware, a fault injected into the fake reaches the caller on the first attempt.
 */
export function attachFake(client: AttachableClient, fake: AwsFake): void {
  const middleware: Middleware = (_next, context) => async (args) => {
    const commandName = context.commandName ?? '';
    const operation = commandName.replace(/Command$/, '');
    const requestId = randomUUID();
    const region = await resolveRegion(client.config.region);
    const clientName = context.clientName ?? 'UnknownClient';
    if (!operation) throw new FakeNotImplementedError(`${fake.fakeName}: a command without a commandName reached the fake`);
    try {
      const result = await fake.handle(operation, args.input, { region, clientName });
      const $metadata: ResponseMetadata = { httpStatusCode: 200, requestId, attempts: 1, totalRetryDelay: 0 };
      // A copy, so a caller that mutates the output cannot reach into the fake's state.
      return { output: { ...structuredClone(result), $metadata }, response: {} };
    } catch (error) {
      if (error instanceof AwsFault) throw sdkExceptionFor(fake.exceptions, error, requestId);
      throw error;
    }
  };
  client.middlewareStack.add(middleware as never, {
    step: 'initialize',
    priority: 'low',
    name: FAKE_MIDDLEWARE_NAME,
    tags: ['LIFEBOAT_FAKE'],
    override: true,
  });
}

async function resolveRegion(region: unknown): Promise<string> {
  const value: unknown = typeof region === 'function' ? await (region as () => unknown)() : region;
  return typeof value === 'string' && value ? value : 'us-east-1';
}
