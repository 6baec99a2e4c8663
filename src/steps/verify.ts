import { NotConvergedError, isRetryable } from '../domain/errors.js';
import type { FailoverRequest } from '../domain/failover-request.js';
import { healthVerdict, type HealthVerdict } from '../domain/health.js';
import type { AlarmState } from '../ports/alarms.js';
import { audit, type StepDeps } from './deps.js';

export interface VerifyResult {
  alarms: { name: string; state: AlarmState['state'] | 'UNAVAILABLE' }[];
  healthCheck: HealthVerdict;
}

/**
 * Proves the target took the traffic: none of its alarms is in ALARM and its health check is
 * healthy. Throws NotConvergedError otherwise; the workflow retries for a bounded grace period and
 * then fails the execution.
 */
export async function verify(deps: StepDeps, request: FailoverRequest): Promise<VerifyResult> {
  const { to } = request;
  const byRegion = new Map<string, string[]>();
  for (const alarm of to.alarms) {
    const region = alarm.region ?? to.name;
    byRegion.set(region, [...(byRegion.get(region) ?? []), alarm.name]);
  }
  const [lists, observations] = await Promise.all([
    Promise.all([...byRegion].map(([region, names]) => alarmStates(deps, request, region, names))),
    deps.healthChecks.observe(to.route53.healthCheckId),
  ]);
  const healthCheck = healthVerdict(observations);
  const alarms = lists.flat();
  const firing = alarms.filter((alarm) => alarm.state === 'ALARM').map((alarm) => alarm.name);
  const missing = to.alarms.map((a) => a.name).filter((name) => !alarms.some((a) => a.name === name));
  const problems = [
    ...(firing.length ? [`alarms in ALARM: ${firing.join(', ')}`] : []),
    ...(missing.length ? [`alarms not found: ${missing.join(', ')}`] : []),
    ...(healthCheck.healthy ? [] : [`health check ${to.route53.healthCheckId} unhealthy (${healthCheck.healthyCheckers}/${healthCheck.totalCheckers})`]),
  ];
  if (problems.length > 0) throw new NotConvergedError(`${to.name} not verified yet: ${problems.join('; ')}`);
  await audit(deps, request, { step: 'Verify', intent: `${to.name} serves ${request.app}`, outcome: 'Passed', after: { alarms, healthCheck } });
  return { alarms, healthCheck };
}

/**
 * The target's alarms in one region. Route 53 health-check alarms live in us-east-1, which may be
 * the very region that is failing: there an unreachable CloudWatch is recorded as UNAVAILABLE
 * instead of blocking the failover, since the health check's own status (read from Route 53,
 * which is global) already speaks for the target.
 */
async function alarmStates(deps: StepDeps, request: FailoverRequest, region: string, names: string[]): Promise<VerifyResult['alarms']> {
  try {
    return (await deps.alarms.states(region, names)).map(({ name, state }) => ({ name, state }));
  } catch (error) {
    if (region === request.from.name && isRetryable(error)) return names.map((name) => ({ name, state: 'UNAVAILABLE' as const }));
    throw error;
  }
}
