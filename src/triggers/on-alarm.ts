import { decideOnAlarm, indexAlarms } from '../domain/alarm-decision.js';
import { parseAlarmEvent } from '../domain/alarm-event.js';
import type { LifeboatConfig } from '../domain/config.js';
import type { FailoverRequest } from '../domain/failover-request.js';
import type { Clock } from '../ports/clock.js';
import type { Executions } from '../ports/executions.js';
import { admit, type AdmissionDeps } from './admission.js';

export interface TriggerDeps extends AdmissionDeps {
  config: LifeboatConfig;
  executions: Executions;
  stateMachineArn: string;
  clock: Clock;
}

export interface AlarmTriggerResult {
  started: { alarmName: string; app: string; from: string; to: string; executionName: string; executionArn: string; alreadyStarted: boolean }[];
  ignored: { alarmName: string; reason: string }[];
}

/**
 * Handles one alarm delivery in any of its three shapes: parse (a malformed event throws
 * InputValidationError naming the field, before anything is started), decide per transition,
 * and start one execution per decision under its deterministic name. A duplicate delivery maps to
 * the same name, so Step Functions itself refuses a second execution; that refusal is success.
 */
export async function onAlarmEvent(deps: TriggerDeps, event: unknown): Promise<AlarmTriggerResult> {
  const transitions = parseAlarmEvent(event);
  const index = indexAlarms(deps.config);
  const result: AlarmTriggerResult = { started: [], ignored: [] };
  for (const transition of transitions) {
    const decision = decideOnAlarm(index, transition, deps.clock.now());
    if (decision.action === 'ignore') {
      deps.log('alarm ignored', { alarmName: decision.alarmName, reason: decision.reason, state: transition.state, delivery: transition.delivery });
      result.ignored.push({ alarmName: decision.alarmName, reason: decision.reason });
      continue;
    }
    const { request } = decision;
    const admission = await admit(deps, request);
    if (!admission.admitted) {
      deps.log('alarm absorbed by another incident', { alarmName: transition.alarmName, incidentId: admission.incidentId, reason: admission.reason });
      result.ignored.push({ alarmName: transition.alarmName, reason: admission.reason });
      continue;
    }
    const { executionArn, alreadyStarted } = await startHoldingLock(deps, request, admission.tookLock);
    deps.log(alreadyStarted ? 'failover already started for this transition' : 'failover started', {
      incidentId: request.incidentId,
      app: request.app,
      from: request.from.name,
      to: request.to.name,
      executionArn,
    });
    result.started.push({ alarmName: transition.alarmName, app: request.app, from: request.from.name, to: request.to.name, executionName: request.executionName, executionArn, alreadyStarted });
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
