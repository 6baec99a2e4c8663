import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbAuditTrail } from '../../src/adapters/aws/dynamodb-audit.js';
import { tableName } from '../../src/adapters/aws/tables.js';
import { IncidentIndex } from '../../src/cli/incident-index.js';
import { createTables, startDynalite, type LocalDynamo } from '../../src/local/dynalite.js';
import type { AuditEntry } from '../../src/ports/audit.js';

const TABLE = tableName('audit', {});

let dynamo: LocalDynamo;
let client: DynamoDBClient;

beforeAll(async () => {
  dynamo = await startDynalite();
  await createTables(dynamo.endpoint);
  client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, cacheMiddleware: true });
});

afterAll(async () => {
  client.destroy();
  await dynamo.close();
});

function first(incidentId: string, at: string, overrides: Partial<AuditEntry>): AuditEntry {
  return { incidentId, step: 'AcquireLock', actor: 'operator:alice', intent: 'take the failover lock of payments', outcome: 'LockAcquired', at, ...overrides };
}

describe('IncidentIndex', () => {
  it('finds each incident’s app from its first record, newest first, the request read from the stored JSON', async () => {
    // arrange: the second incident's intent names no app; only its recorded request does
    const audit = new DynamoDbAuditTrail({ client, tableName: TABLE });
    await audit.append(first('inc-old', '2026-03-01T10:00:00.000Z', {}));
    await audit.append(first('inc-old', '2026-03-01T10:00:01.000Z', { step: 'Verify', intent: 'us-west-2 serves payments', outcome: 'Converged' }));
    await audit.append(first('inc-new', '2026-03-02T10:00:00.000Z', { intent: 'take the failover lock', change: { request: { app: 'catalog', from: 'us-east-1', to: 'us-west-2' } } }));
    const index = new IncidentIndex(client, TABLE);
    // act
    const all = await index.all();
    // assert
    expect(all).toEqual([
      { incidentId: 'inc-new', app: 'catalog', at: '2026-03-02T10:00:00.000Z' },
      { incidentId: 'inc-old', app: 'payments', at: '2026-03-01T10:00:00.000Z' },
    ]);
    expect(await index.latest('catalog')).toMatchObject({ incidentId: 'inc-new' });
    expect(await index.latest('billing')).toBeUndefined();
  });
});
