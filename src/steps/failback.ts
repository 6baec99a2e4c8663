import type { AppConfig, LifeboatConfig } from '../domain/config.js';
import { InputValidationError, InvariantViolatedError, LockHeldError, NotConvergedError, isRetryable } from '../domain/errors.js';
import { buildFailbackMessage, failbackWeights, stepPercent, type FailbackEvent, type FailbackRequest } from '../domain/failback.js';
import type { FailoverRequest } from '../domain/failover-request.js';
import { healthVerdict, type HealthVerdict } from '../domain/health.js';
import { nodegroupToken } from '../domain/names.js';
import { refuseAllZero } from '../domain/weights.js';
import type { AuditRecord } from '../ports/audit.js';
import { audit, type StepDeps } from './deps.js';

/*
 * The failback workflow's steps (statemachines/failback.asl.json). Like the failover's, each is a
 * convergence that records what it saw and did in the incident's audit trail, and waits by throwing
 * NotConvergedError. Step names differ from the failover's (FailbackShift, not ShiftTraffic) so a
 * drill's single trail keeps the two apart.
 */

/** `audit` for a failback request (same record shape; the actor comes from its trigger). */
function record(deps: StepDeps, request: FailbackRequest, entry: Parameters<typeof audit>[2]): Promise<void> {
  return audit(deps, request as unknown as FailoverRequest, entry);
}

export interface FailbackAsk {
  app: string;
  /** The region traffic returns to; the configuration's first (the normal primary) by default. */
  to?: string;
  actor: string;
  reason: string;
  /** Shares this incident's trail (a drill); the execution's own name otherwise. */
  incidentId?: string;
  executionName: string;
  mode?: 'failback' | 'drill';
  promotedIn?: string;
}

/**
 * Resolves a failback from the configuration and the live weights: back to `to` (the primary by
 * default) from whichever other region carries the most weight now.
 */
export async function planFailback(deps: StepDeps & { config: LifeboatConfig }, ask: FailbackAsk): Promise<FailbackRequest> {
  const app: AppConfig | undefined = deps.config.apps.find((candidate) => candidate.name === ask.app);
  if (!app) throw new InputValidationError([{ path: 'app', message: `unknown app ${JSON.stringify(ask.app)} (known: ${deps.config.apps.map((a) => a.name).join(', ')})` }], 'failback request');
  const to = ask.to === undefined ? app.regions[0]! : app.regions.find((r) => r.name === ask.to);
  if (!to) throw new InputValidationError([{ path: 'to', message: `${JSON.stringify(ask.to)} is not a region of ${app.name} (${app.regions.map((r) => r.name).join(', ')})` }], 'failback request');
  const { hostedZoneId, recordName, recordType } = to.route53;
  const weights = new Map((await deps.dns.readWeightedRecords(hostedZoneId, recordName, recordType)).map((r) => [r.setIdentifier, r.weight]));
  const others = app.regions.filter((r) => r.name !== to.name);
  const from = [...others].sort((a, b) => (weights.get(b.route53.setIdentifier) ?? 0) - (weights.get(a.route53.setIdentifier) ?? 0))[0]!;
  return {
    incidentId: ask.incidentId ?? ask.executionName,
    executionName: ask.executionName,
    mode: ask.mode ?? 'failback',
    app: app.name,
    trigger: { kind: 'manual', actor: ask.actor, reason: ask.reason },
    requestedAt: deps.clock.now().toISOString(),
    from,
    to,
    policy: app.policy,
    slack: app.slack,
    failback: app.failback,
    ...(ask.promotedIn ? { promotedIn: ask.promotedIn } : {}),
    progress: { index: 0, done: false },
  };
}

