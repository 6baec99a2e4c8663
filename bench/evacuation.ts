import { regionFleetConfig } from '../src/local/evacuation-config.js';
import { simulateEvacuation, type EvacuationReport } from '../src/local/evacuate.js';
import { REALISTIC_LATENCIES, SimulatedWorld, ZERO_LATENCIES } from '../src/local/world.js';
import { ROUTE53_BATCH_LIMITS } from '../src/domain/route53-batching.js';
import { startDynaliteProcess } from './dynalite-process.js';
import { criticalPath } from './rto.js';
import { medianRun, round, type MedianRun } from './support.js';
import type { DynamoPlacement } from './trigger.js';

/*
 * Benchmark 3: region evacuation (1, 10, 100, 500 apps in one region, records in 5 hosted zones,
 * zero simulated AWS latency): wall time, Route 53 change calls against the ideal (one per zone per
 * change round), every API call, throttling retries. And the 500-app simulated RTO with realistic
 * latencies for benchmark 4. Route 53's real limits are on in the simulated world: 5 requests a
 * second per account (Throttling), 100 changes per request, one change in flight per zone.
 */

export interface EvacuationResult {
  apps: number;
  zones: number;
  wallMs: number;
  route53ChangeCalls: number;
  /** The ideal: each zone's changes (2 per app) in batches of 100, one call per batch. */
  changeRounds: number;
  route53Calls: number;
  apiCalls: number;
  apiCallsByService: EvacuationReport['apiCalls'];
  /** Requests answered with Throttling and retried: Route 53's and CloudWatch's. */
  throttleRetries: number;
  priorRequestNotComplete: number;
  /** The largest Task input or result of the execution (Step Functions fails it past 262,144 bytes). */
  largestStateBytes: number | null;
  /** Task invocations of the execution (every attempt of every per-app and evacuation-wide step). */
  taskInvocations: number;
  msPerTaskInvocation: number;
  /** This process's CPU time per Task invocation: with dynalite in a child process, the orchestration's own (handlers, SDK clients, interpreter, the Kubernetes stand-in and the fakes). */
  cpuMsPerTaskInvocation: number;
  dynamodb: DynamoPlacement;
  /** DynamoDB calls (audit, locks, idempotency) per Task invocation. */
  dynamoCallsPerTask: number;
  worldMs: number;
  outcome: string;
  simulatedSeconds: number;
}

export const EVACUATION_SIZES = [1, 10, 100, 500];
export const ZONES = 5;
export const EVACUATION_NOTE = `zero simulated latency, apps primary in eu-west-1 with records in ${ZONES} hosted zones (fewer apps: one zone per app); Route 53 limits enforced by the fake (5 req/s, 100 changes/request, PriorRequestNotComplete); DynamoDB (dynalite) calls are not counted in apiCalls`;

function changeRounds(apps: number, zones: number): number {
  const appsPerZone = Math.ceil(apps / zones);
  return Math.ceil((2 * appsPerZone) / ROUTE53_BATCH_LIMITS.maxChanges);
}

/**
 * One evacuation of `apps` apps at zero latency, measured, with dynalite in this process over
 * loopback HTTP (the embedded runtime's default), handed its requests directly (`direct`), or in a
 * child process of its own, where its work is on the other core as DynamoDB's is on AWS's machines.
 */
