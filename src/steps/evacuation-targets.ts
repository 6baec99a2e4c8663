import * as z from 'zod';
import { isRetryable } from '../domain/errors.js';
import type { FailoverRequest } from '../domain/failover-request.js';
import type { AlarmState, Alarms } from '../ports/alarms.js';
import type { AuditRecord } from '../ports/audit.js';
import type { EvacuationDeps } from './evacuation-deps.js';

const observationSchema = z.object({
  at: z.string(),
  healthy: z.boolean().optional(),
  alarms: z.array(z.object({ name: z.string(), region: z.string(), state: z.enum(['OK', 'ALARM', 'INSUFFICIENT_DATA']) })).optional(),
});

/**
 * What the evacuation saw of one moved app's target right after its change was INSYNC: the health
 * check's status and the target's alarms, each when it could be read. Kept in the app's own trail
 * (its AwaitTrafficSync record), not in the evacuation's state, which Step Functions caps at
 * 256 KiB for the whole fleet.
 */
export type TargetObservation = z.output<typeof observationSchema>;

/** How old an observation may be and still stand in for a live read in Verify. */
export const OBSERVATION_TRUSTED_MS = 2 * 60_000;

/**
 * Reads every moved app's target at once: one GetMetricData for up to 500 health checks, and
 * DescribeAlarms per region for up to 100 alarm names a request. Why: the Finish Map verifies
 * hundreds of apps in the same second, and CloudWatch allows 9 DescribeAlarms and 50 GetMetricData
 * a second per region; one request per app would be throttled, and a verification that runs out of
 * retries moves the app's traffic back. Whatever CloudWatch does not answer is left out, and that
 * app's Verify reads it live.
 */
export async function observeTargets(
  deps: Pick<EvacuationDeps, 'healthMetrics' | 'alarms' | 'clock'>,
  requests: readonly FailoverRequest[],
): Promise<Map<string, TargetObservation>> {
  const at = deps.clock.now().toISOString();
  const namesByRegion = new Map<string, Set<string>>();
  for (const request of requests) {
    for (const alarm of request.to.alarms) {
      const region = alarm.region ?? request.to.name;
      namesByRegion.set(region, (namesByRegion.get(region) ?? new Set()).add(alarm.name));
    }
  }
  const [health, alarmStates] = await Promise.all([
    orNothing(() => deps.healthMetrics.healthCheckStatuses([...new Set(requests.map((r) => r.to.route53.healthCheckId))]), new Map<string, boolean>()),
    readAlarms(deps.alarms, namesByRegion),
  ]);
  return new Map(
    requests.map((request) => {
      const observation: TargetObservation = { at };
      const healthy = health.get(request.to.route53.healthCheckId);
      if (healthy !== undefined) observation.healthy = healthy;
      const alarms = request.to.alarms.map((alarm) => ({ name: alarm.name, region: alarm.region ?? request.to.name }));
      // Only a complete reading stands in for Verify's: with an alarm not found, or its region not answering, Verify reads live.
      if (alarms.every((alarm) => alarmStates.has(`${alarm.region}/${alarm.name}`))) {
        observation.alarms = alarms.map((alarm) => ({ ...alarm, state: alarmStates.get(`${alarm.region}/${alarm.name}`)! }));
      }
      return [request.app, observation] as const;
    }),
  );
}

/** DescribeAlarms takes up to 100 names a request; CloudWatch allows 9 requests a second per region. */
const NAMES_PER_REQUEST = 100;
const REQUESTS_PER_REGION = 9;

/**
 * States of the named alarms, by `region/name`: up to 9 requests per region (one second of its
 * quota), stopping at the first one CloudWatch does not answer. Names left unread (past 900 in a
 * region, or after a throttle) are read live by their apps' Verify.
 */
async function readAlarms(alarms: Alarms, namesByRegion: ReadonlyMap<string, ReadonlySet<string>>): Promise<Map<string, AlarmState['state']>> {
  const states = new Map<string, AlarmState['state']>();
  await Promise.all(
    [...namesByRegion].map(async ([region, names]) => {
      const all = [...names];
      for (let request = 0; request < REQUESTS_PER_REGION && request * NAMES_PER_REQUEST < all.length; request++) {
        const chunk = all.slice(request * NAMES_PER_REQUEST, (request + 1) * NAMES_PER_REQUEST);
        const found = await orNothing(() => alarms.states(region, chunk), undefined);
        if (!found) return;
        for (const state of found) states.set(`${region}/${state.name}`, state.state);
      }
    }),
  );
  return states;
}

/** The latest observation of the app's target in its trail, when it is recent enough to use. */
export function recentObservation(trail: readonly AuditRecord[], now: Date): TargetObservation | undefined {
  for (let index = trail.length - 1; index >= 0; index--) {
    const record = trail[index]!;
    if (record.step !== 'AwaitTrafficSync') continue;
    const parsed = observationSchema.safeParse((record.after as { target?: unknown } | undefined)?.target);
    if (!parsed.success) return undefined;
    const age = now.getTime() - Date.parse(parsed.data.at);
    return age >= 0 && age <= OBSERVATION_TRUSTED_MS ? parsed.data : undefined;
  }
  return undefined;
}

async function orNothing<T>(read: () => Promise<T>, nothing: T): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (isRetryable(error)) return nothing;
    throw error;
  }
}