/** The app's lock, the same one failovers take: a failover and a failback of one app never run at once. */
export async function acquireFailbackLock(deps: StepDeps, request: FailbackRequest): Promise<{ acquired: true }> {
  const result = await deps.locks.acquire(request.app, { incidentId: request.incidentId, executionName: request.executionName }, request.policy.lockLeaseMinutes * 60, deps.clock.now());
  const intent = `take the lock of ${request.app} to fail back to ${request.to.name}`;
  if (!result.acquired) {
    await record(deps, request, { step: 'FailbackLock', intent, outcome: 'Refused', after: result.heldBy, error: `held by incident ${result.heldBy.incidentId}: nothing was moved` });
    throw new LockHeldError(`${request.app} is locked by incident ${result.heldBy.incidentId} (lease until ${result.heldBy.leaseExpiresAt}): failback refused`);
  }
  await record(deps, request, { step: 'FailbackLock', intent, outcome: 'LockAcquired', change: { failback: { from: request.from.name, to: request.to.name, steps: request.failback.steps, healthyForMinutes: request.failback.healthyForMinutes } }, after: result.lock });
  return { acquired: true };
}

/** The last health record of a region in this trail: its open healthy streak's start, if any. */
function healthyStreakStart(trail: readonly AuditRecord[], region: string): string | undefined {
  const last = trail.filter((r) => r.step === 'PrimaryHealth' && (r.after as { region?: string } | undefined)?.region === region).at(-1);
  const after = last?.after as { healthy?: boolean; healthySince?: string } | undefined;
  return after?.healthy ? after.healthySince : undefined;
}

/**
 * Observes the primary's Route 53 health check and keeps its healthy streak in the audit trail: a
 * record when a streak starts (healthy since now) and when one breaks. How long it has been healthy
 * is measured from the first healthy observation of the current streak, by this incident: the
 * drill's hold observes it too, so a drill's failback does not start counting from zero.
 */
export async function observePrimaryHealth(deps: StepDeps, request: FailbackRequest | FailoverRequest, region: { name: string; route53: { healthCheckId: string } }): Promise<{ healthy: boolean; healthySince?: string; verdict: HealthVerdict }> {
  const verdict = healthVerdict(await deps.healthChecks.observe(region.route53.healthCheckId));
  const trail = await deps.audit.read(request.incidentId);
  const since = healthyStreakStart(trail, region.name);
  const intent = `${region.name}'s health check ${region.route53.healthCheckId} stays healthy`;
  if (verdict.healthy && !since) {
    const healthySince = deps.clock.now().toISOString();
    await audit(deps, request as FailoverRequest, { step: 'PrimaryHealth', intent, outcome: 'InProgress', after: { region: region.name, healthySince, ...verdict, healthy: true } });
    return { healthy: true, healthySince, verdict };
  }
  if (!verdict.healthy && since) {
    await audit(deps, request as FailoverRequest, { step: 'PrimaryHealth', intent, outcome: 'InProgress', after: { region: region.name, ...verdict, healthy: false }, error: `unhealthy again (${verdict.healthyCheckers}/${verdict.totalCheckers} checkers): the streak since ${since} is broken` });
  }
  return verdict.healthy ? { healthy: true, healthySince: since!, verdict } : { healthy: false, verdict };
}

/** Waits (NotConvergedError) until the primary has been healthy for `failback.healthyForMinutes` without a break. */
export async function awaitPrimaryHealthy(deps: StepDeps, request: FailbackRequest): Promise<{ healthySince: string }> {
  const health = await observePrimaryHealth(deps, request, request.to);
  if (!health.healthy) throw new NotConvergedError(`${request.to.name} is not healthy (${health.verdict.healthyCheckers}/${health.verdict.totalCheckers} checkers)`);
  const healthyMs = deps.clock.now().getTime() - Date.parse(health.healthySince!);
  const wantedMs = request.failback.healthyForMinutes * 60_000;
  if (healthyMs < wantedMs) throw new NotConvergedError(`${request.to.name} healthy for ${Math.floor(healthyMs / 1000)} s of the ${wantedMs / 1000} s required`);
  await record(deps, request, { step: 'PrimaryHealth', intent: `${request.to.name} healthy for ${request.failback.healthyForMinutes} min`, outcome: 'Passed', after: { region: request.to.name, healthy: true, healthySince: health.healthySince } });
  return { healthySince: health.healthySince! };
}

export interface FailbackShift {
  percent: number;
  changeId: string | null;
  before: Record<string, number>;
  after: Record<string, number>;
}

