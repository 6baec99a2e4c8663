import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';
import { TABLES } from '../../src/adapters/aws/tables.js';
import { readServerlessYml } from '../support/serverless.js';

type TableResource = { Type: string; Properties: Record<string, any>; Condition?: string; DeletionPolicy?: string };
type ResourcesPart = string | { Resources?: Record<string, TableResource> };
const parts = (readServerlessYml() as unknown as { resources: ResourcesPart[] }).resources;
const resources = parts.flatMap((part) => (typeof part === 'object' && part.Resources ? [part.Resources] : []))[0]!;
const provider = (readServerlessYml() as unknown as { provider: { environment: Record<string, string> } }).provider;
const { replicas } = createRequire(import.meta.url)('../../serverless/tables.cjs') as { replicas: (context: object) => Promise<unknown[]> };

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

  it('is a global table, on-demand, created by the home region stack and retained', () => {
    expect(table).toMatchObject({ Type: 'AWS::DynamoDB::GlobalTable', Condition: 'IsHomeRegion', DeletionPolicy: 'Retain' });
    expect(table.Properties).toMatchObject({ BillingMode: 'PAY_PER_REQUEST' });
    expect(table.Properties.Replicas).toBe('${file(./serverless/tables.cjs):replicas}');
  });

  it('is named to the functions through the environment variable the code reads', () => {
    expect(provider.environment).toHaveProperty(spec.env);
  });
});

describe('the global tables\' replicas', () => {
  it('are recoverable to a point in time and protected from deletion in every region, the home region first', async () => {
    const list = (await replicas({ options: { region: 'eu-west-1', stage: 'test' } })) as { Region: string }[];
    expect(list[0]!.Region).toBe('us-east-1');
    expect(list.map((r) => r.Region)).toEqual(expect.arrayContaining(['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1']));
    for (const replica of list) expect(replica).toMatchObject({ DeletionProtectionEnabled: true, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } });
  });
});
