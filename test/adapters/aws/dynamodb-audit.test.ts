import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { DynamoDbAuditTrail, MAX_ERROR_BYTES, MAX_ITEM_BYTES, type ClippedValue } from '../../../src/adapters/aws/dynamodb-audit.js';
import { tableName } from '../../../src/adapters/aws/tables.js';
import { canonicalJson, hashRecord, verifyChain } from '../../../src/domain/audit-chain.js';
import { ConflictError, ResourceNotFoundError, ThrottledError } from '../../../src/domain/errors.js';
import { createTables, startDynalite, type LocalDynamo } from '../../../src/local/dynalite.js';
import type { AuditEntry, AuditRecord } from '../../../src/ports/audit.js';
import { countCommands } from '../../support/dynamodb-like-aws.js';

// The name createTables gives the audit table (the environment's LIFEBOAT_AUDIT_TABLE does not apply here).
const TABLE = tableName('audit', {});

let dynamo: LocalDynamo;
let raw: DynamoDBClient;
let incidents = 0;
const clients: DynamoDBClient[] = [];

beforeAll(async () => {
  dynamo = await startDynalite();
  await createTables(dynamo.endpoint);
  raw = client();
});

afterAll(async () => {
  for (const made of clients) made.destroy();
  await dynamo.close();
});

/** A client of the local table (SDK attempts per call: `maxAttempts`); all are destroyed after the file. */
function client(options: { maxAttempts?: number; cacheMiddleware?: boolean } = {}): DynamoDBClient {
  const made = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, ...options });
  clients.push(made);
  return made;
}

/** A client counting its commands; with `returnOldItem`, answering a failed condition with the item as DynamoDB does. */
function countingClient(options: { returnOldItem?: boolean } = {}) {
  const made = client();
  const { calls, reset } = countCommands(made, options.returnOldItem ? { reader: raw, tableName: TABLE, keyAttributes: ['incidentId', 'seq'] } : undefined);
  return { client: made, calls, reset };
}

/** Every test gets its own incident, so tests sharing the table never see each other's records. */
function newIncident(): string {
  incidents += 1;
  return `inc-${incidents}`;
}

function trail(options: { client?: DynamoDBClient; maxAttempts?: number; backoff?: (attempt: number) => Promise<void> } = {}) {
  return new DynamoDbAuditTrail({ client: options.client ?? raw, tableName: TABLE, maxAttempts: options.maxAttempts, backoff: options.backoff });
}

function entry(incidentId: string, n: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    incidentId,
    step: 'ShiftTraffic',
    actor: 'alarm:payments-use1-api-5xx',
    intent: `shift traffic, attempt ${n}`,
    outcome: 'Converged',
    before: { weights: { 'payments-us-east-1': 100, 'payments-us-west-2': 0 } },
    after: { weights: { 'payments-us-east-1': 0, 'payments-us-west-2': 100 } },
    durationMs: 40 + n,
    at: new Date(Date.UTC(2026, 2, 1, 12, 0, 0, n)).toISOString(),
    ...overrides,
  };
}

async function appendMany(audit: DynamoDbAuditTrail, incidentId: string, count: number): Promise<AuditRecord[]> {
  const records: AuditRecord[] = [];
  for (let n = 1; n <= count; n++) records.push(await audit.append(entry(incidentId, n)));
  return records;
}

function key(incidentId: string, seq: number): Record<string, AttributeValue> {
  return { incidentId: { S: incidentId }, seq: { N: String(seq) } };
}

async function rawItem(incidentId: string, seq: number): Promise<Record<string, AttributeValue>> {
  const output = await raw.send(new GetItemCommand({ TableName: TABLE, Key: key(incidentId, seq), ConsistentRead: true }));
  if (!output.Item) throw new Error(`no item ${incidentId} ${seq}`);
  return output.Item;
}

/** An item's size as DynamoDB counts it: names and values in UTF-8 bytes (numbers at their most). */
function itemBytes(item: Record<string, AttributeValue>): number {
  return Object.entries(item).reduce((sum, [name, value]) => {
    const size = value.S !== undefined ? Buffer.byteLength(value.S) : 21;
    return sum + Buffer.byteLength(name) + size;
  }, 0);
}

