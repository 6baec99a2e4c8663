import { describe, expect, it } from '@jest/globals';
import { TABLES } from '../../src/adapters/aws/tables.js';
import { readServerlessYml } from '../support/serverless.js';

type TableResource = { Type: string; Properties: Record<string, any>; DeletionPolicy?: string };
const resources = (readServerlessYml() as unknown as { resources: { Resources: Record<string, TableResource> } }).resources.Resources;
const provider = (readServerlessYml() as unknown as { provider: { environment: Record<string, string> } }).provider;

describe.each([
  ['audit', 'AuditTable'],
  ['locks', 'LocksTable'],
  ['idempotency', 'IdempotencyTable'],
] as const)('the %s table in serverless.yml', (key, logicalId) => {
  const spec = TABLES[key];
  const table = resources[logicalId]!;

  it('has the key schema the code uses', () => {
    const keys = [spec.partitionKey, ...('sortKey' in spec ? [spec.sortKey] : [])];
    expect(table.Properties.KeySchema).toEqual(keys.map((k, i) => ({ AttributeName: k.name, KeyType: i === 0 ? 'HASH' : 'RANGE' })));
    expect(table.Properties.AttributeDefinitions).toEqual(keys.map((k) => ({ AttributeName: k.name, AttributeType: k.type })));
    if ('ttlAttribute' in spec) expect(table.Properties.TimeToLiveSpecification).toEqual({ AttributeName: spec.ttlAttribute, Enabled: true });
  });

  it('is on-demand, recoverable to a point in time, protected from deletion and retained', () => {
    expect(table.Properties).toMatchObject({ BillingMode: 'PAY_PER_REQUEST', DeletionProtectionEnabled: true, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } });
    expect(table.DeletionPolicy).toBe('Retain');
  });

  it('is named to the functions through the environment variable the code reads', () => {
    expect(provider.environment).toHaveProperty(spec.env);
  });
});
