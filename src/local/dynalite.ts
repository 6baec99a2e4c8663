import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DeleteItemCommand, DescribeTableCommand, DynamoDBClient, ResourceInUseException, ScanCommand, type AttributeValue, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { TABLES, type TableKey, type TableSpec } from '../adapters/aws/tables.js';

/** A DynamoDB-compatible server (dynalite) on loopback, in memory or persisted in `path`. */
export interface LocalDynamo {
  endpoint: string;
  close(): Promise<void>;
}

export async function startDynalite(options: { path?: string } = {}): Promise<LocalDynamo> {
  if (options.path) mkdirSync(options.path, { recursive: true });
  // Table creation is instant here: dynalite's default 500 ms CREATING phase only slows tests down.
  const server = dynalite({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }) as Server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function createTableInput(spec: TableSpec): CreateTableCommandInput {
  const keys = [spec.partitionKey, ...(spec.sortKey ? [spec.sortKey] : [])];
  return {
    TableName: spec.localName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: keys.map((key) => ({ AttributeName: key.name, AttributeType: key.type })),
    KeySchema: [
      { AttributeName: spec.partitionKey.name, KeyType: 'HASH' },
      ...(spec.sortKey ? [{ AttributeName: spec.sortKey.name, KeyType: 'RANGE' as const }] : []),
    ],
  };
}

function localClient(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
}

/** Empties the given tables item by item (dropping and re-creating would race dynalite's table lifecycle). */
export async function clearTables(endpoint: string, keys: readonly TableKey[]): Promise<void> {
  const client = localClient(endpoint);
  try {
    for (const key of keys) {
      const spec: TableSpec = TABLES[key];
      const keyNames = [spec.partitionKey.name, ...(spec.sortKey ? [spec.sortKey.name] : [])];
      let startKey: Record<string, AttributeValue> | undefined;
      do {
        const page = await client.send(new ScanCommand({ TableName: spec.localName, ExclusiveStartKey: startKey, ProjectionExpression: keyNames.map((_, i) => `#k${i}`).join(', '), ExpressionAttributeNames: Object.fromEntries(keyNames.map((name, i) => [`#k${i}`, name])) }));
        for (const item of page.Items ?? []) await client.send(new DeleteItemCommand({ TableName: spec.localName, Key: item }));
        startKey = page.LastEvaluatedKey;
      } while (startKey);
    }
  } finally {
    client.destroy();
  }
}

/** Creates Lifeboat's tables (under their local names) unless they exist already. */
export async function createTables(endpoint: string): Promise<void> {
  const client = localClient(endpoint);
  try {
    for (const spec of Object.values(TABLES)) {
      try {
        await client.send(new CreateTableCommand(createTableInput(spec)));
      } catch (error) {
        if (!(error instanceof ResourceInUseException)) throw error;
      }
      await untilActive(client, spec.localName);
    }
  } finally {
    client.destroy();
  }
}

/** dynalite makes a new table ACTIVE on a timer, even with createTableMs 0: wait for it (a few ms at most). */
async function untilActive(client: DynamoDBClient, table: string): Promise<void> {
  for (let attempt = 0; attempt < 500; attempt += 1) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: table }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
  throw new Error(`local table ${table} did not become ACTIVE`);
}