/** One step of the weights: the primary to its share of the active weight, the standby the rest, in one change batch. */
export async function shiftFailbackStep(deps: StepDeps, request: FailbackRequest): Promise<FailbackShift> {
  const { from, to, policy } = request;
  const percent = stepPercent(request, request.progress.index);
  const { hostedZoneId, recordName, recordType } = to.route53;
  const records = await deps.dns.readWeightedRecords(hostedZoneId, recordName, recordType);
  const plan = failbackWeights(records, to.route53.setIdentifier, from.route53.setIdentifier, policy.activeWeight, percent, policy.allowAllWeightsZero);
  const intent = `fail ${recordName} back to ${to.name}: ${percent}% of the active weight`;
  if (plan.changes.length === 0) {
    const trail = await deps.audit.read(request.incidentId);
    const made = trail.filter((r) => r.step === 'FailbackShift' && r.intent === intent && r.outcome === 'ChangeRequested').at(-1);
    const changeId = ((made?.change as { changeId?: string } | undefined)?.changeId as string | undefined) ?? null;
    await record(deps, request, { step: 'FailbackShift', intent, outcome: 'AlreadyConverged', before: plan.before, after: plan.after, ...(changeId ? { change: { changeId } } : {}) });
    return { percent, changeId, before: plan.before, after: plan.after };
  }
  const primary = healthVerdict(await deps.healthChecks.observe(to.route53.healthCheckId));
  if (!primary.healthy) {
    const reason = `${to.name}'s health check is failing (${primary.healthyCheckers}/${primary.totalCheckers}): weights not changed`;
    await record(deps, request, { step: 'FailbackShift', intent, outcome: 'Refused', before: plan.before, error: reason });
    throw new InvariantViolatedError(reason);
  }
  const { changeId } = await deps.dns.upsertRecords(hostedZoneId, plan.changes, `lifeboat ${request.incidentId}: failback ${from.name} -> ${to.name} ${percent}%`);
  await record(deps, request, { step: 'FailbackShift', intent, outcome: 'ChangeRequested', before: plan.before, change: { changeId, weights: plan.after, percent }, after: plan.after });
  return { percent, changeId, before: plan.before, after: plan.after };
}

/** Waits until the step's change is INSYNC. */
export async function awaitFailbackSync(deps: StepDeps, request: FailbackRequest, changeId: string | null): Promise<{ changeId: string | null; status: 'INSYNC' }> {
  if (changeId === null) return { changeId, status: 'INSYNC' };
  const status = await deps.dns.changeStatus(changeId);
  if (status !== 'INSYNC') throw new NotConvergedError(`Route 53 change ${changeId} is ${status}`);
  await record(deps, request, { step: 'FailbackSync', intent: `change ${changeId} propagated`, outcome: 'Converged', after: { changeId, status } });
  return { changeId, status };
}

/** Alarms of a region (grouped by where they live) and its health check: what "it serves" means, as in Verify. */
export async function regionProblems(deps: StepDeps, region: FailoverRequest['to']): Promise<{ problems: string[]; alarms: { name: string; state: string }[]; healthCheck: HealthVerdict }> {
  const byRegion = new Map<string, string[]>();
  for (const alarm of region.alarms) byRegion.set(alarm.region ?? region.name, [...(byRegion.get(alarm.region ?? region.name) ?? []), alarm.name]);
  const [lists, observations] = await Promise.all([
    Promise.all([...byRegion].map(async ([where, names]) => (await deps.alarms.states(where, names)).map(({ name, state }) => ({ name, state: state as string })))),
    deps.healthChecks.observe(region.route53.healthCheckId),
  ]);
  const alarms = lists.flat();
  const healthCheck = healthVerdict(observations);
  const firing = alarms.filter((a) => a.state === 'ALARM').map((a) => a.name);
  const problems = [...(firing.length ? [`alarms in ALARM: ${firing.join(', ')}`] : []), ...(healthCheck.healthy ? [] : [`health check ${region.route53.healthCheckId} unhealthy (${healthCheck.healthyCheckers}/${healthCheck.totalCheckers})`])];
  return { problems, alarms, healthCheck };
}

