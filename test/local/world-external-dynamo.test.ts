import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { tableName } from '../../src/adapters/aws/tables.js';
import { startDynalite, type LocalDynamo } from '../../src/local/dynalite.js';
import { regionFleetConfig } from '../../src/local/evacuation-config.js';
import { simulateEvacuation } from '../../src/local/evacuate.js';
import { SimulatedWorld, ZERO_LATENCIES } from '../../src/local/world.js';

/*
 * A world on a DynamoDB-compatible server its caller runs (the benchmark's dynalite in a child
 * process): the runtime's tables live there, and the world leaves the server running when it closes.
 */

let outside: LocalDynamo;

beforeAll(async () => {
  outside = await startDynalite();
});

afterAll(async () => {
  await outside.close();
});

describe('a simulated world on an external DynamoDB endpoint', () => {
  it('keeps the runtime’s audit trail there and leaves the server running after it closes', async () => {
    // arrange
    const config = regionFleetConfig(2, { zones: 1 });

    // act
    const report = await simulateEvacuation({ config, region: 'eu-west-1', latencies: ZERO_LATENCIES, dynamoEndpoint: outside.endpoint });

    // assert: the evacuation ran, its calls are counted, and its records are on the external server, still answering
    expect(report.outcome).toBe('succeeded');
    expect(report.dynamoCalls).toBeGreaterThan(0);
    expect(report.cpuMs).toBeGreaterThan(0);
    const incidentId = report.summary!.apps[0]!.incidentId;
    const reader = new DynamoDBClient({ endpoint: outside.endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
    try {
      const records = await reader.send(new QueryCommand({ TableName: tableName('audit', {}), KeyConditionExpression: 'incidentId = :i', ExpressionAttributeValues: { ':i': { S: incidentId } }, ConsistentRead: true }));
      expect(records.Items?.length).toBeGreaterThan(3);
    } finally {
      reader.destroy();
    }
  }, 60_000);

  it('refuses options that need a dynalite of its own', async () => {
    // act / assert
    await expect(SimulatedWorld.create({ config: regionFleetConfig(1), dynamoEndpoint: outside.endpoint, dynamoTransport: 'in-process' })).rejects.toThrow(/external DynamoDB endpoint/);
    await expect(SimulatedWorld.create({ config: regionFleetConfig(1), dynamoEndpoint: outside.endpoint, dataDir: '/tmp/never-used' })).rejects.toThrow(/external DynamoDB endpoint/);
  });
});
