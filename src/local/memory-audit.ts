import type { Audit, AuditEntry } from '../ports/audit.js';

/** The audit trail of the embedded runtime, kept in memory for the run's report and for tests. */
export class MemoryAudit implements Audit {
  readonly entries: AuditEntry[] = [];

  async record(entry: AuditEntry): Promise<void> {
    this.entries.push(structuredClone(entry));
  }
}
