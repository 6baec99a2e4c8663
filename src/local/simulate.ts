import { randomUUID } from 'node:crypto';
import { decideOnAlarm, indexAlarms } from '../domain/alarm-decision.js';
import { parseAlarmEvent } from '../domain/alarm-event.js';
import { actingRegion } from '../domain/acting-region.js';
import type { AppConfig, LifeboatConfig } from '../domain/config.js';
import { describeError } from '../domain/slack-message.js';
import type { AlarmTriggerResult } from '../triggers/on-alarm.js';
import { eventBridgeAlarmEvent } from './alarm-event-builders.js';
import { localHandlers } from './handlers.js';
import { lambdaContext } from './lambda-context.js';
import type { ExecutionOutcome } from './state-machine-runner.js';
import type { StepRecord, TimelineListener } from './step-timeline.js';
import type { AuditRecord } from '../ports/audit.js';
import type { Fault } from './faults.js';
import type { StateDir } from './state-dir.js';
import { SCENARIO_SPECS, scenarioApp, type Scenario } from './scenarios.js';
import { DEFAULT_START, SimulatedWorld, type Latencies } from './world.js';

/** The state a run ended in: done, refused before changing anything, undone after traffic moved, failed otherwise, or nothing to do. */
export type SimulationOutcome = 'succeeded' | 'refused' | 'compensated' | 'failed' | 'ignored';

export { SCENARIOS, SCENARIO_SPECS, type Scenario } from './scenarios.js';

/** What `lifeboat simulate --json` prints. */
export interface SimulationReport {
  outcome: SimulationOutcome;
  /** The scenario played, and the safe end state it documents (null with `--event`). */
  scenario: { name: Scenario; safeState: string; expectedOutcome: SimulationOutcome } | null;
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
  ignored: { alarmName: string; reason: string; incidentId?: string }[];
  /** Regions preflight passed over before settling on `to` (or all of them, when refused). */
  passedOver: { region: string; reasons: string }[];
  /** Slack notifications of the incident: delivered, and attempts that failed (each in the audit trail). */
  notifications: { delivered: number; failedAttempts: number };
  /** Injected failures that actually fired during the run. */
  faultsFired: { dynamodb: number; slack: number };
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
  /** What goes wrong (src/local/scenarios.ts); `region-outage` by default. Ignored with `event`. */
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
    homeRegion: actingHome(options),
    latencies: options.latencies,
    dataDir: options.state?.dynamoPath,
    start: options.state?.nextStart(DEFAULT_START),
    onExecution: () => (event) => progress({ kind: 'step', event, at: world.clock.now() }),
  });
  try {
    progress({ kind: 'world', detail: `${options.config.apps.length} apps, ${world.clusters.size} clusters, home region ${world.homeRegion}` });
    const scenario = options.event === undefined ? (options.scenario ?? 'region-outage') : undefined;
    const app = scenario ? scenarioApp(scenario, options.config.apps, options.app) : undefined;
    const midRun: Promise<AlarmTriggerResult>[] = [];
    if (scenario && app) prepareScenario(world, scenario, app.name, (event) => midRun.push(world.scheduler.run(() => deliver(event))));
    await options.prepare?.(world);
    for (const fault of options.faults ?? []) world.inject(fault);
    const events = options.event !== undefined ? [options.event] : outageEvents(world, scenario!, app!.name, progress);
    const affected = affectedApp(world.config, events[0], world.clock.now());
    if (options.event !== undefined && affected) world.route53.setHealthCheck(affected.region.route53.healthCheckId, false);
    const before = affected ? world.weights(affected.app) : {};

    const result: AlarmTriggerResult = { started: [], ignored: [] };
    for (const event of events) merge(result, await deliver(event));
    progress({ kind: 'trigger', result });
    const outcomes = await world.sfn.settle();
    for (const late of await Promise.all(midRun)) merge(result, late);
    const incident = result.started[0]?.executionName;
    const trail = incident ? await world.auditTrail(incident) : [];
    const report = buildReport(world, result, outcomes[0], before, affected?.app ?? null, trail, scenario);
    await options.inspect?.(world, report);
    options.state?.recordEnd(world.clock.now());
    progress({ kind: 'done', report });
    return report;
  } finally {
    await world.close();
  }
}