describe('DynamoDbAuditTrail.append', () => {
  it('numbers an incident’s records 1..n and chains them intact', async () => {
    // arrange
    const incidentId = newIncident();
    const audit = trail();
    // act
    const appended = await appendMany(audit, incidentId, 5);
    const stored = await audit.read(incidentId);
    // assert
    expect(stored.map((record) => record.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(stored).toEqual(appended);
    expect(verifyChain(stored)).toEqual([]);
  });

  it.each([
    ['a plain DynamoDB client', () => client()],
    ['a client made with cacheMiddleware (which a lib-dynamodb document client refuses)', () => client({ cacheMiddleware: true })],
  ])('works through %s', async (_what, make) => {
    const incidentId = newIncident();
    const audit = trail({ client: make() });
    await appendMany(audit, incidentId, 3);
    const stored = await audit.read(incidentId);
    expect(stored.map((record) => [record.seq, record.durationMs])).toEqual([
      [1, 41],
      [2, 42],
      [3, 43],
    ]);
    expect(verifyChain(stored)).toEqual([]);
  });

  it('records through the port without returning anything', async () => {
    const incidentId = newIncident();
    const audit = trail();
    await expect(audit.record(entry(incidentId, 1))).resolves.toBeUndefined();
    expect(await audit.read(incidentId)).toHaveLength(1);
  });

  it('gives 25 concurrent writers (25 Lambdas) of one incident seq 1..25, with no gap and an intact chain', async () => {
    // arrange: every lost race is another writer's win, so 25 writers need 25 attempts at most
    const incidentId = newIncident();
    const writers = Array.from({ length: 25 }, () => trail({ maxAttempts: 25 }));
    // act
    const appended = await Promise.all(writers.map((audit, i) => audit.append(entry(incidentId, i + 1))));
    const stored = await trail().read(incidentId);
    // assert
    expect(stored.map((record) => record.seq)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(verifyChain(stored)).toEqual([]);
    expect(new Set(stored.map((record) => record.intent)).size).toBe(25); // every entry once
    expect([...appended].sort((a, b) => a.seq - b.seq)).toEqual(stored);
  });

  it('queues one process’s concurrent appends to an incident: one read, no lost race, entries in call order', async () => {
    // arrange
    const incidentId = newIncident();
    const { client: counted, calls } = countingClient();
    const audit = trail({ client: counted });
    // act
    await Promise.all(Array.from({ length: 25 }, (_, i) => audit.append(entry(incidentId, i + 1))));
    // assert
    const stored = await trail().read(incidentId);
    expect(stored.map((record) => record.durationMs)).toEqual(Array.from({ length: 25 }, (_, i) => 41 + i));
    expect(verifyChain(stored)).toEqual([]);
    expect(calls()).toEqual({ QueryCommand: 1, PutItemCommand: 25 });
  });

  it('chains onto the record it wrote last without reading, and reads when another writer appended since', async () => {
    // arrange: this trail writes 1–2, another writer (another Lambda) writes 3
    const incidentId = newIncident();
    const { client: counted, calls, reset } = countingClient();
    const audit = trail({ client: counted });
    await appendMany(audit, incidentId, 2);
    expect(calls()).toEqual({ QueryCommand: 1, PutItemCommand: 2 });
    await trail().append(entry(incidentId, 3));
    reset();
    // act
    const fourth = await audit.append(entry(incidentId, 4));
    const fifth = await audit.append(entry(incidentId, 5));
    // assert: the stale head cost one refused PutItem (and dynalite's missing ALL_OLD a GetItem), then one read
    expect([fourth.seq, fifth.seq]).toEqual([4, 5]);
    expect(calls()).toEqual({ PutItemCommand: 3, GetItemCommand: 1, QueryCommand: 1 });
    const stored = await trail().read(incidentId);
    expect(stored.map((record) => record.seq)).toEqual([1, 2, 3, 4, 5]);
    expect(verifyChain(stored)).toEqual([]);
  });

  it('takes the record holding a seq from the failed write when the service returns it (ALL_OLD), without a GetItem', async () => {
    // arrange: a head made stale by another writer, on a client that answers like DynamoDB
    const incidentId = newIncident();
    const { client: counted, calls, reset } = countingClient({ returnOldItem: true });
    const audit = trail({ client: counted });
    await audit.append(entry(incidentId, 1));
    await trail().append(entry(incidentId, 2));
    reset();
    // act
    const third = await audit.append(entry(incidentId, 3));
    // assert
    expect(third.seq).toBe(3);
    expect(calls()).toEqual({ PutItemCommand: 2, QueryCommand: 1 });
    expect(verifyChain(await trail().read(incidentId))).toEqual([]);
  });

  it('chains onto the last record it read', async () => {
    const incidentId = newIncident();
    await appendMany(trail(), incidentId, 3);
    const { client: counted, calls, reset } = countingClient();
    const audit = trail({ client: counted });
    await audit.read(incidentId);
    reset();
    expect((await audit.append(entry(incidentId, 4))).seq).toBe(4);
    expect(calls()).toEqual({ PutItemCommand: 1 });
  });

  it('gives up with a ConflictError naming the incident when another writer always wins', async () => {
    // arrange: before each of our PutItems, a rival writes the same seq
    const incidentId = newIncident();
    const racing = client();
    let puts = 0;
    racing.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'PutItemCommand') {
          puts += 1;
          const item = (args.input as { Item: Record<string, AttributeValue> }).Item;
          await raw.send(new PutItemCommand({ TableName: TABLE, Item: { ...item, actor: { S: 'rival' }, hash: { S: `rival-${puts}` } } }));
        }
        return next(args);
      },
      { step: 'build', name: 'rivalWriter' },
    );
    const waits: number[] = [];
    const audit = trail({ client: racing, maxAttempts: 3, backoff: async (attempt) => void waits.push(attempt) });
    // act
    const appending = audit.append(entry(incidentId, 1));
    // assert
    await expect(appending).rejects.toBeInstanceOf(ConflictError);
    await expect(appending).rejects.toThrow(`audit trail of incident ${incidentId}: lost the race for the next record 3 times (last tried seq 3)`);
    expect([puts, waits]).toEqual([3, [1, 2]]);
    expect((await trail().read(incidentId)).map((record) => record.actor)).toEqual(['rival', 'rival', 'rival']);
  });

  it('does not record an entry twice when the SDK re-sends a write whose answer was lost', async () => {
    // arrange: the first PutItem reaches the table, then its answer "times out" and the SDK retries
    const incidentId = newIncident();
    const flaky = client({ maxAttempts: 3 });
    let puts = 0;
    flaky.middlewareStack.add(
      (next, context) => async (args) => {
        const output = await next(args);
        if (context.commandName === 'PutItemCommand' && ++puts === 1) throw Object.assign(new Error('answer lost'), { name: 'TimeoutError' });
        return output;
      },
      { step: 'deserialize', name: 'loseFirstAnswer' },
    );
    const audit = trail({ client: flaky });
    // act
    const record = await audit.append(entry(incidentId, 1));
    // assert
    expect(puts).toBe(2);
    expect(await audit.read(incidentId)).toEqual([record]);
  });

  it('never overwrites a record: a conditional PutItem on a used key fails', async () => {
    // arrange
    const incidentId = newIncident();
    const audit = trail();
    const [first] = await appendMany(audit, incidentId, 2);
    const forged = { ...(await rawItem(incidentId, 1)), outcome: { S: 'Refused' } };
    // act
    const overwrite = raw.send(new PutItemCommand({ TableName: TABLE, Item: forged, ConditionExpression: 'attribute_not_exists(incidentId)' }));
    // assert
    await expect(overwrite).rejects.toMatchObject({ name: 'ConditionalCheckFailedException' });
    expect((await audit.read(incidentId))[0]).toEqual(first);
  });

  it('keeps separate chains for separate incidents', async () => {
    const [a, b] = [newIncident(), newIncident()];
    const audit = trail();
    for (let n = 1; n <= 3; n++) {
      await audit.append(entry(a, n));
      await audit.append(entry(b, n));
    }
    await audit.append(entry(a, 4));
    const [chainA, chainB] = [await audit.read(a), await audit.read(b)];
    expect(chainA.map((record) => [record.incidentId, record.seq])).toEqual([1, 2, 3, 4].map((seq) => [a, seq]));
    expect(chainB.map((record) => [record.incidentId, record.seq])).toEqual([1, 2, 3].map((seq) => [b, seq]));
    expect([verifyChain(chainA), verifyChain(chainB)]).toEqual([[], []]);
    expect(await audit.read(newIncident())).toEqual([]);
  });

  it('stores nested before/after values so they hash the same after the round trip', async () => {
    // arrange: what DynamoDB maps could not hold (deep nesting, 2^60, 1e300, empty keys) included
    let deep: unknown = 'bottom';
    for (let level = 0; level < 40; level++) deep = { level, next: deep };
    const before = {
      zeta: [1, [2, [3, []]], { b: null, a: 'x' }],
      numbers: { small: 0.1, negative: -17.25, zero: -0, big: 2 ** 60, huge: 1e300, tiny: 5e-324, int: 42 },
      nothing: null,
      nested: { '': 'empty key', list: [null, true, false, {}] },
      unicode: { emoji: '🚨 bascule région → 東京', rtl: 'שלום', lone: '\ud800', control: '\u0000\t"\\' },
      deep,
    };
    const after = [{ at: new Date('2026-03-01T12:00:00Z'), skipped: undefined }, 'done'];
    const incidentId = newIncident();
    const audit = trail();
    // act
    const appended = await audit.append(entry(incidentId, 1, { before, change: 'shift', after, error: 'ünïcödé ✓' }));
    const [stored] = await audit.read(incidentId);
    // assert
    expect(stored).toEqual(appended);
    expect(hashRecord(stored!)).toBe(appended.hash);
    expect(canonicalJson(stored!.before)).toBe(canonicalJson(before));
    expect(stored!.after).toEqual([{ at: '2026-03-01T12:00:00.000Z' }, 'done']);
    expect(verifyChain([stored!])).toEqual([]);
  });

  it('clips a huge after to fit the 400 KB item, keeping a note with its size and SHA-256', async () => {
    // arrange
    const huge = { pods: Array.from({ length: 20_000 }, (_, i) => ({ name: `payments-${i}`, phase: 'Running', node: `ip-10-0-${i % 255}` })) };
    const hugeJson = canonicalJson(huge);
    const incidentId = newIncident();
    const audit = trail();
    // act
    const appended = await audit.append(entry(incidentId, 1, { after: huge, error: 'x'.repeat(100_000) }));
    const stored = await audit.read(incidentId);
    // assert
    const note = stored[0]!.after as ClippedValue;
    expect(note).toMatchObject({
      note: expect.stringContaining('clipped'),
      originalBytes: Buffer.byteLength(hugeJson),
      originalSha256: createHash('sha256').update(hugeJson).digest('hex'),
    });
    expect(hugeJson.startsWith(note.clippedJson)).toBe(true);
    expect(note.clippedJson.length).toBeGreaterThan(300_000); // clipped, not emptied
    expect(stored[0]!.before).toEqual(entry(incidentId, 1).before); // the small value is kept whole
    expect(Buffer.byteLength(stored[0]!.error!)).toBeLessThanOrEqual(MAX_ERROR_BYTES);
    expect(stored).toEqual([appended]);
    expect(verifyChain(stored)).toEqual([]);
    expect(itemBytes(await rawItem(incidentId, 1))).toBeLessThanOrEqual(MAX_ITEM_BYTES);
  });

  it('shares the room between huge before, change and after, multi-byte text included', async () => {
    const incidentId = newIncident();
    const audit = trail();
    const big = (c: string) => ({ text: c.repeat(200_000) });
    await audit.append(entry(incidentId, 1, { before: big('é'), change: big('"'), after: big('🚨') }));
    const stored = await audit.read(incidentId);
    expect(verifyChain(stored)).toEqual([]);
    expect(itemBytes(await rawItem(incidentId, 1))).toBeLessThanOrEqual(MAX_ITEM_BYTES);
    for (const field of ['before', 'change', 'after'] as const) expect(stored[0]![field]).toHaveProperty('originalSha256');
  });
});

