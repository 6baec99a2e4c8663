import type { LifeboatConfig } from '../domain/config.js';
import type { EvacuationSummary } from '../steps/evacuation-summary.js';
import type { EvacuationStarted } from '../triggers/evacuate.js';
import { localHandlers } from './handlers.js';
import { lambdaContext } from './lambda-context.js';
import type { ExecutionOutcome } from './state-machine-runner.js';
import { DEFAULT_START, SimulatedWorld, type Latencies, type WorldOptions } from './world.js';

export interface EvacuationSimulationOptions {
  config: LifeboatConfig;
  /** The region to evacuate. */
  region: string;
  /** `failover` (the region is failing: the simulation takes it down) or `drill` (it stays up). */
  mode?: 'failover' | 'drill';
  /** Take the region down first (health checks failing, EKS, CloudWatch and clusters not answering); by default for a failover, not for a drill. */
  failRegion?: boolean;
  reason?: string;
  requestId?: string;
  maxConcurrency?: number;
  latencies?: Partial<Latencies>;
  /** Route 53's account request rate in the world (5 by default, the real quota). */
  route53RequestsPerSecond?: number;
  /** Keep the world's tables on disk here (the CLI's `.lifeboat/`); in memory when absent. */
  dataDir?: string;
  /** How DynamoDB clients reach dynalite (see `WorldOptions.dynamoTransport`); real HTTP by default. */
  dynamoTransport?: WorldOptions['dynamoTransport'];
  /** A DynamoDB-compatible server the caller runs (see `WorldOptions.dynamoEndpoint`); dynalite in this process when absent. */
  dynamoEndpoint?: string;
  start?: Date | string;
  /** Called once the world exists, before the evacuation starts (tests change the world here). */
  prepare?: (world: SimulatedWorld) => void | Promise<void>;
  /** Called at the end, before the world is torn down. */
  inspect?: (world: SimulatedWorld, report: EvacuationReport) => void | Promise<void>;
}

/** What `simulateEvacuation` reports (and `lifeboat drill --region R --local --json` can print). */
export interface EvacuationReport {
  outcome: 'succeeded' | 'partial' | 'failed';
  started: EvacuationStarted;
  status: ExecutionOutcome['status'];
  error: string | null;
  summary: EvacuationSummary | null;
  /** Each moved app's simulated recovery time: the request → the app's lock released after it moved. */
  apps: { app: string; outcome: string; to?: string; error?: string; rtoSeconds: number | null }[];
  /** The last app's recovery time, and the evacuation's end (virtual seconds after the request). */
  lastAppSeconds: number | null;
  simulatedSeconds: number;
  /** Real time from the request to the end of the execution. */
  wallMs: number;
  /** This process's CPU time (every thread: GC, libuv) over the same interval: with DynamoDB out of process, the orchestration's own. */
  cpuMs: number;
  route53: { calls: number; changeCalls: number; throttled: number; priorRequestNotComplete: number };
  /** CloudWatch requests answered with Throttling (DescribeAlarms 9/s, GetMetricData 50/s per region). */
  cloudwatchThrottled: number;
  /** Calls to the simulated AWS APIs, Kubernetes API servers and Slack (DynamoDB not counted). */
  apiCalls: { total: number; route53: number; eks: number; cloudwatch: number; kubernetes: number; slack: number; stepFunctions: number };
  /** DynamoDB calls the runtime made from the request to the execution's end (not in apiCalls: the fakes count those). */
  dynamoCalls: number;
  steps: ExecutionOutcome['steps'];
  /** The largest data one of its Tasks took or returned (Step Functions fails the execution past 256 KiB). */
  largestStateData: { state: string; bytes: number } | null;
  sideEffects: ReturnType<SimulatedWorld['sideEffects']>;
}

/**
 * A region evacuation in the embedded runtime: a world for the configuration, the region taken
 * down (for a failover), the real evacuate-trigger handler invoked as an operator would, and the
 * real evacuation state machine run to its end on virtual time. What the CLI's
 * `lifeboat drill --region R --local` and the benchmark call.
 */
