import { randomUUID } from 'node:crypto';
import { decideOnAlarm, indexAlarms } from '../domain/alarm-decision.js';
import { parseAlarmEvent } from '../domain/alarm-event.js';
import type { LifeboatConfig } from '../domain/config.js';
import { describeError } from '../domain/slack-message.js';
import type { AlarmTriggerResult } from '../triggers/on-alarm.js';
import { eventBridgeAlarmEvent } from './alarm-event-builders.js';
import { localHandlers } from './handlers.js';
import { lambdaContext } from './lambda-context.js';
import type { ExecutionOutcome } from './state-machine-runner.js';
import type { StepRecord, TimelineListener } from './step-timeline.js';
import type { Fault } from './faults.js';
import type { StateDir } from './state-dir.js';
import { DEFAULT_START, SimulatedWorld, type Latencies } from './world.js';

/** The state a run ended in: done, refused before changing anything, undone after traffic moved, failed otherwise, or nothing to do. */
export type SimulationOutcome = 'succeeded' | 'refused' | 'compensated' | 'failed' | 'ignored';

/** What `--scenario` can simulate. */
export const SCENARIOS = ['region-outage', 'target-degrades'] as const;
export type Scenario = (typeof SCENARIOS)[number];

/** What `lifeboat simulate --json` prints. */
export interface SimulationReport {
  outcome: SimulationOutcome;
  incidentId: string | null;
  executionName: string | null;
  app: string | null;
  from: string | null;
  to: string | null;
  trigger: { alarmName: string; delivery: string; stateChangeTime: string } | null;
  steps: Pick<StepRecord, 'name' | 'status' | 'start' | 'end'>[];
  weights: { before: Record<string, number>; after: Record<string, number> };
  rtoSeconds: number | null;
  sideEffects: ReturnType<SimulatedWorld['sideEffects']>;
  error: string | null;
  ignored: { alarmName: string; reason: string }[];
}

export type ProgressEvent =
  | { kind: 'world'; detail: string }
  | { kind: 'outage'; app: string; region: string; alarmName: string; at: Date }
  | { kind: 'trigger'; result: AlarmTriggerResult }
  | { kind: 'step'; event: Parameters<TimelineListener>[0]; at: Date }
  | { kind: 'done'; report: SimulationReport };

export interface SimulationOptions {
  config: LifeboatConfig;
  /** The app whose primary region fails (the first app by default). Ignored with `event`. */
  app?: string;
  /**
   * `region-outage` (default): the primary fails, the standby takes over. `target-degrades`: the
   * standby fails verification right after traffic moved to it, so the workflow moves it back.
   */
  scenario?: Scenario;
  /** An alarm event (any of the three delivery shapes) to deliver instead of simulating an outage. */
  event?: unknown;
  latencies?: Partial<Latencies>;
  /** Keep the world's tables on disk here (the CLI's `.lifeboat/`); in memory when absent. */
  state?: StateDir;
  /** Faults to inject (see src/local/faults.ts). */
  faults?: Fault[];
  onProgress?: (event: ProgressEvent) => void;
  /** Called once the world exists and before anything happens: tests and `--inject` add faults here. */
  prepare?: (world: SimulatedWorld) => void | Promise<void>;
  /** Called at the end, before the world is torn down: tests look at the final state here. */
  inspect?: (world: SimulatedWorld, report: SimulationReport) => void | Promise<void>;
}

/**
 * A regional outage, end to end, in the embedded runtime: the primary region of an app fails, its
 * alarm's EventBridge event goes to the real alarm-trigger handler, which starts the real failover
 * state machine; the report says what happened and what changed. With `event`, the given alarm
 * event is delivered instead (the region it names is failed first, so the world agrees with it).
 */
export async function simulate(options: SimulationOptions): Promise<SimulationReport> {
  const progress = options.onProgress ?? (() => undefined);
  const world = await SimulatedWorld.create({
    config: options.config,
    latencies: options.latencies,
    dataDir: options.state?.dynamoPath,
    start: options.state?.nextStart(DEFAULT_START),
    onExecution: () => (event) => progress({ kind: 'step', event, at: world.clock.now() }),
  });
  try {
    progress({ kind: 'world', detail: `${options.config.apps.length} apps, ${world.clusters.size} clusters, home region ${world.homeRegion}` });
    if (options.scenario === 'target-degrades') degradeTargetAfterShift(world, options.app ?? options.config.apps[0]!.name);
    await options.prepare?.(world);
    for (const fault of options.faults ?? []) world.inject(fault);
    const event = options.event ?? outageEvent(world, options, progress);
    const affected = affectedApp(world, event);
    if (options.event !== undefined && affected) world.route53.setHealthCheck(affected.region.route53.healthCheckId, false);
    const before = affected ? world.weights(affected.app) : {};

    const result = (await localHandlers.alarmTrigger!(event, lambdaContext('alarmTrigger'))) as AlarmTriggerResult;
    progress({ kind: 'trigger', result });
    const outcomes = await world.sfn.settle();
    const incident = result.started[0]?.executionName;
    const compensated = incident ? (await world.auditTrail(incident)).some((r) => r.outcome === 'Compensated') : false;
    const report = buildReport(world, result, outcomes[0], before, affected?.app ?? null, compensated);
    await options.inspect?.(world, report);
    options.state?.recordEnd(world.clock.now());
    progress({ kind: 'done', report });
    return report;
  } finally {
    await world.close();
  }
}