describe('DynamoDbAuditTrail.read', () => {
  it('reads every page of a trail larger than one Query answer (1 MB)', async () => {
    // arrange
    const incidentId = newIncident();
    const counting = client();
    let queries = 0;
    counting.middlewareStack.add((next, context) => async (args) => {
      if (context.commandName === 'QueryCommand') queries += 1;
      return next(args);
    });
    const audit = trail({ client: counting });
    for (let n = 1; n <= 8; n++) await audit.append(entry(incidentId, n, { after: { blob: 'x'.repeat(200_000) } }));
    queries = 0;
    // act
    const stored = await audit.read(incidentId);
    // assert
    expect(stored.map((record) => record.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(queries).toBeGreaterThan(1);
    expect(verifyChain(stored)).toEqual([]);
  });

  it('maps SDK errors to domain errors', async () => {
    const missing = new DynamoDbAuditTrail({ client: raw, tableName: 'no-such-table' });
    await expect(missing.read('inc-x')).rejects.toBeInstanceOf(ResourceNotFoundError);

    const throttled = client({ maxAttempts: 1 });
    throttled.middlewareStack.add(
      () => async () => {
        throw new ProvisionedThroughputExceededException({ message: 'Rate of requests exceeds the allowed throughput', $metadata: {} });
      },
      { step: 'deserialize', name: 'throttle' },
    );
    await expect(trail({ client: throttled }).read('inc-x')).rejects.toBeInstanceOf(ThrottledError);
  });
});

describe('tampering with stored items', () => {
  async function storedChain(count = 5): Promise<{ incidentId: string; audit: DynamoDbAuditTrail }> {
    const incidentId = newIncident();
    const audit = trail();
    await appendMany(audit, incidentId, count);
    return { incidentId, audit };
  }

  it('reports a field edited through the raw API', async () => {
    const { incidentId, audit } = await storedChain();
    await raw.send(
      new UpdateItemCommand({ TableName: TABLE, Key: key(incidentId, 3), UpdateExpression: 'SET outcome = :o', ExpressionAttributeValues: { ':o': { S: 'AlreadyConverged' } } }),
    );
    expect(verifyChain(await audit.read(incidentId))).toEqual([{ seq: 3, reason: 'record 3: content does not match its hash (edited)' }]);
  });

  it.each([
    ['different JSON', '{"weights":{"payments-us-east-1":0}}'],
    ['text that is not JSON', 'not json'],
  ])('reports a before value replaced with %s', async (_what, text) => {
    const { incidentId, audit } = await storedChain();
    await raw.send(
      new UpdateItemCommand({ TableName: TABLE, Key: key(incidentId, 2), UpdateExpression: 'SET beforeJson = :b', ExpressionAttributeValues: { ':b': { S: text } } }),
    );
    expect(verifyChain(await audit.read(incidentId))).toEqual([{ seq: 2, reason: 'record 2: content does not match its hash (edited)' }]);
  });

  it('reports an attribute added to a stored item', async () => {
    const { incidentId, audit } = await storedChain();
    await raw.send(
      new UpdateItemCommand({ TableName: TABLE, Key: key(incidentId, 4), UpdateExpression: 'SET approvedBy = :a', ExpressionAttributeValues: { ':a': { S: 'mallory' } } }),
    );
    expect(verifyChain(await audit.read(incidentId))).toEqual([{ seq: 4, reason: 'record 4: content does not match its hash (edited)' }]);
  });

  it('reports a deleted record', async () => {
    const { incidentId, audit } = await storedChain();
    await raw.send(new DeleteItemCommand({ TableName: TABLE, Key: key(incidentId, 4) }));
    expect(verifyChain(await audit.read(incidentId))).toEqual([{ seq: 4, reason: 'record 4 missing (deleted)' }]);
  });

  it('reports two records whose contents were swapped', async () => {
    // arrange: the keys stay, everything else changes places
    const { incidentId, audit } = await storedChain();
    const [second, third] = [await rawItem(incidentId, 2), await rawItem(incidentId, 3)];
    // act
    await raw.send(new PutItemCommand({ TableName: TABLE, Item: { ...third, ...key(incidentId, 2) } }));
    await raw.send(new PutItemCommand({ TableName: TABLE, Item: { ...second, ...key(incidentId, 3) } }));
    // assert
    expect(verifyChain(await audit.read(incidentId))).toEqual([
      { seq: 2, reason: 'record 2: content does not match its hash (edited)' },
      { seq: 2, reason: 'record 2: prevHash does not match record 1 (reordered or replaced)' },
      { seq: 3, reason: 'record 3: content does not match its hash (edited)' },
      { seq: 3, reason: 'record 3: prevHash does not match record 2 (reordered or replaced)' },
      { seq: 4, reason: 'record 4: prevHash does not match record 3 (reordered or replaced)' },
    ]);
  });

  it('reports a record copied in from another incident', async () => {
    const { incidentId, audit } = await storedChain(3);
    const other = await storedChain(3);
    await raw.send(new PutItemCommand({ TableName: TABLE, Item: { ...(await rawItem(other.incidentId, 2)), ...key(incidentId, 2) } }));
    expect(verifyChain(await audit.read(incidentId)).map((b) => b.reason)).toEqual([
      'record 2: content does not match its hash (edited)',
      'record 2: prevHash does not match record 1 (reordered or replaced)',
      'record 3: prevHash does not match record 2 (reordered or replaced)',
    ]);
  });

  it('keeps appending after the last stored record, tampered or not', async () => {
    const { incidentId, audit } = await storedChain(3);
    await raw.send(new DeleteItemCommand({ TableName: TABLE, Key: key(incidentId, 2) }));
    const next = await audit.append(entry(incidentId, 4));
    expect(next.seq).toBe(4);
    expect(verifyChain(await audit.read(incidentId))).toEqual([{ seq: 2, reason: 'record 2 missing (deleted)' }]);
  });
});

describe('DynamoDbAuditTrail options', () => {
  it('refuses an unknown option, so a typo fails loudly', () => {
    expect(() => new DynamoDbAuditTrail({ client: raw, tableName: TABLE, maxAttempt: 3 } as never)).toThrow('unknown option(s) maxAttempt');
  });

  it.each([0, -1, 1.5])('refuses maxAttempts %p', (maxAttempts) => {
    expect(() => new DynamoDbAuditTrail({ client: raw, tableName: TABLE, maxAttempts })).toThrow(RangeError);
  });
});
