import type { LifeboatConfig } from '../domain/config.js';
import type { Alarms } from '../ports/alarms.js';
import type { AuditTrail } from '../ports/audit.js';
import { systemClock, type Clock } from '../ports/clock.js';
import type { Eks } from '../ports/cluster.js';
import type { Dns, HealthChecks } from '../ports/dns.js';
import type { Kubernetes } from '../ports/kubernetes.js';
import type { Locks } from '../ports/locks.js';
import { clockOption } from '../runtime/runtime-options.js';
import { cloudWatchAlarms } from '../runtime/wiring/cloudwatch.js';
import { dynamoDbAuditTrail, dynamoDbClient, dynamoDbLocks } from '../runtime/wiring/dynamodb.js';
import { eksClusters } from '../runtime/wiring/eks.js';
import { eksKubernetes } from '../runtime/wiring/kubernetes.js';
import { route53Dns } from '../runtime/wiring/route53.js';
import { tableName } from '../adapters/aws/tables.js';
import { ROUTE53_REQUESTS_PER_SECOND, TokenBucket } from '../domain/rate-limit.js';
import { ThrottledError } from '../domain/errors.js';
import { IncidentIndex } from './incident-index.js';
import { openLocalWorld, type LocalSession } from './local-world.js';

/*
 * The ports the operator's commands read, from the runtime's wiring: on AWS the SDK's default chain
 * (credentials, AWS_REGION, AWS_ENDPOINT_URL*, LIFEBOAT_*_TABLE), with `--local` the embedded world
 * the wiring was pointed at. The same adapters either way; no region or endpoint is set here.
 */

export interface CliPorts {
  clock: Clock;
  dns: Dns;
  healthChecks: HealthChecks;
  eks: Eks;
  kube: Kubernetes;
  alarms: Alarms;
  locks: Locks;
  audit: AuditTrail;
  incidents: IncidentIndex;
}

/** Waits `ms`: real time on AWS, virtual time (moving the world's clock) in the embedded runtime. */
export type Sleep = (ms: number) => Promise<void>;

const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Attempts of one Route 53 read before its Throttling is reported (other callers share the account's rate). */
const ROUTE53_ATTEMPTS = 4;

/**
 * Route 53 allows five requests a second per account, whatever the operation: a command that reads
 * many health checks and weighted groups spends from a bucket of that size, waits for it to refill
 * when empty, and waits again (up to {@link ROUTE53_ATTEMPTS} attempts) when another caller of the
 * account got there first and the answer is Throttling.
 */
function paced<T extends object>(target: T, clock: Clock, sleep: Sleep): T {
  const bucket = new TokenBucket(ROUTE53_REQUESTS_PER_SECOND, ROUTE53_REQUESTS_PER_SECOND, clock.now());
  return new Proxy(target, {
    get(object, property, receiver) {
      const value = Reflect.get(object, property, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        for (let attempt = 1; ; attempt += 1) {
          while (!bucket.tryTake(clock.now())) await sleep(Math.max(1, bucket.msUntil(clock.now())));
          try {
            return await (value as (...a: unknown[]) => Promise<unknown>).apply(object, args);
          } catch (error) {
            if (!(error instanceof ThrottledError) || attempt >= ROUTE53_ATTEMPTS) throw error;
            await sleep(1000 * attempt);
          }
        }
      };
    },
  });
}

function runtimePorts(sleep: Sleep = realSleep): CliPorts {
  const clock = clockOption() ?? systemClock;
  const route53 = paced(route53Dns(), clock, sleep);
  return {
    clock,
    dns: route53,
    healthChecks: route53,
    eks: eksClusters(),
    kube: eksKubernetes(),
    alarms: cloudWatchAlarms(),
    locks: dynamoDbLocks(),
    audit: dynamoDbAuditTrail(),
    incidents: new IncidentIndex(dynamoDbClient(), tableName('audit')),
  };
}

/**
 * Runs `body` with the ports of AWS, or of the embedded world with `local` (opened for the command
 * and torn down after it). `session` is there for commands that run the workflow locally.
 */
export async function withPorts<T>(
  config: LifeboatConfig,
  local: boolean | undefined,
  body: (ports: CliPorts, session?: LocalSession) => Promise<T>,
  localOptions: Parameters<typeof openLocalWorld>[1] = {},
): Promise<T> {
  if (!local) return body(runtimePorts());
  const session = await openLocalWorld(config, localOptions);
  let ranWorkflow = false;
  try {
    const clock = session.world.clock;
    const result = await body(runtimePorts(async (ms) => clock.advance(ms)), session);
    ranWorkflow = session.world.sfn.list().length > 0;
    return result;
  } finally {
    // A run that started executions moved the embedded default's time on, as `simulate` records it.
    await session.close({ recordEnd: ranWorkflow });
  }
}
