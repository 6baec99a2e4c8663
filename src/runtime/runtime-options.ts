import type { AwsClient } from '../adapters/aws/clients.js';
import type { LifeboatConfig } from '../domain/config.js';
import type { Clock } from '../ports/clock.js';
import type { StepDeps } from '../steps/deps.js';

/*
 * What the embedded runtime and tests may change about the composition root, and the per-runtime
 * memo every factory in src/runtime/wiring/ builds through. Deliberately imports nothing but types:
 * every Lambda bundle includes this file, and only the wiring a function names adds adapters to it.
 */

export interface RuntimeOptions {
  clock?: Clock;
  /** Called on every AWS SDK client as it is made (the embedded runtime attaches its fakes). */
  decorateAwsClient?: (client: AwsClient) => void;
  config?: LifeboatConfig;
  stateMachineArn?: string;
  /** Lets the embedded runtime watch what steps do (fault injection hooks their side effects). */
  wrapStepDeps?: (deps: StepDeps) => StepDeps;
  /** Credentials to sign EKS tokens with; the SDK's default chain otherwise. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

let options: RuntimeOptions = {};
/** Bumped by `configureRuntime`: everything built under an older generation is rebuilt on next use. */
let generation = 0;

/** Replaces the runtime's options and forgets every client and adapter built so far. */
export function configureRuntime(next: RuntimeOptions): void {
  options = next;
  generation += 1;
}

export function runtimeOptions(): RuntimeOptions {
  return options;
}

/**
 * `make`, called at most once per runtime configuration (once per Lambda container in AWS): the
 * factories are lazy, so a function builds only the clients its handler actually reaches.
 */
export function perRuntime<T>(make: () => T): () => T {
  let built: { generation: number; value: T } | undefined;
  return () => {
    if (built?.generation !== generation) built = { generation, value: make() };
    return built.value;
  };
}

/** Like `perRuntime`, keyed (regional clients: one per region). */
export function perRuntimeKeyed<T>(make: (key: string) => T): (key: string) => T {
  let built: { generation: number; values: Map<string, T> } | undefined;
  return (key) => {
    if (built?.generation !== generation) built = { generation, values: new Map() };
    let value = built.values.get(key);
    if (value === undefined) {
      value = make(key);
      built.values.set(key, value);
    }
    return value;
  };
}

/**
 * Attempts per SDK call, the first included. Kept low on purpose: the
 * workflows' ASL Retry owns retrying, and SDK retries underneath would multiply the attempts.
 */
export const SDK_MAX_ATTEMPTS = 2;

/** The SDK's logger middleware's name (`loggerMiddlewareOptions` in @aws-sdk/core), which `decorated` removes. */
export const SDK_LOGGER_MIDDLEWARE = 'loggerMiddleware';

/**
 * How every SDK client is made. `cacheMiddleware` resolves a command's middleware stack once per
 * command type instead of on every call (~0.1 ms of the ~0.45 ms the SDK spends on a call here);
 * it is safe because every middleware that matters is added when the client is made, before its
 * first call (Powertools idempotency adds only its user-agent tag, later). It is why no adapter
 * uses @aws-sdk/lib-dynamodb: its document client refuses a client with `cacheMiddleware`.
 */
export const SDK_CLIENT_OPTIONS = { maxAttempts: SDK_MAX_ATTEMPTS, cacheMiddleware: true } as const;

/**
 * A freshly made SDK client, without the SDK's own logging, handed to the runtime's
 * `decorateAwsClient` hook before first use.
 *
 * The SDK's logger middleware runs on every call even with its default no-op logger: it copies the
 * input and the output through the schema's sensitive-data filter just to pass them to an `info()`
 * that does nothing (~0.04 ms and garbage per call here). Lifeboat logs its calls itself (Powertools,
 * with its own redaction) and never gives a client a logger, so the middleware only costs.
 */
export function decorated<T extends AwsClient>(client: T): T {
  // Through the base type: on the union of every client's stack, TypeScript gives up (TS2590).
  (client.middlewareStack as { remove(toRemove: string): boolean }).remove(SDK_LOGGER_MIDDLEWARE);
  options.decorateAwsClient?.(client);
  return client;
}

/** The runtime's clock: the system clock unless the embedded runtime put in its virtual one. */
export function clockOption(): Clock | undefined {
  return options.clock;
}