export async function simulateEvacuation(options: EvacuationSimulationOptions): Promise<EvacuationReport> {
  const mode = options.mode ?? 'failover';
  const world = await SimulatedWorld.create({
    config: options.config,
    latencies: options.latencies,
    route53RequestsPerSecond: options.route53RequestsPerSecond,
    dataDir: options.dataDir,
    dynamoTransport: options.dynamoTransport,
    dynamoEndpoint: options.dynamoEndpoint,
    start: options.start ?? DEFAULT_START,
  });
  try {
    if (options.failRegion ?? mode === 'failover') takeRegionDown(world, options.region);
    await options.prepare?.(world);
    const requestedAt = world.clock.now().getTime();
    const dynamoCallsBefore = world.dynamoCalls.length;
    const wallStart = performance.now();
    const cpuStart = process.cpuUsage();
    const started = (await localHandlers.evacuateTrigger!(
      { actor: 'simulation', region: options.region, mode, reason: options.reason ?? `simulated ${mode} of ${options.region}`, ...(options.requestId ? { requestId: options.requestId } : {}), ...(options.maxConcurrency ? { maxConcurrency: options.maxConcurrency } : {}) },
      lambdaContext('evacuateTrigger'),
    )) as EvacuationStarted;
    const outcomes = await world.sfn.settle();
    const wallMs = performance.now() - wallStart;
    const cpu = process.cpuUsage(cpuStart);
    const dynamoCalls = world.dynamoCalls.length - dynamoCallsBefore;
    const execution = outcomes.find((o) => o.name === started.executionName);
    const summary = await summaryOf(world, started.executionName, execution);
    const apps = await Promise.all(
      (summary?.apps ?? []).map(async (app) => {
        const trail = await world.auditTrail(app.incidentId);
        const released = trail.filter((r) => r.step === 'ReleaseLock' && r.outcome === 'LockReleased').at(-1);
        const rtoSeconds = app.outcome === 'succeeded' && released ? Math.round((Date.parse(released.at) - requestedAt) / 1000) : null;
        return { app: app.app, outcome: app.outcome, ...(app.to ? { to: app.to } : {}), ...(app.error ? { error: app.error } : {}), rtoSeconds };
      }),
    );
    const rtos = apps.flatMap((a) => (a.rtoSeconds === null ? [] : [a.rtoSeconds]));
    const clusters = [...world.clusters.values()];
    const counts = {
      route53: world.route53.calls.length,
      eks: world.eks.calls.length,
      cloudwatch: world.cloudwatch.calls.length,
      kubernetes: clusters.reduce((sum, cluster) => sum + cluster.requests.length, 0),
      slack: world.slack.messages.length + world.slack.failed,
      stepFunctions: world.sfn.calls.length,
    };
    const report: EvacuationReport = {
      outcome: summary?.outcome ?? 'failed',
      started,
      status: execution?.status ?? 'FAILED',
      error: execution && execution.status !== 'SUCCEEDED' ? `${execution.error}: ${execution.cause}` : null,
      summary,
      apps,
      lastAppSeconds: rtos.length ? Math.max(...rtos) : null,
      simulatedSeconds: execution ? Math.round((Date.parse(execution.stoppedAt) - requestedAt) / 1000) : 0,
      wallMs,
      cpuMs: (cpu.user + cpu.system) / 1000,
      route53: world.route53.stats(),
      cloudwatchThrottled: world.cloudwatch.calls.filter((call) => call.error === 'Throttling').length,
      apiCalls: { total: Object.values(counts).reduce((a, b) => a + b, 0), ...counts },
      dynamoCalls,
      steps: execution?.steps ?? [],
      largestStateData: execution?.largestData ?? null,
      sideEffects: world.sideEffects(),
    };
    await options.inspect?.(world, report);
    return report;
  } finally {
    await world.close();
  }
}

/**
 * A whole region failing: every app's health check there fails, and the region's EKS, CloudWatch
 * and Kubernetes API servers stop answering, so the run proves it needs nothing from it.
 */
export function takeRegionDown(world: SimulatedWorld, region: string): void {
  for (const app of world.config.apps) {
    const there = app.regions.find((r) => r.name === region);
    if (there) world.route53.setHealthCheck(there.route53.healthCheckId, false);
  }
  world.eks.failRegion(region, 'ServiceUnavailableException');
  world.cloudwatch.failRegion(region, 'InternalServiceFault');
  for (const [key, cluster] of world.clusters) {
    if (key.startsWith(`${region}/`)) cluster.injectFault({ status: 500, times: Number.MAX_SAFE_INTEGER });
  }
}

/** The Summarize step's output: the execution's output when it succeeded, else the evacuation's last trail record. */
async function summaryOf(world: SimulatedWorld, evacuationId: string, execution: ExecutionOutcome | undefined): Promise<EvacuationSummary | null> {
  if (execution?.status === 'SUCCEEDED') return execution.output as EvacuationSummary;
  const trail = await world.auditTrail(evacuationId);
  const closing = trail.filter((r) => r.step === 'Evacuate' && r.outcome !== 'InProgress').at(-1);
  if (!closing) return null;
  const after = closing.after as Pick<EvacuationSummary, 'counts' | 'apps' | 'changeIds'>;
  const { succeeded, apps } = after.counts;
  return {
    evacuationId,
    region: '',
    mode: 'failover',
    outcome: succeeded === apps ? 'succeeded' : succeeded === 0 ? 'failed' : 'partial',
    counts: after.counts,
    changeIds: after.changeIds,
    apps: after.apps,
    skipped: [],
  };
}
