import { performance } from 'node:perf_hooks';
import { outageAlarmChanges, shuffledStorm } from '../src/local/alarm-storm.js';
import { regionFleetConfig } from '../src/local/evacuation-config.js';
import { localHandlers } from '../src/local/handlers.js';
import { lambdaContext } from '../src/local/lambda-context.js';
import { SimulatedWorld } from '../src/local/world.js';
import { configureRuntime, runtimeOptions } from '../src/runtime/runtime-options.js';
import type { AlarmTriggerResult } from '../src/triggers/on-alarm.js';
import { startDynaliteProcess } from './dynalite-process.js';
import { quantile, round } from './support.js';

/*
 * Benchmarks 1 and 2: the real alarm-trigger handler (middy, Powertools logger, the composition
 * root, the DynamoDB adapters) in a simulated world: locks, cooldowns and audit receipts go to
 * dynalite over loopback HTTP in this same process, StartExecution to the fake Step Functions
 * attached to the real SFN client. Nothing waits: the fake runs each execution on virtual time.
 *
 * Each runs twice: with dynalite in this process (one core for the trigger and the emulator
 * together), and with dynalite in a child process, where this process's CPU time per event is the
 * trigger's own (handler, middy, zod, the SDK client's serialising, signing and HTTP), which is what
 * a Lambda container pays: real DynamoDB does its work elsewhere.
 */

/**
 * Where DynamoDB (dynalite) runs: in the benchmark's own process over loopback HTTP, the same with
 * each request handed straight to dynalite's request listener (`direct`: no socket, no HTTP
 * parsing on either side), or in a child process.
 */
export type DynamoPlacement = 'in-process' | 'direct' | 'child-process';

const DEPS: Record<DynamoPlacement, string> = {
  'in-process': 'dynalite (DynamoDB over loopback HTTP, same process) + fake Step Functions on the real SFN client',
  direct: 'dynalite in the same process, each SDK request handed to its request listener (no loopback HTTP) + fake Step Functions on the real SFN client',
  'child-process': 'dynalite in a child process (DynamoDB over loopback HTTP) + fake Step Functions on the real SFN client',
};

const APPS = 10;
/** Ten apps, one hosted zone each, under the product's default blast-radius limit: half of them may fail over automatically, so the storm also takes the refusal path. */
const stormConfig = () => regionFleetConfig(APPS, { zones: APPS, maxShareOfApps: 0.5 });

/** The storm of the alarm-storm end-to-end test (src/local/alarm-storm.ts), shuffled to `count` events. */
const stormEvents = (world: SimulatedWorld, count: number, seed: number) => shuffledStorm(outageAlarmChanges(world, APPS), count, seed);

const deliver = (event: unknown) => localHandlers.alarmTrigger!(event, lambdaContext('alarmTrigger')) as Promise<AlarmTriggerResult>;

async function withStormWorld<T>(placement: DynamoPlacement, body: (world: SimulatedWorld) => Promise<T>): Promise<T> {
  const world = await SimulatedWorld.create({ config: stormConfig(), dynamoTransport: placement === 'direct' ? 'in-process' : 'http' });
  const outside = placement === 'child-process' ? await startDynaliteProcess() : undefined;
  if (outside) {
    // The world's runtime, its DynamoDB client rebuilt for the other endpoint (found as the SDK finds it).
    process.env.AWS_ENDPOINT_URL_DYNAMODB = outside.endpoint;
    configureRuntime({ ...runtimeOptions() });
  }
  try {
    return await body(world);
  } finally {
    await world.close();
    await outside?.close();
  }
}

/** CPU time of this process (all its threads: GC, libuv) in milliseconds. */
function cpuMs(): number {
  const { user, system } = process.cpuUsage();
  return (user + system) / 1000;
}

export interface TriggerLatency {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  events: number;
  warmupEvents: number;
  started: number;
  /** CPU time of the benchmark process per timed event: with dynalite in process, the emulator's share included. */
  cpuMsPerEvent: number;
  /** DynamoDB calls per timed event (each one SDK call plus, in process, dynalite's work). */
  dynamoCallsPerEvent: number;
  dynamodb: DynamoPlacement;
  deps: string;
}

/**
 * One event at a time, each timed from the handler call to its result (StartExecution issued, or
 * the event absorbed as a receipt). The first `warmup` events (which include every execution's
 * start) warm the container and are not counted; the executions they started are run to their end
 * before the timed events, so their steps do not run in the background of the measurement.
 */