/** After a step: the primary's alarms are not in ALARM and its health check is healthy (within the workflow's grace period). */
export async function verifyFailbackStep(deps: StepDeps, request: FailbackRequest): Promise<FailbackRequest['progress']> {
  const percent = stepPercent(request, request.progress.index);
  const { problems, alarms, healthCheck } = await regionProblems(deps, request.to);
  if (problems.length > 0) throw new NotConvergedError(`${request.to.name} not verified at ${percent}%: ${problems.join('; ')}`);
  const { to } = request;
  const weights = Object.fromEntries((await deps.dns.readWeightedRecords(to.route53.hostedZoneId, to.route53.recordName, to.route53.recordType)).map((r) => [r.setIdentifier, r.weight]));
  await record(deps, request, { step: 'FailbackVerify', intent: `${to.name} serves ${request.app} at ${percent}%`, outcome: 'Passed', after: { percent, weights, alarms, healthCheck } });
  const index = request.progress.index + 1;
  return { index, done: index >= request.failback.steps.length };
}

/**
 * A step failed (or the target degraded): back to the last good weights, those the last verified
 * step left, or those from before the failback's first change. Nothing changed yet: nothing to undo.
 */
export async function rollbackFailback(deps: StepDeps, request: FailbackRequest): Promise<{ rolledBack: boolean; weights: Record<string, number> | null }> {
  const trail = await deps.audit.read(request.incidentId);
  const verified = trail.filter((r) => r.step === 'FailbackVerify' && r.outcome === 'Passed').at(-1);
  const firstChange = trail.find((r) => r.step === 'FailbackShift' && r.outcome === 'ChangeRequested');
  if (!firstChange) return { rolledBack: false, weights: null };
  const lastGood = ((verified?.after as { weights?: Record<string, number> } | undefined)?.weights ?? firstChange.before) as Record<string, number>;
  const { to } = request;
  const current = await deps.dns.readWeightedRecords(to.route53.hostedZoneId, to.route53.recordName, to.route53.recordType);
  const before = Object.fromEntries(current.map((r) => [r.setIdentifier, r.weight]));
  const intent = `return ${to.route53.recordName} to the last good weights`;
  refuseAllZero({ ...before, ...lastGood }, to.route53.recordName, request.policy.allowAllWeightsZero);
  const changes = current.filter((r) => r.setIdentifier in lastGood && r.weight !== lastGood[r.setIdentifier]).map((r) => ({ ...r, weight: lastGood[r.setIdentifier]! }));
  if (changes.length === 0) {
    if (!trail.some((r) => r.step === 'FailbackRollback')) await record(deps, request, { step: 'FailbackRollback', intent, outcome: 'Compensated', before, after: lastGood });
    return { rolledBack: true, weights: lastGood };
  }
  const { changeId } = await deps.dns.upsertRecords(to.route53.hostedZoneId, changes, `lifeboat ${request.incidentId}: failback rolled back to the last good weights`);
  await record(deps, request, { step: 'FailbackRollback', intent, outcome: 'Compensated', before, change: { changeId, weights: lastGood }, after: lastGood });
  return { rolledBack: true, weights: lastGood };
}

/**
 * With `failback.scaleDownStandby`: the standby's Deployments and node groups back to the sizes
 * they had before they were promoted, as PromoteNodegroups and ScaleDeployments recorded them in the
 * promoting incident's trail (`promotedIn`). Without that record nothing is guessed: left as is, said so.
 */
