import type { AuditTrail } from '../ports/audit.js';
import { systemClock } from '../ports/clock.js';
import type { StepDeps } from '../steps/deps.js';
import { clockOption, perRuntime } from './runtime-options.js';
import { dynamoDbAuditTrail, dynamoDbClient as runtimeDynamoDbClient, dynamoDbLocks } from './wiring/dynamodb.js';

/*
 * The composition root, split so that each Lambda bundle carries only what its handler reaches.
 * This file holds what every step has: the clock, the audit trail and the locks (one DynamoDB
 * client). The other ports are built by the small lazy factories in ./wiring/, and each
 * functions/<name>.ts names the ones it needs (see ./step-lambda.ts); the triggers' dependencies
 * are in ./trigger-deps.ts. In AWS everything comes from the environment; the embedded runtime
 * calls `configureRuntime` first to put in its virtual clock, attach fakes to the SDK clients and
 * hand over its configuration. The handlers and steps are the same code either way.
 */

export { configureRuntime, type RuntimeOptions } from './runtime-options.js';

/** The ports a step reaches only through the wiring its function names. */
export type WiredPort = 'dns' | 'healthChecks' | 'gates' | 'eks' | 'kube' | 'alarms' | 'notifier';

const WIRED_PORTS: readonly WiredPort[] = ['dns', 'healthChecks', 'gates', 'eks', 'kube', 'alarms', 'notifier'];

/**
 * A stand-in for a port the running function did not wire: using it fails loudly, naming the port,
 * instead of the bundle silently carrying every adapter.
 */
function unwired(port: WiredPort): unknown {
  return new Proxy(
    {},
    {
      get(_target, property) {
        if (typeof property === 'symbol' || property === 'then') return undefined;
        throw new Error(`the ${port} port is not wired into this function: add it to the ports in its functions/*.ts`);
      },
    },
  );
}

const baseStepDeps = perRuntime(
  (): StepDeps => ({
    clock: clockOption() ?? systemClock,
    audit: dynamoDbAuditTrail(),
    locks: dynamoDbLocks(),
    ...(Object.fromEntries(WIRED_PORTS.map((port) => [port, unwired(port)])) as unknown as Pick<StepDeps, WiredPort>),
  }),
);

/**
 * What every step gets: clock, audit trail and locks; the other ports are stand-ins until a
 * function's wiring replaces them (`stepLambda`). Built once per runtime.
 */
export async function stepDeps(): Promise<StepDeps> {
  return baseStepDeps();
}

/** The audit trail, for reading it back (the CLI's `audit` command). */
export function auditTrail(): AuditTrail {
  return dynamoDbAuditTrail();
}

/** The DynamoDB client of the current runtime (Powertools idempotency records go through it). */
export function dynamoDbClient() {
  return runtimeDynamoDbClient();
}