export async function triggerLatency(options: { events: number; warmup: number; dynamodb?: DynamoPlacement }): Promise<TriggerLatency> {
  const placement = options.dynamodb ?? 'in-process';
  return withStormWorld(placement, async (world) => {
    const events = stormEvents(world, options.events + options.warmup, 7);
    const timings: number[] = [];
    let started = 0;
    let cpu = 0;
    let dynamoCalls = 0;
    for (const [index, event] of events.entries()) {
      if (index === options.warmup) {
        await world.sfn.settle();
        cpu = cpuMs();
        dynamoCalls = world.dynamoCalls.length;
      }
      const t0 = performance.now();
      const result = await deliver(event);
      const elapsed = performance.now() - t0;
      if (index >= options.warmup) timings.push(elapsed);
      started += result.started.filter((s) => !s.alreadyStarted).length;
    }
    cpu = cpuMs() - cpu;
    return {
      p50Ms: round(quantile(timings, 0.5)),
      p99Ms: round(quantile(timings, 0.99)),
      maxMs: round(Math.max(...timings)),
      events: timings.length,
      warmupEvents: options.warmup,
      started,
      cpuMsPerEvent: round(cpu / timings.length),
      dynamoCallsPerEvent: round((world.dynamoCalls.length - dynamoCalls) / timings.length, 2),
      dynamodb: placement,
      deps: DEPS[placement],
    };
  });
}

const STORM_DEPS: Record<DynamoPlacement, string> = {
  'in-process': 'dynalite, same process (one core for trigger and DynamoDB together)',
  direct: 'dynalite, same process, requests handed to its listener without loopback HTTP (one core for trigger and DynamoDB together)',
  'child-process': 'dynalite in a child process (the trigger has this process, one thread, to itself)',
};

export interface StormResult {
  eventsPerSecond: number;
  /**
   * The rate over the storm's second half alone: past its onset, where each transition's first
   * copy takes a lock or a blast-radius place and starts an execution, whose steps then run on the
   * same core meanwhile (on virtual time they finish in the storm's first seconds).
   */
  secondHalfEventsPerSecond: number;
  events: number;
  concurrency: number;
  wallMs: number;
  executionsStarted: number;
  /**
   * How the executions the storm started ended: each should succeed. A failed one (Route 53's
   * request budget spent elsewhere, say) starts no cooldown, so the app's next alarm starts another.
   */
  executionsSucceeded: number;
  executionsFailed: { name: string; error: string }[];
  /** CPU time of the benchmark process per event (the executions' steps, run meanwhile, included). */
  cpuMsPerEvent: number;
  /** DynamoDB calls per event, the executions' steps' included. */
  dynamoCallsPerEvent: number;
  dynamodb: DynamoPlacement;
  deps: string;
}

/**
 * Throughput: `events` deliveries kept `concurrency` in flight (as concurrent Lambda invocations
 * would be), all in one Node process on one core, deduplicated by the locks and receipts in dynalite.
 */
export async function alarmStorm(options: { events: number; concurrency: number; dynamodb?: DynamoPlacement }): Promise<StormResult> {
  const placement = options.dynamodb ?? 'in-process';
  return withStormWorld(placement, async (world) => {
    const events = stormEvents(world, options.events, 11);
    let next = 0;
    let done = 0;
    let halfDoneAt = 0;
    const calls0 = world.dynamoCalls.length;
    const cpu0 = cpuMs();
    const t0 = performance.now();
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (next < events.length) {
          await deliver(events[next++]);
          if (++done === Math.ceil(events.length / 2)) halfDoneAt = performance.now();
        }
      }),
    );
    const wallMs = performance.now() - t0;
    const secondHalfMs = performance.now() - halfDoneAt;
    const cpu = cpuMs() - cpu0;
    // The executions the storm started finish before the world goes (not timed).
    const outcomes = await world.sfn.settle();
    return {
      eventsPerSecond: Math.round(events.length / (wallMs / 1000)),
      secondHalfEventsPerSecond: Math.round(Math.floor(events.length / 2) / (secondHalfMs / 1000)),
      events: events.length,
      concurrency: options.concurrency,
      wallMs: round(wallMs, 1),
      executionsStarted: world.sfn.list().length,
      executionsSucceeded: outcomes.filter((outcome) => outcome.status === 'SUCCEEDED').length,
      executionsFailed: outcomes.filter((outcome) => outcome.status === 'FAILED').map((outcome) => ({ name: outcome.name, error: outcome.error ?? 'unknown' })),
      cpuMsPerEvent: round(cpu / events.length),
      dynamoCallsPerEvent: round((world.dynamoCalls.length - calls0) / events.length, 2),
      dynamodb: placement,
      deps: STORM_DEPS[placement],
    };
  });
}
