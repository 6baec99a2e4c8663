/*
 * The DynamoDB tables Lifeboat uses: their key schemas, shared by the embedded runtime (which
 * creates them in dynalite) and checked against serverless.yml (which creates them on AWS) by a test.
 * Table names come from the environment (`LIFEBOAT_*_TABLE`), set by serverless.yml.
 */

export interface TableSpec {
  /** Environment variable holding the table's name. */
  env: string;
  /** Name used when the environment does not set one (the embedded runtime). */
  localName: string;
  partitionKey: { name: string; type: 'S' | 'N' };
  sortKey?: { name: string; type: 'S' | 'N' };
  /** Attribute DynamoDB's TTL deletes items by (epoch seconds), if any. */
  ttlAttribute?: string;
}

export const TABLES = {
  /** Append-only audit records: one partition per incident, numbered from 1. */
  audit: { env: 'LIFEBOAT_AUDIT_TABLE', localName: 'lifeboat-local-audit', partitionKey: { name: 'incidentId', type: 'S' }, sortKey: { name: 'seq', type: 'N' } },
  /** Per-app locks, cooldowns and their markers. */
  locks: { env: 'LIFEBOAT_LOCKS_TABLE', localName: 'lifeboat-local-locks', partitionKey: { name: 'pk', type: 'S' }, ttlAttribute: 'expiresAt' },
  /** Powertools idempotency records (its default schema: `id`, TTL on `expiration`). */
  idempotency: { env: 'LIFEBOAT_IDEMPOTENCY_TABLE', localName: 'lifeboat-local-idempotency', partitionKey: { name: 'id', type: 'S' }, ttlAttribute: 'expiration' },
} as const satisfies Record<string, TableSpec>;

export type TableKey = keyof typeof TABLES;

export function tableName(key: TableKey, env: Readonly<Record<string, string | undefined>> = process.env): string {
  return env[TABLES[key].env] || TABLES[key].localName;
}