/** One alarm delivery through the real trigger handler. */
async function deliver(event: unknown): Promise<AlarmTriggerResult> {
  return (await localHandlers.alarmTrigger!(event, lambdaContext('alarmTrigger'))) as AlarmTriggerResult;
}

function merge(into: AlarmTriggerResult, from: AlarmTriggerResult): void {
  into.started.push(...from.started);
  into.ignored.push(...from.ignored);
}

/** Arranges what goes wrong during the run, beyond the outage itself. */
function prepareScenario(world: SimulatedWorld, scenario: Scenario, appName: string, deliverMidRun: (event: unknown) => void): void {
  const app = world.app(appName);
  switch (scenario) {
    case 'target-degrades':
      return degradeTargetAfterShift(world, appName);
    case 'primary-recovers': {
      // While the standby is being promoted, the primary comes back and fails again (a flap).
      const primary = app.regions[0]!;
      const alarm = primary.alarms[0]!;
      return world.afterStep('PromoteNodegroups', () => {
        world.route53.setHealthCheck(primary.route53.healthCheckId, true);
        for (const [state, reason] of [['OK', 'Threshold Crossed: errors back under the threshold'], ['ALARM', 'Threshold Crossed: errors above the threshold again']] as const) {
          world.cloudwatch.transition(alarm.region ?? primary.name, alarm.name, state, reason);
          deliverMidRun(eventBridgeAlarmEvent(world.lastAlarmChange()!, randomUUID()));
        }
      });
    }
    case 'slack-down':
      return world.slack.failNext(503, 10_000);
    case 'dynamodb-throttled':
      // Two bursts: as the workflow takes the lock, and as it waits for DNS after the shift.
      world.dynamoFaults.failNext('ThrottlingException', 4);
      return world.afterStep('ShiftTraffic', () => world.dynamoFaults.failNext('ProvisionedThroughputExceededException', 4));
    case 'stale-backup':
      // No backup for the last three hours: the newest Completed one (25 min old at the start) is now 205 min old.
      return world.clock.advanceTo(new Date(world.clock.now().getTime() + 3 * 60 * 60_000));
    case 'region-outage':
    case 'two-regions-fail':
    case 'all-regions-fail':
      return;
  }
}

/** The outage each scenario starts with, as the alarm events CloudWatch would deliver. */
function outageEvents(world: SimulatedWorld, scenario: Scenario, appName: string, progress: (event: ProgressEvent) => void): unknown[] {
  const app = world.app(appName);
  return failingRegions(scenario, app).map((region) => {
    const change = world.failRegion(app.name, region.name);
    progress({ kind: 'outage', app: app.name, region: region.name, alarmName: change.alarmName, at: change.time });
    return eventBridgeAlarmEvent(change, randomUUID());
  });
}

function failingRegions(scenario: Scenario, app: AppConfig): AppConfig['regions'] {
  return scenario === 'all-regions-fail' ? app.regions : scenario === 'two-regions-fail' ? app.regions.slice(0, 2) : app.regions.slice(0, 1);
}

/**
 * The stack the simulation runs in: the region that acts on the outage by the rule every deployed
 * stack applies (src/domain/acting-region.ts), with the scenario's failing regions unhealthy. With
 * `--event`, the event's alarm decides; the world's default when nothing is configured for it.
 */
function actingHome(options: SimulationOptions): string | undefined {
  if (options.event !== undefined) {
    const affected = affectedApp(options.config, options.event, new Date());
    const app = affected ? options.config.apps.find((a) => a.name === affected.app) : undefined;
    return app && affected ? actingRegion(app, affected.region.name, () => true)?.region : undefined;
  }
  const scenario = options.scenario ?? 'region-outage';
  const app = scenarioApp(scenario, options.config.apps, options.app);
  const failing = new Set(failingRegions(scenario, app).map((region) => region.name));
  return actingRegion(app, app.regions[0]!.name, (region) => !failing.has(region))?.region;
}

