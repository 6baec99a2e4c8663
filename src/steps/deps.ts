import type { Alarms } from '../ports/alarms.js';
import type { AuditEntry, AuditTrail } from '../ports/audit.js';
import type { Clock } from '../ports/clock.js';
import type { Eks } from '../ports/cluster.js';
import type { Dns, HealthChecks, TrafficGates } from '../ports/dns.js';
import type { Kubernetes } from '../ports/kubernetes.js';
import type { Locks } from '../ports/locks.js';
import type { Notifier } from '../ports/notifier.js';
import { actorOf, type FailoverRequest } from '../domain/failover-request.js';

/** Everything a step may touch, injected: steps never build clients or read the system clock. */
export interface StepDeps {
  clock: Clock;
  dns: Dns;
  healthChecks: HealthChecks;
  /** Health-check gates bound to the weighted records (the data-plane way to move traffic). */
  gates: TrafficGates;
  eks: Eks;
  kube: Kubernetes;
  alarms: Alarms;
  notifier: Notifier;
  audit: AuditTrail;
  locks: Locks;
}

/** Records one audit entry for a step of an incident, stamped with the injected clock. */
export async function audit(
  deps: Pick<StepDeps, 'audit' | 'clock'>,
  request: FailoverRequest,
  entry: Omit<AuditEntry, 'incidentId' | 'actor' | 'at'>,
): Promise<void> {
  await deps.audit.record({ incidentId: request.incidentId, actor: actorOf(request), at: deps.clock.now().toISOString(), ...entry });
}
