import { decideOnAlarm, indexAlarms } from '../domain/alarm-decision.js';
import { parseAlarmEvent, type AlarmTransition } from '../domain/alarm-event.js';
import { blastRadiusLimit } from '../domain/blast-radius.js';
import type { LifeboatConfig } from '../domain/config.js';
import { actorOf, type FailoverRequest } from '../domain/failover-request.js';
import { buildBlastRadiusMessage } from '../domain/slack-message.js';
import type { Clock } from '../ports/clock.js';
import type { Executions } from '../ports/executions.js';
import type { AppLockState } from '../ports/locks.js';
import { decideActing, type ActingRegionDeps } from './acting-region.js';
import { admit, admitUnderLock, type AdmissionDeps } from './admission.js';

export interface TriggerDeps extends AdmissionDeps, ActingRegionDeps {
  config: LifeboatConfig;
  executions: Executions;
  stateMachineArn: string;
  clock: Clock;
}

export interface AlarmTriggerResult {
  started: { alarmName: string; app: string; from: string; to: string; executionName: string; executionArn: string; alreadyStarted: boolean }[];
  /** Transitions that started nothing, with the reason and, when one absorbed it, the incident whose trail records it. */
  ignored: { alarmName: string; reason: string; incidentId?: string }[];
}

/**
 * Handles one alarm delivery in any of its three shapes: parse (a malformed event throws
 * InputValidationError naming the field, before anything is started), decide per transition,
 * and start one execution per decision under its deterministic name. A duplicate delivery maps to
 * the same name, so Step Functions itself refuses a second execution; that refusal is success.
 */
export async function onAlarmEvent(deps: TriggerDeps, event: unknown, deliveryId: string): Promise<AlarmTriggerResult> {
  const transitions = parseAlarmEvent(event);
  const alarmIndex = alarmIndexOf(deps.config);
  const result: AlarmTriggerResult = { started: [], ignored: [] };
  for (const [index, transition] of transitions.entries()) {
    // One receipt per transition of this invocation (an SNS event can carry several).
    const delivery = `${deliveryId}#${index}`;
    const decision = decideOnAlarm(alarmIndex, transition, deps.clock.now());
    if (decision.action === 'ignore') {
      deps.log('alarm ignored', { alarmName: decision.alarmName, reason: decision.reason, state: transition.state, delivery: transition.delivery });
      const incidentId = decision.app ? await recordIgnored(deps, decision.app, transition, decision.reason, delivery) : undefined;
      result.ignored.push({ alarmName: decision.alarmName, reason: decision.reason, ...(incidentId ? { incidentId } : {}) });
      continue;
    }
    const { request } = decision;
    // Every other region's stack hears the alarm; only the one the rule names acts (./acting-region.ts).
    const acting = await decideActing(deps, request.app, request.from.name);
    if (!acting.acts) { result.ignored.push({ alarmName: transition.alarmName, reason: acting.reason }); continue; }
    // Only the region serving the app can fail it: a standby region's alarm (or the old primary's,
    // after a failover) must not start a failover away from where traffic is not.
    // One read for the app's active region, lock and cooldown (what every path below needs).
    const state = await deps.locks.state(request.app, deps.clock.now());
    const active = state.activeRegion ?? primaryOf(deps.config, request.app);
    if (request.from.name !== active) {
      const reason = `${request.from.name} is not serving ${request.app} (its traffic is in ${active})`;
      const incidentId = await recordIgnored(deps, request.app, transition, reason, delivery, state);
      result.ignored.push({ alarmName: transition.alarmName, reason, ...(incidentId ? { incidentId } : {}) });
      continue;
    }
    // A live lock in that read decides this delivery by itself (./admission.ts admitUnderLock):
    // neither the blast-radius count nor the lock is written again.
    const lockSeen = state.lock && !state.cooldown ? state.lock : undefined;
    // Asked before the lock, so a refused app never holds one, even briefly.
    const held = lockSeen ? { ok: true as const } : await withinBlastRadius(deps, request);
    if (!held.ok) {
      result.ignored.push({ alarmName: transition.alarmName, reason: held.reason, incidentId: request.incidentId });
      continue;
    }
    const admission = lockSeen ? await admitUnderLock(deps, request, delivery, lockSeen) : await admit(deps, request, delivery, state);
    if (!admission.admitted) {
      deps.log('alarm absorbed by another incident', { alarmName: transition.alarmName, incidentId: admission.incidentId, reason: admission.reason });
      result.ignored.push({ alarmName: transition.alarmName, reason: admission.reason, incidentId: admission.incidentId });
      continue;
    }
    const started = await startHoldingLock(deps, request, admission.tookLock);
    // Another copy of this very transition got here first (it took the lock, or started the execution).
    const alreadyStarted = started.alreadyStarted || !admission.tookLock;
    if (alreadyStarted) {
      await deps.audit.acknowledge({
        incidentId: request.incidentId,
        step: 'Trigger',
        actor: actorOf(request),
        intent: `fail ${request.app} over from ${request.from.name} to ${request.to.name}`,
        outcome: 'Duplicate',
        change: { delivery: transition.delivery, stateChangeTime: transition.stateChangeTime },
        at: deps.clock.now().toISOString(),
      }, delivery);
    }
    deps.log(alreadyStarted ? 'failover already started for this transition' : 'failover started', {
      incidentId: request.incidentId,
      app: request.app,
      from: request.from.name,
      to: request.to.name,
      executionArn: started.executionArn,
    });
    result.started.push({ alarmName: transition.alarmName, app: request.app, from: request.from.name, to: request.to.name, executionName: request.executionName, executionArn: started.executionArn, alreadyStarted });
  }
  return result;
}

