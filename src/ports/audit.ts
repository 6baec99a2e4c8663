/** What a step observed, changed and concluded: who/what/when/why, before and after. */
export interface AuditEntry {
  incidentId: string;
  step: string;
  actor: string;
  intent: string;
  outcome: 'Passed' | 'Refused' | 'ChangeRequested' | 'Converged' | 'AlreadyConverged' | 'InProgress' | 'Failed' | 'Notified' | 'Collapsed' | 'Suppressed' | 'LockAcquired' | 'LockReleased';
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

/** The audit trail: append-only; `record` never overwrites and never leaves a gap. */
export interface Audit {
  record(entry: AuditEntry): Promise<void>;
}

/** An audit trail that can be read back (and so verified). */
export interface AuditTrail extends Audit {
  read(incidentId: string): Promise<AuditRecord[]>;
}