export async function evacuateOnce(apps: number, dynamodb: DynamoPlacement = 'in-process'): Promise<EvacuationResult> {
  const zones = Math.min(ZONES, apps);
  const config = regionFleetConfig(apps, { zones });
  const worldStart = performance.now();
  const world = await SimulatedWorld.create({ config, latencies: ZERO_LATENCIES });
  const worldMs = performance.now() - worldStart;
  await world.close();
  // A fresh child per run: audit trails outlive a world, and a second run must not find the first's.
  const outside = dynamodb === 'child-process' ? await startDynaliteProcess() : undefined;
  const report = await simulateEvacuation({ config, region: 'eu-west-1', latencies: ZERO_LATENCIES, dynamoTransport: dynamodb === 'direct' ? 'in-process' : 'http', dynamoEndpoint: outside?.endpoint }).finally(() => outside?.close());
  const taskInvocations = report.steps.reduce((sum, step) => sum + step.attempts, 0);
  return {
    apps,
    zones,
    wallMs: round(report.wallMs, 1),
    route53ChangeCalls: report.route53.changeCalls,
    changeRounds: changeRounds(apps, zones),
    route53Calls: report.route53.calls,
    apiCalls: report.apiCalls.total,
    apiCallsByService: report.apiCalls,
    throttleRetries: report.route53.throttled + report.cloudwatchThrottled,
    priorRequestNotComplete: report.route53.priorRequestNotComplete,
    largestStateBytes: report.largestStateData?.bytes ?? null,
    taskInvocations,
    msPerTaskInvocation: round(report.wallMs / Math.max(1, taskInvocations), 2),
    cpuMsPerTaskInvocation: round(report.cpuMs / Math.max(1, taskInvocations), 2),
    dynamodb,
    dynamoCallsPerTask: round(report.dynamoCalls / Math.max(1, taskInvocations), 2),
    worldMs: round(worldMs, 1),
    outcome: report.outcome,
    simulatedSeconds: report.simulatedSeconds,
  };
}

/** Each size evacuated `repeats` times; the run with the median ms per Task invocation is kept. */
export async function evacuation(sizes: readonly number[] = EVACUATION_SIZES, repeats = 1, log: (line: string) => void = () => undefined): Promise<MedianRun<EvacuationResult>[]> {
  const results: MedianRun<EvacuationResult>[] = [];
  for (const apps of sizes) {
    log(`evacuation of ${apps} apps…`);
    results.push(await medianRun(repeats, () => evacuateOnce(apps), (run) => run.msPerTaskInvocation));
  }
  return results;
}

export interface EvacuationRto {
  apps: number;
  lastAppSeconds: number | null;
  firstAppSeconds: number | null;
  evacuationSeconds: number;
  outcome: string;
  /** The evacuation's states that gated its end, through the slowest app. */
  criticalPath: string[];
  route53: EvacuationReport['route53'];
  wallMs: number;
}

/** The simulated RTO of every app of a `apps`-app evacuation with realistic latencies: the last app's is the figure. */
export async function evacuationRto(apps = 500): Promise<EvacuationRto> {
  const zones = Math.min(ZONES, apps);
  const report = await simulateEvacuation({ config: regionFleetConfig(apps, { zones }), region: 'eu-west-1', latencies: REALISTIC_LATENCIES });
  const rtos = report.apps.flatMap((a) => (a.rtoSeconds === null ? [] : [a.rtoSeconds]));
  return {
    apps,
    lastAppSeconds: report.lastAppSeconds,
    firstAppSeconds: rtos.length ? Math.min(...rtos) : null,
    evacuationSeconds: report.simulatedSeconds,
    outcome: report.outcome,
    criticalPath: criticalPath(byState(report.steps)),
    route53: report.route53,
    wallMs: round(report.wallMs, 0),
  };
}

/**
 * One record per state: its first start and last end over every app's iteration, so the critical
 * path reads as the evacuation's stages (the per-app states gate it through their slowest app).
 */
function byState(steps: EvacuationReport['steps']): Pick<EvacuationReport['steps'][number], 'name' | 'status' | 'start' | 'end'>[] {
  const merged = new Map<string, Pick<EvacuationReport['steps'][number], 'name' | 'status' | 'start' | 'end'>>();
  for (const step of steps) {
    const seen = merged.get(step.name);
    if (!seen) merged.set(step.name, { name: step.name, status: step.status, start: step.start, ...(step.end ? { end: step.end } : {}) });
    else if (step.end && (!seen.end || step.end > seen.end)) seen.end = step.end;
  }
  return [...merged.values()];
}