/** Starts the execution; if that fails, gives back a lock this trigger took, so it does not block the app for a whole lease. */
export async function startHoldingLock(deps: TriggerDeps, request: FailoverRequest, tookLock: boolean) {
  try {
    return await deps.executions.start(deps.stateMachineArn, request.executionName, request);
  } catch (error) {
    if (tookLock) await deps.locks.release(request.app, request.incidentId).catch(() => undefined);
    throw error;
  }
}

/**
 * The blast-radius limit: alarms alone never fail over more than the configured share of a region's
 * apps in one window. Every copy of a transition asks (the count is keyed by app, so asking again
 * is free), so a redelivery racing a refused copy cannot slip past. Refused: the first copy records
 * the refusal in the would-be incident's trail and tells the team; nothing else changes. Manual requests never come here: an operator's request is the
 * approval the limit waits for.
 */
async function withinBlastRadius(deps: TriggerDeps, request: FailoverRequest): Promise<{ ok: true } | { ok: false; reason: string }> {
  const now = deps.clock.now();
  const { limit, appsInRegion } = blastRadiusLimit(deps.config, request.from.name);
  const windowSeconds = deps.config.safety.blastRadius.windowMinutes * 60;
  const claim = await deps.locks.claimBlastRadius(request.from.name, request.app, limit, windowSeconds, now);
  if (claim.granted) return { ok: true };
  const reason = `blast-radius limit: ${claim.apps.length} of ${appsInRegion} apps in ${request.from.name} (${claim.apps.join(', ')}) are already failing over automatically (limit ${limit} until ${claim.windowEndsAt}); start ${request.app} by hand if it should move`;
  if (await deps.locks.once(`blast-refused#${request.incidentId}`, now)) {
    await deps.audit.record({
      incidentId: request.incidentId,
      step: 'Trigger',
      actor: actorOf(request),
      intent: `fail ${request.app} over from ${request.from.name} to ${request.to.name}`,
      outcome: 'Refused',
      before: { appsFailingOver: claim.apps, appsInRegion, limit },
      error: reason,
      at: now.toISOString(),
    });
    try {
      await deps.notifier.post(request.slack.webhook, buildBlastRadiusMessage(request, { limit, appsInRegion, apps: claim.apps, windowEndsAt: claim.windowEndsAt }, now));
    } catch (error) {
      deps.log('blast-radius notice not delivered', { app: request.app, error: (error as Error).message });
    }
  }
  deps.log('failover refused by the blast-radius limit', { incidentId: request.incidentId, app: request.app, from: request.from.name, reason });
  return { ok: false, reason };
}

/**
 * An ignored transition of a configured alarm (a recovery, a repeat, a suppressed action) is
 * recorded in the trail of the app's incident in progress or in cooldown, if there is one, so the
 * trail accounts for every alarm event of the incident. With no incident, the log records it.
 */
async function recordIgnored(deps: TriggerDeps, app: string, transition: AlarmTransition, reason: string, deliveryId: string, read?: AppLockState): Promise<string | undefined> {
  const now = deps.clock.now();
  const state = read ?? (await deps.locks.state(app, now));
  const incidentId = state.lock?.incidentId ?? state.cooldown?.incidentId;
  if (!incidentId) return undefined;
  await deps.audit.acknowledge({
    incidentId,
    step: 'Trigger',
    actor: `alarm:${transition.alarmName}`,
    intent: `alarm ${transition.alarmName} → ${transition.state}`,
    outcome: 'Ignored',
    change: { delivery: transition.delivery, stateChangeTime: transition.stateChangeTime },
    error: reason,
    at: now.toISOString(),
  }, deliveryId);
  return incidentId;
}

/** The alarm index of a configuration, built once per configuration object (once per container), not per event. */
const alarmIndexes = new WeakMap<LifeboatConfig, ReturnType<typeof indexAlarms>>();
function alarmIndexOf(config: LifeboatConfig): ReturnType<typeof indexAlarms> {
  let index = alarmIndexes.get(config);
  if (!index) alarmIndexes.set(config, (index = indexAlarms(config)));
  return index;
}

/** Where the app's traffic is before its first failover: its first region. */
function primaryOf(config: LifeboatConfig, app: string): string {
  return config.apps.find((a) => a.name === app)!.regions[0]!.name;
}