/** The standby's own alarm fires as soon as traffic reaches it (an undersized or broken target). */
function degradeTargetAfterShift(world: SimulatedWorld, appName: string): void {
  const target = world.app(appName).regions[1]!;
  const alarm = target.alarms[0];
  if (!alarm) throw new Error(`${appName} has no alarm in ${target.name} to fire`);
  world.afterStep('ShiftTraffic', () => world.cloudwatch.transition(alarm.region ?? target.name, alarm.name, 'ALARM', 'Threshold Crossed: errors after the traffic arrived'));
}

function outageEvent(world: SimulatedWorld, options: SimulationOptions, progress: (event: ProgressEvent) => void) {
  const app = options.app ? world.app(options.app) : options.config.apps[0]!;
  const region = app.regions[0]!;
  const change = world.failRegion(app.name, region.name);
  progress({ kind: 'outage', app: app.name, region: region.name, alarmName: change.alarmName, at: change.time });
  return eventBridgeAlarmEvent(change, randomUUID());
}

/** Which app and region an event's alarm means, if it is a configured alarm. */
function affectedApp(world: SimulatedWorld, event: unknown) {
  let transitions;
  try {
    transitions = parseAlarmEvent(event);
  } catch {
    return undefined; // the trigger reports the malformed event itself
  }
  const index = indexAlarms(world.config);
  for (const transition of transitions) {
    const owners = index.get(transition.alarmName) ?? [];
    const decision = decideOnAlarm(index, { ...transition, state: 'ALARM', previousState: 'OK' }, world.clock.now());
    if (decision.action === 'start') return { app: decision.request.app, region: decision.request.from };
    if (owners[0]) return { app: owners[0].app.name, region: owners[0].region };
  }
  return undefined;
}

function buildReport(
  world: SimulatedWorld,
  result: AlarmTriggerResult,
  outcome: ExecutionOutcome | undefined,
  before: Record<string, number>,
  app: string | null,
  compensated: boolean,
): SimulationReport {
  const started = result.started[0];
  const execution = started ? world.sfn.list().find((e) => e.name === started.executionName) : undefined;
  const input = execution?.input as { trigger?: { alarmName: string; delivery: string; stateChangeTime: string } } | undefined;
  const trigger = input?.trigger && 'alarmName' in input.trigger ? { alarmName: input.trigger.alarmName, delivery: input.trigger.delivery, stateChangeTime: input.trigger.stateChangeTime } : null;
  const stoppedAt = outcome ? new Date(outcome.stoppedAt).getTime() : undefined;
  const detectedAt = trigger ? new Date(trigger.stateChangeTime).getTime() : undefined;
  return {
    outcome: outcomeOf(outcome, compensated),
    incidentId: started?.executionName ?? null,
    executionName: started?.executionName ?? null,
    app: started?.app ?? app,
    from: started?.from ?? null,
    to: started?.to ?? null,
    trigger,
    steps: (outcome?.steps ?? []).map(({ name, status, start, end }) => ({ name, status, start, end })),
    weights: { before, after: app ? world.weights(app) : {} },
    rtoSeconds: stoppedAt !== undefined && detectedAt !== undefined ? Math.round((stoppedAt - detectedAt) / 1000) : null,
    sideEffects: world.sideEffects(),
    error: outcome?.status === 'FAILED' ? describeError({ Error: outcome.error, Cause: outcome.cause }) : null,
    ignored: result.ignored,
  };
}


function outcomeOf(outcome: ExecutionOutcome | undefined, compensated: boolean): SimulationOutcome {
  if (!outcome) return 'ignored';
  if (outcome.status === 'SUCCEEDED') return 'succeeded';
  if (compensated) return 'compensated';
  if (outcome.error === 'PreflightRefusedError' || outcome.error === 'InvariantViolatedError') return 'refused';
  return 'failed';
}
