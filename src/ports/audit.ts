/** What a step observed, changed and concluded: who/what/when/why, before and after. */
export interface AuditEntry {
  incidentId: string;
  step: string;
  actor: string;
  intent: string;
  outcome: 'Passed' | 'Refused' | 'ChangeRequested' | 'Converged' | 'AlreadyConverged' | 'InProgress' | 'Failed' | 'Notified';
  before?: unknown;
  change?: unknown;
  after?: unknown;
  error?: string;
  at: string;
}

/** The audit trail. This implementation logs; an append-only, chained store replaces it. */
export interface Audit {
  record(entry: AuditEntry): Promise<void>;
}
