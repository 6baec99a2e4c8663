import { ConfigError, InvariantViolatedError, NotConvergedError } from '../domain/errors.js';
import type { FailoverRequest } from '../domain/failover-request.js';
import { healthVerdict } from '../domain/health.js';
import type { TrafficGate } from '../ports/dns.js';
import { audit, type StepDeps } from './deps.js';
import type { ShiftResult } from './shift-traffic.js';

/** Why traffic goes through the data plane: the app's strategy, or the record API kept failing. */
export type DataPlaneReason = { kind: 'strategy' } | { kind: 'fallback'; error: string; cause?: string };

export interface DataPlaneShiftResult extends ShiftResult {
  via: 'health-checks';
  /** Gate open (true) or closed, by set identifier. */
  gates: { wanted: Record<string, boolean>; after: Record<string, boolean> };
}

const STEP = 'ShiftTrafficDataPlane';

/**
 * Moves traffic without ChangeResourceRecordSets (docs/data-plane.md): every weighted record of the
 * app is bound to a gate, a CALCULATED health check over the region's endpoint check; the target's
 * gate opens (healthy while its endpoint is) and every other one closes (always unhealthy), so
 * Route 53's DNS answers follow health, whatever the weights say. The target opens first: with
 * every record unhealthy at once, Route 53 would answer as if all were healthy (the failing one too).
 * Calls: one ListResourceRecordSets, one GetHealthCheckStatus, one UpdateHealthCheck per record.
 */
export async function shiftTrafficDataPlane(deps: StepDeps, request: FailoverRequest, reason: DataPlaneReason): Promise<DataPlaneShiftResult> {
  const { from, to } = request;
  const { hostedZoneId, recordName, recordType } = to.route53;
  const why = reason.kind === 'strategy' ? 'route53.strategy is health-checks' : `ChangeResourceRecordSets kept failing (${reason.error}${reason.cause ? `: ${reason.cause}` : ''})`;
  const intent = `shift ${recordName} ${recordType} from ${from.name} to ${to.name} through the data plane (health-check gates): ${why}`;
  const refuse = async (message: string, error: Error): Promise<never> => {
    await audit(deps, request, { step: STEP, intent, outcome: 'Refused', error: message });
    throw error;
  };
  if (!to.route53.gateHealthCheckId) {
    const message = `${request.app} has no gateHealthCheckId for ${to.name}: no data-plane way to move traffic, traffic not moved`;
    return refuse(message, new ConfigError([{ path: `regions[${to.name}].route53.gateHealthCheckId`, message: 'required to move traffic through the data plane' }], message));
  }
  const records = await deps.dns.readWeightedRecords(hostedZoneId, recordName, recordType);
  const unbound = records.filter((record) => !record.healthCheckId);
  const target = records.find((record) => record.setIdentifier === to.route53.setIdentifier);
  if (unbound.length > 0 || target?.healthCheckId !== to.route53.gateHealthCheckId) {
    const message = unbound.length > 0
      ? `records ${unbound.map((r) => r.setIdentifier).join(', ')} are bound to no health check, so no gate can take them out of DNS answers: traffic not moved`
      : `record ${to.route53.setIdentifier} is bound to ${target?.healthCheckId ?? 'nothing'}, not to its gate ${to.route53.gateHealthCheckId}: traffic not moved`;
    return refuse(message, new ConfigError([{ path: 'route53', message }], 'traffic gates'));
  }
  const weights = Object.fromEntries(records.map((record) => [record.setIdentifier, record.weight]));
  const wanted = Object.fromEntries(records.map((record) => [record.setIdentifier, record.setIdentifier === to.route53.setIdentifier]));
  const result = (after: Record<string, boolean>): DataPlaneShiftResult => ({ changeId: null, before: weights, after: weights, via: 'health-checks', gates: { wanted, after } });
  // A retry after the gates were set (the result was lost): the trail has it, nothing is called again.
  const earlier = (await deps.audit.read(request.incidentId)).find((r) => r.step === STEP && r.outcome === 'ChangeRequested');
  if (earlier) {
    await audit(deps, request, { step: STEP, intent, outcome: 'AlreadyConverged', after: earlier.after });
    return result(wanted);
  }
  // Checked right before traffic moves, as ShiftTraffic does: an open gate over a failing endpoint carries nothing.
  const health = healthVerdict(await deps.healthChecks.observe(to.route53.healthCheckId));
  if (!health.healthy) {
    const message = `target health check ${to.route53.healthCheckId} is failing (${health.healthyCheckers}/${health.totalCheckers} checkers healthy): traffic not moved`;
    return refuse(message, new InvariantViolatedError(message));
  }
  // One UpdateHealthCheck per gate and no reads (Route 53 takes five requests a second per account),
  // the target's first: never a moment with every record unhealthy.
  const order = [...records].sort((a, b) => Number(wanted[b.setIdentifier]) - Number(wanted[a.setIdentifier]));
  const gates: Record<string, TrafficGate> = {};
  for (const record of order) gates[record.setIdentifier] = await deps.gates.setGate(record.healthCheckId!, wanted[record.setIdentifier]!);
  const after = Object.fromEntries(Object.entries(gates).map(([setIdentifier, gate]) => [setIdentifier, gate.open]));
  if (Object.entries(wanted).some(([setIdentifier, open]) => after[setIdentifier] !== open)) throw new NotConvergedError(`gates of ${recordName} not yet as planned`);
  await audit(deps, request, {
    step: STEP,
    intent,
    outcome: 'ChangeRequested',
    before: { weights },
    change: { via: 'health-checks', reason: why, gates: Object.fromEntries(order.map((record) => [record.setIdentifier, { healthCheckId: record.healthCheckId, open: wanted[record.setIdentifier] }])) },
    after: { gates: after, weights },
  });
  return result(after);
}

