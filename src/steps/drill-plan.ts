import type { LifeboatConfig } from '../domain/config.js';
import { InputValidationError } from '../domain/errors.js';
import { buildFailoverRequest, type FailoverRequest } from '../domain/failover-request.js';
import { shortHash } from '../domain/names.js';
import type { FailbackAsk } from './failback.js';
import type { StepDeps } from './deps.js';

/*
 * A drill (statemachines/drill.asl.json) is one incident, named after the drill's execution: the
 * failover it nests, the hold and the failback all write to that incident's audit trail, so its
 * report covers the whole drill and its numbers are the trail's.
 */

export interface DrillAsk {
  app: string;
  /** The standby to fail over to; the app's first standby by default. */
  to?: string;
  actor?: string;
  reason?: string;
}

export interface DrillPlan {
  incidentId: string;
  app: string;
  holdMinutes: number;
  failover: FailoverRequest;
  failoverExecutionName: string;
  failback: Omit<FailbackAsk, 'executionName'>;
  failbackExecutionName: string;
}

/** A nested execution's name: the drill's, suffixed, hashed when that would pass Step Functions' 80 characters. */
export function nestedExecutionName(drill: string, suffix: 'failover' | 'failback'): string {
  const name = `${drill}-${suffix}`;
  return name.length <= 80 ? name : `drill-${shortHash(drill, 24)}-${suffix}`;
}

/** Resolves a drill of `ask.app` from the configuration: from the region serving it to the standby named (or the next). */
export async function planDrill(deps: Pick<StepDeps, 'clock' | 'locks'> & { config: LifeboatConfig }, ask: DrillAsk, executionName: string): Promise<DrillPlan> {
  const app = deps.config.apps.find((candidate) => candidate.name === ask.app);
  if (!app) throw new InputValidationError([{ path: 'app', message: `unknown app ${JSON.stringify(ask.app)} (known: ${deps.config.apps.map((a) => a.name).join(', ')})` }], 'drill request');
  const active = (await deps.locks.activeRegion(app.name)) ?? app.regions[0]!.name;
  const from = app.regions.find((r) => r.name === active) ?? app.regions[0]!;
  const to = ask.to === undefined ? app.regions.find((r) => r.name !== from.name)! : app.regions.find((r) => r.name === ask.to);
  if (!to) throw new InputValidationError([{ path: 'to', message: `${JSON.stringify(ask.to)} is not a region of ${app.name} (${app.regions.map((r) => r.name).join(', ')})` }], 'drill request');
  if (to.name === from.name) throw new InputValidationError([{ path: 'to', message: `must differ from the region serving ${app.name} now (${from.name})` }], 'drill request');
  const actor = ask.actor ?? 'schedule';
  const reason = ask.reason ?? `DR drill of ${app.name}`;
  const failoverExecutionName = nestedExecutionName(executionName, 'failover');
  const failover = buildFailoverRequest({ app, from, to, mode: 'drill', executionName: failoverExecutionName, requestedAt: deps.clock.now(), trigger: { kind: 'manual', actor, reason } });
  return {
    incidentId: executionName,
    app: app.name,
    holdMinutes: app.drill.holdMinutes,
    // The incident is the drill's: the nested failover records in the drill's trail.
    failover: { ...failover, incidentId: executionName },
    failoverExecutionName,
    failback: { app: app.name, to: from.name, actor, reason: `${reason} (failback)`, incidentId: executionName, mode: 'drill', promotedIn: executionName },
    failbackExecutionName: nestedExecutionName(executionName, 'failback'),
  };
}
