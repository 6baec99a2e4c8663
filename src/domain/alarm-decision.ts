import type { AlarmTransition } from './alarm-event.js';
import type { AppConfig, LifeboatConfig, RegionConfig } from './config.js';
import { buildFailoverRequest, targetCandidates, type FailoverRequest } from './failover-request.js';
import { alarmExecutionName } from './names.js';

export type AlarmDecision =
  | { action: 'start'; request: FailoverRequest }
  | { action: 'ignore'; alarmName: string; reason: string; /** The app the alarm belongs to, when configured. */ app?: string };

interface AlarmOwner {
  app: AppConfig;
  region: RegionConfig;
  /** Where the alarm itself lives (us-east-1 for Route 53 health-check alarms). */
  alarmRegion: string;
}

/** Alarm name → the app and region it says are failing, from the configuration. */
export function indexAlarms(config: LifeboatConfig): Map<string, AlarmOwner[]> {
  const index = new Map<string, AlarmOwner[]>();
  for (const app of config.apps) {
    for (const region of app.regions) {
      for (const alarm of region.alarms) {
        const owners = index.get(alarm.name) ?? [];
        owners.push({ app, region, alarmRegion: alarm.region ?? region.name });
        index.set(alarm.name, owners);
      }
    }
  }
  return index;
}

/**
 * Decides what an alarm transition means. Only a transition into ALARM of a configured alarm of an
 * app with automatic failover acts; everything else is ignored with a reason (never an error).
 * The failing region always comes from the configuration's mapping, never from where the alarm
 * lives: a Route 53 health-check alarm in us-east-1 may watch eu-west-1.
 */
export function decideOnAlarm(index: Map<string, AlarmOwner[]>, transition: AlarmTransition, now: Date): AlarmDecision {
  const known = index.get(transition.alarmName) ?? [];
  const knownApp = known.length > 0 && known.every((o) => o.app.name === known[0]!.app.name) ? known[0]!.app.name : undefined;
  const ignore = (reason: string): AlarmDecision => ({ action: 'ignore', alarmName: transition.alarmName, reason, ...(knownApp ? { app: knownApp } : {}) });
  if (transition.state !== 'ALARM') return ignore(`transition to ${transition.state}, not ALARM`);
  if (transition.previousState === 'ALARM') return ignore('already in ALARM (no new transition)');
  // The alarm's owner said "do not act on this one" (a composite suppressor or a mute rule in force).
  if (transition.actionsSuppressed) return ignore(`actions suppressed by ${transition.actionsSuppressed.cause} ${transition.actionsSuppressed.detail}`);

  const candidates = index.get(transition.alarmName) ?? [];
  const owners = transition.alarmRegion ? candidates.filter((o) => o.alarmRegion === transition.alarmRegion) : candidates;
  if (owners.length === 0) return ignore(`alarm not configured${transition.alarmRegion ? ` in ${transition.alarmRegion}` : ''}`);
  if (owners.length > 1) return ignore(`alarm name is configured in several regions and the event does not say which: ${owners.map((o) => o.alarmRegion).join(', ')}`);
  const [{ app, region }] = owners as [AlarmOwner];
  if (!app.policy.automaticFailover) return ignore(`automatic failover is off for ${app.name}; start it by hand if needed`);

  const [target, ...alternatives] = targetCandidates(app, region.name);
  if (!target) return ignore(`${app.name} has no region to fail over to from ${region.name}`);
  const request = buildFailoverRequest({
    app,
    from: region,
    to: target,
    alternatives,
    mode: 'failover',
    executionName: alarmExecutionName(transition.alarmName, transition.stateChangeTime),
    requestedAt: now,
    trigger: {
      kind: 'alarm',
      alarmName: transition.alarmName,
      alarmRegion: transition.alarmRegion,
      stateChangeTime: transition.stateChangeTime,
      reason: transition.reason,
      delivery: transition.delivery,
    },
  });
  return { action: 'start', request };
}
