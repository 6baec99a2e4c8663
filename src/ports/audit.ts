/** What a step observed, changed and concluded: who/what/when/why, before and after. */
export interface AuditEntry {
  incidentId: string;
  step: string;
  actor: string;
  intent: string;
  outcome: 'Passed' | 'Refused' | 'ChangeRequested' | 'Converged' | 'AlreadyConverged' | 'InProgress' | 'Failed' | 'Notified' | 'Collapsed' | 'Suppressed' | 'Duplicate' | 'Ignored' | 'Sealed' | 'Compensated' | 'LockAcquired' | 'LockReleased';
  before?: unknown;
  change?: unknown;
  after?: unknown;
  error?: string;
  durationMs?: number;
  at: string;
}

/** An entry as stored: numbered from 1 per incident, chained by the SHA-256 of the previous record. */
export interface AuditRecord extends AuditEntry {
  seq: number;
  prevHash: string;
  hash: string;
}

/**
 * The audit trail: append-only; `record` never overwrites and never leaves a gap.
 * `acknowledge` keeps a receipt for one delivery of a trigger that an incident absorbed (duplicate,
 * collapsed, suppressed, ignored): receipts are separate items, written without contention however
 * many arrive at once, and sealed into the chain when the incident's workflow ends.
 */
export interface Audit {
  record(entry: AuditEntry): Promise<void>;
  acknowledge(entry: AuditEntry, deliveryId: string): Promise<void>;
}

/** An audit trail that can be read back (and so verified). */
export interface AuditTrail extends Audit {
  read(incidentId: string): Promise<AuditRecord[]>;
  readReceipts(incidentId: string): Promise<AuditRecord[]>;
}