export async function scaleDownStandby(deps: StepDeps, request: FailbackRequest): Promise<{ scaledDown: boolean; reason?: string }> {
  if (!request.failback.scaleDownStandby) return { scaledDown: false, reason: 'failback.scaleDownStandby is false' };
  const { from } = request;
  const intent = `scale ${from.eks.cluster} back to standby size`;
  const promoted = request.promotedIn ? await deps.audit.read(request.promotedIn) : [];
  const sizes = (step: string, name: string) => promoted.find((r) => r.step === step && r.outcome === 'ChangeRequested' && r.intent === `scale ${name}`)?.before as Record<string, number> | undefined;
  const trail = await deps.audit.read(request.incidentId);
  const target = { region: from.name, cluster: from.eks.cluster };
  const pending: string[] = [];
  const done: Record<string, unknown> = {};
  for (const wanted of from.eks.deployments) {
    const before = sizes('ScaleDeployments', `${wanted.namespace}/${wanted.name}`);
    if (!before || typeof before.replicas !== 'number') continue;
    const current = await deps.kube.readDeployment(target, wanted.namespace, wanted.name);
    if (current.specReplicas !== before.replicas) await deps.kube.scaleDeployment(target, wanted.namespace, wanted.name, before.replicas, current.resourceVersion);
    done[`${wanted.namespace}/${wanted.name}`] = { replicas: before.replicas };
  }
  for (const group of from.eks.nodegroups) {
    const before = sizes('PromoteNodegroups', `node group ${group.name}`);
    if (!before) continue;
    const scaling = { minSize: before.minSize!, desiredSize: before.desiredSize!, maxSize: before.maxSize! };
    const current = await deps.eks.describeNodegroup(from.name, from.eks.cluster, group.name);
    done[group.name] = scaling;
    if (current.status === 'ACTIVE' && current.scaling.minSize === scaling.minSize && current.scaling.desiredSize === scaling.desiredSize && current.scaling.maxSize === scaling.maxSize) continue;
    const update = await deps.eks.updateNodegroupScaling(from.name, from.eks.cluster, group.name, scaling, nodegroupToken(`${request.incidentId}-standby`, from.eks.cluster, group.name, scaling));
    pending.push(`${group.name} (update ${update.id} ${update.status})`);
  }
  if (Object.keys(done).length === 0) {
    if (!trail.some((r) => r.step === 'ScaleDownStandby')) await record(deps, request, { step: 'ScaleDownStandby', intent, outcome: 'AlreadyConverged', error: `no record of ${from.name}'s sizes before promotion${request.promotedIn ? ` in ${request.promotedIn}` : ''}: left as is` });
    return { scaledDown: false, reason: 'no recorded standby sizes' };
  }
  if (!trail.some((r) => r.step === 'ScaleDownStandby' && r.outcome === 'ChangeRequested')) await record(deps, request, { step: 'ScaleDownStandby', intent, outcome: 'ChangeRequested', change: done });
  if (pending.length > 0) throw new NotConvergedError(`waiting for node groups: ${pending.join(', ')}`);
  await record(deps, request, { step: 'ScaleDownStandby', intent, outcome: 'Converged', after: done });
  return { scaledDown: true };
}

/** Releases the app's lock; after a completed failback the primary is the app's active region again. */
export async function releaseFailbackLock(deps: StepDeps, request: FailbackRequest, outcome: 'succeeded' | 'failed'): Promise<{ released: true }> {
  if (outcome === 'succeeded') await deps.locks.setActiveRegion(request.app, request.to.name, request.incidentId, deps.clock.now());
  await deps.locks.release(request.app, request.incidentId);
  await record(deps, request, { step: 'FailbackRelease', intent: `release the lock of ${request.app} after failback (${outcome})`, outcome: 'LockReleased' });
  return { released: true };
}

/** Tells the app's channel; once per incident and event. A failed post is retried by the workflow, then skipped. */
export async function notifyFailback(deps: StepDeps, request: FailbackRequest, event: FailbackEvent, detail: string): Promise<{ delivered: boolean }> {
  const intent = `tell ${request.slack.channel} the failback ${event}`;
  detail = plainCause(detail);
  const trail = await deps.audit.read(request.incidentId);
  if (trail.some((r) => r.step === 'FailbackNotify' && r.intent === intent && r.outcome === 'Notified')) return { delivered: true };
  try {
    await deps.notifier.post(request.slack.webhook, buildFailbackMessage(request, event, detail));
  } catch (error) {
    await record(deps, request, { step: 'FailbackNotify', intent, outcome: 'Failed', error: (error as Error).message });
    if (isRetryable(error)) throw error;
    return { delivered: false };
  }
  await record(deps, request, { step: 'FailbackNotify', intent, outcome: 'Notified', change: { detail } });
  return { delivered: true };
}

/** A Lambda error's Cause is JSON (`errorType`, `errorMessage`): keep the message, at most 1,000 characters. */
function plainCause(detail: string): string {
  let text = detail;
  try {
    const parsed = JSON.parse(detail) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') text = parsed.errorMessage;
  } catch {
    // not JSON: the detail is the message itself
  }
  return text.length > 1000 ? `${text.slice(0, 999)}…` : text;
}