/** The standby's own alarm fires as soon as traffic reaches it (an undersized or broken target). */
function degradeTargetAfterShift(world: SimulatedWorld, appName: string): void {
  const target = world.app(appName).regions[1]!;
  const alarm = target.alarms[0];
  if (!alarm) throw new Error(`${appName} has no alarm in ${target.name} to fire`);
  world.afterStep('ShiftTraffic', () => world.cloudwatch.transition(alarm.region ?? target.name, alarm.name, 'ALARM', 'Threshold Crossed: errors after the traffic arrived'));
}

/** Which app and region an event's alarm means, if it is a configured alarm. */
function affectedApp(config: LifeboatConfig, event: unknown, now: Date) {
  let transitions;
  try {
    transitions = parseAlarmEvent(event);
  } catch {
    return undefined; // the trigger reports the malformed event itself
  }
  const index = indexAlarms(config);
  for (const transition of transitions) {
    const owners = index.get(transition.alarmName) ?? [];
    const decision = decideOnAlarm(index, { ...transition, state: 'ALARM', previousState: 'OK' }, now);
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
  trail: AuditRecord[],
  scenario: Scenario | undefined,
): SimulationReport {
  const started = result.started.find((s) => !s.alreadyStarted) ?? result.started[0];
  const execution = started ? world.sfn.list().find((e) => e.name === started.executionName) : undefined;
  const input = execution?.input as { trigger?: { alarmName: string; delivery: string; stateChangeTime: string } } | undefined;
  const trigger = input?.trigger && 'alarmName' in input.trigger ? { alarmName: input.trigger.alarmName, delivery: input.trigger.delivery, stateChangeTime: input.trigger.stateChangeTime } : null;
  const stoppedAt = outcome ? new Date(outcome.stoppedAt).getTime() : undefined;
  const detectedAt = trigger ? new Date(trigger.stateChangeTime).getTime() : undefined;
  const compensated = trail.some((r) => r.outcome === 'Compensated');
  const settled = trail.find((r) => r.step === 'Preflight' && r.outcome === 'Passed');
  const to = (settled?.intent.match(/^check (\S+) can take over/)?.[1]) ?? started?.to ?? null;
  const spec = scenario ? SCENARIO_SPECS[scenario] : undefined;
  return {
    outcome: outcomeOf(outcome, compensated),
    scenario: scenario && spec ? { name: scenario, safeState: spec.safeState, expectedOutcome: spec.outcome } : null,
    incidentId: started?.executionName ?? null,
    executionName: started?.executionName ?? null,
    app: started?.app ?? app,
    from: started?.from ?? null,
    to,
    trigger,
    steps: (outcome?.steps ?? []).map(({ name, status, start, end }) => ({ name, status, start, end })),
    weights: { before, after: app ? world.weights(app) : {} },
    rtoSeconds: outcome?.status === 'SUCCEEDED' && stoppedAt !== undefined && detectedAt !== undefined ? Math.round((stoppedAt - detectedAt) / 1000) : null,
    sideEffects: world.sideEffects(),
    error: outcome && outcome.status !== 'SUCCEEDED' ? describeError({ Error: outcome.error, Cause: outcome.cause }) : null,
    ignored: result.ignored,
    passedOver: trail
      .filter((r) => r.step === 'Preflight' && r.outcome === 'Refused')
      .map((r) => ({ region: r.intent.match(/^check (\S+) can take over/)?.[1] ?? '?', reasons: r.error ?? '' })),
    notifications: {
      delivered: trail.filter((r) => r.step === 'Notify' && r.outcome === 'Notified').length,
      failedAttempts: trail.filter((r) => r.step === 'Notify' && r.outcome === 'Failed').length,
    },
    faultsFired: { dynamodb: world.dynamoFaults.fired, slack: world.slack.failed },
  };
}

function outcomeOf(outcome: ExecutionOutcome | undefined, compensated: boolean): SimulationOutcome {
  if (!outcome) return 'ignored';
  if (outcome.status === 'SUCCEEDED') return 'succeeded';
  if (compensated) return 'compensated';
  if (outcome.error === 'PreflightRefusedError' || outcome.error === 'InvariantViolatedError') return 'refused';
  return 'failed';
}
