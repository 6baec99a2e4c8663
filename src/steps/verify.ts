import { NotConvergedError } from '../domain/errors.js';
import type { FailoverRequest } from '../domain/failover-request.js';
import { healthVerdict, type HealthVerdict } from '../domain/health.js';
import type { AlarmState } from '../ports/alarms.js';
import { audit, type StepDeps } from './deps.js';

export interface VerifyResult {
  alarms: Pick<AlarmState, 'name' | 'state'>[];
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
  const [states, observations] = await Promise.all([
    Promise.all([...byRegion].map(([region, names]) => deps.alarms.states(region, names))).then((lists) => lists.flat()),
    deps.healthChecks.observe(to.route53.healthCheckId),
  ]);
  const healthCheck = healthVerdict(observations);
  const alarms = states.map(({ name, state }) => ({ name, state }));
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
