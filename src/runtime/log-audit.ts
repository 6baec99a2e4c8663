import type { Logger } from '@aws-lambda-powertools/logger';
import type { Audit, AuditEntry } from '../ports/audit.js';

/**
 * The audit trail as structured log records (one JSON line per entry, searchable in CloudWatch
 * Logs Insights by incidentId). The append-only, hash-chained store is a later step; this keeps
 * the who/what/when/why and before/after of every step meanwhile.
 */
export class LogAudit implements Audit {
  constructor(private readonly logger: Logger) {}

  async record(entry: AuditEntry): Promise<void> {
    this.logger.info('audit', { audit: entry as never });
  }
}
