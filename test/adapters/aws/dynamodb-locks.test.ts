import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  DynamoDBClient,
  GetItemCommand,
  ThrottlingException,
  type AttributeValue,
  type DynamoDBClientConfig,
} from '@aws-sdk/client-dynamodb';
import { DynamoDbLocks, FULL_WINDOW_TRUSTED_MS } from '../../../src/adapters/aws/dynamodb-locks.js';
import { TABLES, tableName } from '../../../src/adapters/aws/tables.js';
import { ThrottledError } from '../../../src/domain/errors.js';
import { createTables, startDynalite, type LocalDynamo } from '../../../src/local/dynalite.js';
import type { Cooldown } from '../../../src/ports/locks.js';
import { countCommands } from '../../support/dynamodb-like-aws.js';

const TABLE = tableName('locks', {});
const T0 = Date.parse('2030-01-01T00:00:00.000Z');
/** The instant `seconds` after T0: every test passes its own clock. */
const at = (seconds: number): Date => new Date(T0 + seconds * 1000);
const LEASE = 300;

let dynamo: LocalDynamo;
const clients: DynamoDBClient[] = [];

/** A client of the local DynamoDB; real HTTP, so dynalite's conditions decide every race. */
function newClient(extra: Partial<DynamoDBClientConfig> = {}): DynamoDBClient {
  const client = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    ...extra,
  });
  clients.push(client);
  return client;
}

/**
 * A client that answers a failed condition as AWS does (ReturnValuesOnConditionCheckFailure:
 * ALL_OLD returns the item), which dynalite does not, and counts the adapter's reads and writes.
 */
function returningOldItemLikeAws() {
  const client = newClient();
  const { count } = countCommands(client, { reader: newClient(), tableName: TABLE, keyAttributes: ['pk'] });
  return { client, reads: () => count('GetItemCommand'), writes: () => count('PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand') };
}

function newLocks(client: DynamoDBClient = newClient()): DynamoDbLocks {
  return new DynamoDbLocks({ client, tableName: TABLE });
}

/** Each test gets its own app, so tests share one table without seeing each other's items. */
let apps = 0;
const freshApp = (): string => `shop-${++apps}`;

const holder = (incidentId: string) => ({ incidentId, executionName: `exec-${incidentId}` });

async function rawItem(pk: string) {
  const output = await newClient().send(new GetItemCommand({ TableName: TABLE, Key: { pk: { S: pk } }, ConsistentRead: true }));
  return output.Item;
}

beforeAll(async () => {
  dynamo = await startDynalite();
  await createTables(dynamo.endpoint);
});

afterAll(async () => {
  for (const client of clients) client.destroy();
  await dynamo.close();
});

describe('DynamoDbLocks: the failover lock', () => {
  it('gives a free lock to the first incident that asks', async () => {
    const locks = newLocks();
    const app = freshApp();

    const result = await locks.acquire(app, holder('inc-1'), LEASE, at(0));

    expect(result).toEqual({
      acquired: true,
      renewed: false,
      lock: { incidentId: 'inc-1', executionName: 'exec-inc-1', acquiredAt: at(0).toISOString(), leaseExpiresAt: at(LEASE).toISOString() },
    });
    expect(await locks.current(app, at(1))).toEqual(result.acquired && result.lock);
  });

  it('refuses a second incident and tells it who holds the lock', async () => {
    // arrange
    const locks = newLocks();
    const app = freshApp();
    await locks.acquire(app, holder('inc-1'), LEASE, at(0));
    // act
    const second = await locks.acquire(app, holder('inc-2'), LEASE, at(10));
    // assert
    expect(second).toEqual({
      acquired: false,
      heldBy: { incidentId: 'inc-1', executionName: 'exec-inc-1', acquiredAt: at(0).toISOString(), leaseExpiresAt: at(LEASE).toISOString() },
    });
    expect((await locks.current(app, at(10)))?.incidentId).toBe('inc-1');
  });

  it.each([
    ['before its lease expires', 100],
    ['after its lease expired, while nobody else took it', LEASE + 100],
  ])('renews the lease when the holder asks again %s, keeping when it was acquired', async (_when, seconds) => {
    const locks = newLocks();
    const app = freshApp();
    await locks.acquire(app, holder('inc-1'), LEASE, at(0));

    const again = await locks.acquire(app, holder('inc-1'), LEASE, at(seconds));

    const renewed = { incidentId: 'inc-1', executionName: 'exec-inc-1', acquiredAt: at(0).toISOString(), leaseExpiresAt: at(seconds + LEASE).toISOString() };
    expect(again).toEqual({ acquired: true, renewed: true, lock: renewed });
    expect(await locks.current(app, at(seconds))).toEqual(renewed);
  });

  it.each([
    ['the moment it expires', LEASE],
    ['any time after it expired', LEASE + 60],
  ])('lets another incident take over a lease %s', async (_when, seconds) => {
    const locks = newLocks();
    const app = freshApp();
    await locks.acquire(app, holder('inc-1'), LEASE, at(0));

    const takeover = await locks.acquire(app, holder('inc-2'), LEASE, at(seconds));

    expect(takeover).toEqual({
      acquired: true,
      renewed: false,
      lock: { incidentId: 'inc-2', executionName: 'exec-inc-2', acquiredAt: at(seconds).toISOString(), leaseExpiresAt: at(seconds + LEASE).toISOString() },
    });
    expect(await locks.acquire(app, holder('inc-1'), LEASE, at(seconds + 1))).toMatchObject({ acquired: false, heldBy: { incidentId: 'inc-2' } });
  });

  it('gives the lock to exactly one of 20 incidents asking at once, and tells the others who won', async () => {
    const app = freshApp();
    const incidents = Array.from({ length: 20 }, (_, i) => `inc-${i}`);

    // Separate clients, so the requests really travel side by side.
    const results = await Promise.all(incidents.map((id) => newLocks().acquire(app, holder(id), LEASE, at(0))));

    const winners = results.flatMap((result) => (result.acquired ? [result.lock.incidentId] : []));
    expect(winners).toHaveLength(1);
    const refusedBy = new Set(results.flatMap((result) => (result.acquired ? [] : [result.heldBy.incidentId])));
    expect([...refusedBy]).toEqual(winners);
  });

  it('gives the lock to one incident asking twice at once (a retried step) both times', async () => {
    const app = freshApp();

    const results = await Promise.all([1, 2].map(() => newLocks().acquire(app, holder('inc-1'), LEASE, at(0))));

    expect(results.map((result) => result.acquired)).toEqual([true, true]);
  });

  it('changes nothing when an incident that does not hold the lock releases it', async () => {
    const locks = newLocks();
    const app = freshApp();
    const { lock } = (await locks.acquire(app, holder('inc-1'), LEASE, at(0))) as { lock: unknown };

    await locks.release(app, 'inc-2');

    expect(await locks.current(app, at(1))).toEqual(lock);
  });

  it('frees the lock when its holder releases it', async () => {
    const locks = newLocks();
    const app = freshApp();
    await locks.acquire(app, holder('inc-1'), LEASE, at(0));

    await locks.release(app, 'inc-1');

    expect(await locks.current(app, at(1))).toBeUndefined();
    expect(await locks.acquire(app, holder('inc-2'), LEASE, at(2))).toMatchObject({ acquired: true });
  });

  it('treats releasing a lock that is already gone as done', async () => {
    const locks = newLocks();
    const app = freshApp();

    await expect(locks.release(app, 'inc-1')).resolves.toBeUndefined();
  });

  it('reports no current lock once its lease has expired', async () => {
    const locks = newLocks();
    const app = freshApp();
    await locks.acquire(app, holder('inc-1'), LEASE, at(0));

    expect(await locks.current(app, at(LEASE - 1))).toBeDefined();
    expect(await locks.current(app, at(LEASE))).toBeUndefined();
    expect(await locks.current(freshApp(), at(0))).toBeUndefined();
  });

  it('keeps each app’s lock to itself', async () => {
    const locks = newLocks();
    const [shop, billing] = [freshApp(), freshApp()];

    await locks.acquire(shop, holder('inc-1'), LEASE, at(0));
    const other = await locks.acquire(billing, holder('inc-2'), LEASE, at(0));
    await locks.release(billing, 'inc-2');

    expect(other.acquired).toBe(true);
    expect((await locks.current(shop, at(1)))?.incidentId).toBe('inc-1');
  });

  it('lets DynamoDB’s TTL remove the item only well after the lease ends', async () => {
    const locks = newLocks();
    const app = freshApp();
    await locks.acquire(app, holder('inc-1'), LEASE, at(0));

    const item = await rawItem(`lock#${app}`);

    expect(Number(item?.[TABLES.locks.ttlAttribute]?.N)).toBeGreaterThanOrEqual(at(LEASE).getTime() / 1000 + 3600);
  });

  it('names the holder from the item DynamoDB returns with a failed condition, without reading it again', async () => {
    const { client, reads } = returningOldItemLikeAws();
    const locks = newLocks(client);
    const app = freshApp();
    await locks.acquire(app, holder('inc-1'), LEASE, at(0));

    const second = await locks.acquire(app, holder('inc-2'), LEASE, at(10));

    expect(second).toEqual({
      acquired: false,
      heldBy: { incidentId: 'inc-1', executionName: 'exec-inc-1', acquiredAt: at(0).toISOString(), leaseExpiresAt: at(LEASE).toISOString() },
    });
    expect(reads()).toBe(0);
  });

  it('refuses a blast-radius claim from the item DynamoDB returns with the failed condition, without reading it again', async () => {
    const { client, reads } = returningOldItemLikeAws();
    const locks = newLocks(client);
    const region = `region-${freshApp()}`;
    await locks.claimBlastRadius(region, 'a', 2, 3600, at(0));
    await locks.claimBlastRadius(region, 'b', 2, 3600, at(1));
    const readsBefore = reads(); // the first claim read that there was no window yet

    const refused = await locks.claimBlastRadius(region, 'c', 2, 3600, at(2));

    expect(refused).toEqual({ granted: false, apps: ['a', 'b'], windowEndsAt: at(3600).toISOString() });
    expect(reads()).toBe(readsBefore);
  });

  it('refuses again from a window it saw full, without a write, for a minute at most; another container still asks', async () => {
    // arrange
    const { client, reads, writes } = returningOldItemLikeAws();
    const locks = newLocks(client);
    const region = `region-${freshApp()}`;
    await locks.claimBlastRadius(region, 'a', 2, 3600, at(0));
    await locks.claimBlastRadius(region, 'b', 2, 3600, at(1));
    const first = await locks.claimBlastRadius(region, 'c', 2, 3600, at(2));
    const callsAfterFirst = reads() + writes();

    // act
    const again = await locks.claimBlastRadius(region, 'c', 2, 3600, at(30));
    const otherApp = await locks.claimBlastRadius(region, 'd', 2, 3600, at(31));
    const callsWhileTrusted = reads() + writes() - callsAfterFirst;
    const member = await locks.claimBlastRadius(region, 'a', 2, 3600, at(32));
    const callsForMember = reads() + writes() - callsAfterFirst;
    const otherContainer = await newLocks().claimBlastRadius(region, 'c', 2, 3600, at(33));
    const afterAMinute = await locks.claimBlastRadius(region, 'c', 2, 3600, at(2 + FULL_WINDOW_TRUSTED_MS / 1000));
    const callsAfterAMinute = reads() + writes() - callsAfterFirst - callsForMember;

    // assert
    const refusal = { granted: false, apps: ['a', 'b'], windowEndsAt: at(3600).toISOString() };
    expect([first, again, otherApp, otherContainer, afterAMinute]).toEqual([refusal, refusal, refusal, refusal, refusal]);
    expect(callsWhileTrusted).toBe(0);
    expect(member).toEqual({ granted: true, apps: ['a', 'b'] }); // a member always asks DynamoDB
    expect(callsForMember).toBe(1);
    expect(callsAfterAMinute).toBe(1); // the refusal came from the failed write's old item
  });

  it('lets a claim through from a window it saw full once that window has ended', async () => {
    const locks = newLocks();
    const region = `region-${freshApp()}`;
    await locks.claimBlastRadius(region, 'a', 1, 10, at(0));
    expect(await locks.claimBlastRadius(region, 'b', 1, 10, at(5))).toMatchObject({ granted: false });

    const next = await locks.claimBlastRadius(region, 'b', 1, 10, at(10));

    expect(next).toEqual({ granted: true, apps: ['b'] });
  });

  it('does not apply a window seen full to a higher limit (a new configuration)', async () => {
    const locks = newLocks();
    const region = `region-${freshApp()}`;
    await locks.claimBlastRadius(region, 'a', 1, 3600, at(0));
    expect(await locks.claimBlastRadius(region, 'b', 1, 3600, at(1))).toMatchObject({ granted: false });

    const raised = await locks.claimBlastRadius(region, 'b', 2, 3600, at(2));

    expect(raised).toEqual({ granted: true, apps: ['a', 'b'] });
  });

  it('answers a marker it has seen taken without asking DynamoDB again; another container still asks', async () => {
    const { client, writes } = returningOldItemLikeAws();
    const locks = newLocks(client);
    const key = `blast-refused#${freshApp()}`;

    const first = await locks.once(key, at(0));
    const second = await locks.once(key, at(1));
    const writesAfterSecond = writes();
    const third = await locks.once(key, at(2));
    const otherContainer = await newLocks().once(key, at(3));

    expect([first, second, third, otherContainer]).toEqual([true, false, false, false]);
    expect(writes()).toBe(writesAfterSecond);
  });

  it('works on a client made with cacheMiddleware (which a lib-dynamodb document client refuses)', async () => {
    const locks = newLocks(newClient({ cacheMiddleware: true }));
    const app = freshApp();

    await locks.acquire(app, holder('inc-1'), LEASE, at(0));
    const refused = await locks.acquire(app, holder('inc-2'), LEASE, at(1));
    const claim = await locks.claimBlastRadius(`region-${app}`, app, 2, 3600, at(2));
    await locks.startCooldown({ app, incidentId: 'inc-1', failedAwayFrom: 'eu-west-1', until: at(600).toISOString() });

    expect(refused).toMatchObject({ acquired: false, heldBy: { incidentId: 'inc-1' } });
    expect(claim).toEqual({ granted: true, apps: [app] });
    expect(await locks.state(app, at(3))).toEqual({
      lock: { incidentId: 'inc-1', executionName: 'exec-inc-1', acquiredAt: at(0).toISOString(), leaseExpiresAt: at(LEASE).toISOString() },
      cooldown: { app, incidentId: 'inc-1', failedAwayFrom: 'eu-west-1', until: at(600).toISOString() },
    });
  });

  it.each([0, -5, Number.NaN])('refuses a lease of %p seconds', async (seconds) => {
    await expect(newLocks().acquire(freshApp(), holder('inc-1'), seconds, at(0))).rejects.toThrow(RangeError);
  });

  it('reports DynamoDB throttling as ThrottledError, naming the call', async () => {
    const client = newClient({ maxAttempts: 1 });
    client.middlewareStack.add(
      () => async () => {
        throw new ThrottlingException({ message: 'Throughput exceeds the current capacity', $metadata: { httpStatusCode: 400 } });
      },
      { step: 'initialize', name: 'throttleEverything' },
    );
    const locks = newLocks(client);

    const failure = locks.acquire('shop', holder('inc-1'), LEASE, at(0));

    await expect(failure).rejects.toBeInstanceOf(ThrottledError);
    await expect(failure).rejects.toThrow(`dynamodb:PutItem ${TABLE} lock#shop failed`);
  });
});

describe('DynamoDbLocks: the cooldown', () => {
  const cooldownOf = (app: string, incidentId: string, untilSeconds: number, failedAwayFrom = 'eu-west-1'): Cooldown => ({
    app,
    incidentId,
    failedAwayFrom,
    until: at(untilSeconds).toISOString(),
  });

  it('is in force before its end and not from its end on', async () => {
    const locks = newLocks();
    const app = freshApp();

    await locks.startCooldown(cooldownOf(app, 'inc-1', 3600));

    expect(await locks.cooldown(app, at(3599))).toEqual(cooldownOf(app, 'inc-1', 3600));
    expect(await locks.cooldown(app, at(3600))).toBeUndefined();
  });

  it('is absent for an app that never failed over', async () => {
    expect(await newLocks().cooldown(freshApp(), at(0))).toBeUndefined();
  });

  it('is never shortened by a cooldown that ends sooner', async () => {
    const locks = newLocks();
    const app = freshApp();
    await locks.startCooldown(cooldownOf(app, 'inc-2', 7200, 'us-east-1'));

    await locks.startCooldown(cooldownOf(app, 'inc-1', 3600)); // a late writer

    expect(await locks.cooldown(app, at(5000))).toEqual(cooldownOf(app, 'inc-2', 7200, 'us-east-1'));
  });

  it('is replaced by a cooldown that ends later', async () => {
    const locks = newLocks();
    const app = freshApp();
    await locks.startCooldown(cooldownOf(app, 'inc-1', 3600));

    await locks.startCooldown(cooldownOf(app, 'inc-2', 7200, 'us-east-1'));

    expect(await locks.cooldown(app, at(100))).toEqual(cooldownOf(app, 'inc-2', 7200, 'us-east-1'));
  });

  it('refuses an end that is not a time', async () => {
    await expect(newLocks().startCooldown({ ...cooldownOf(freshApp(), 'inc-1', 60), until: 'tomorrow' })).rejects.toThrow(RangeError);
  });

  it('is marked notified for the first caller only', async () => {
    const locks = newLocks();
    const app = freshApp();
    await locks.startCooldown(cooldownOf(app, 'inc-1', 3600));

    expect(await locks.markCooldownNotified(app, 'inc-1')).toBe(true);
    expect(await locks.markCooldownNotified(app, 'inc-1')).toBe(false);
  });

  it('is marked notified by exactly one of 10 callers at once', async () => {
    const app = freshApp();
    await newLocks().startCooldown(cooldownOf(app, 'inc-1', 3600));

    const marks = await Promise.all(Array.from({ length: 10 }, () => newLocks().markCooldownNotified(app, 'inc-1')));

    expect(marks.filter(Boolean)).toHaveLength(1);
  });

  it('is not marked notified for another incident, nor when there is no cooldown', async () => {
    const locks = newLocks();
    const app = freshApp();
    await locks.startCooldown(cooldownOf(app, 'inc-1', 3600));

    expect(await locks.markCooldownNotified(app, 'inc-2')).toBe(false);
    expect(await locks.markCooldownNotified(freshApp(), 'inc-1')).toBe(false);
    expect(await locks.markCooldownNotified(app, 'inc-1')).toBe(true);
  });

  it('stays notified when the same incident starts its cooldown again (a replay)', async () => {
    const locks = newLocks();
    const app = freshApp();
    await locks.startCooldown(cooldownOf(app, 'inc-1', 3600));
    await locks.markCooldownNotified(app, 'inc-1');

    await locks.startCooldown(cooldownOf(app, 'inc-1', 3600));

    expect(await locks.markCooldownNotified(app, 'inc-1')).toBe(false);
  });

  it('can be notified again once a newer incident’s cooldown replaces it', async () => {
    const locks = newLocks();
    const app = freshApp();
    await locks.startCooldown(cooldownOf(app, 'inc-1', 3600));
    await locks.markCooldownNotified(app, 'inc-1');

    await locks.startCooldown(cooldownOf(app, 'inc-2', 7200));

    expect(await locks.markCooldownNotified(app, 'inc-2')).toBe(true);
    expect(await locks.markCooldownNotified(app, 'inc-1')).toBe(false);
  });

  it('lets DynamoDB’s TTL remove the item only well after the cooldown ends', async () => {
    const locks = newLocks();
    const app = freshApp();
    await locks.startCooldown(cooldownOf(app, 'inc-1', 3600));

    const item = await rawItem(`cooldown#${app}`);

    expect(Number(item?.[TABLES.locks.ttlAttribute]?.N)).toBeGreaterThanOrEqual(at(3600).getTime() / 1000 + 3600);
  });
});

describe('DynamoDbLocks: active regions', () => {
  it('reads 250 apps’ active regions in 3 BatchGetItems of at most 100 keys, undefined where none is recorded', async () => {
    // arrange: every third app failed over to us-west-2 once
    const apps = Array.from({ length: 250 }, () => freshApp());
    const writer = newLocks();
    for (const [index, app] of apps.entries()) if (index % 3 === 0) await writer.setActiveRegion(app, 'us-west-2', `inc-${app}`, at(0));
    const client = newClient();
    const batches: number[] = [];
    client.middlewareStack.add((next, context) => async (args) => {
      if (context.commandName === 'BatchGetItemCommand') batches.push((args.input as { RequestItems: Record<string, { Keys: unknown[] }> }).RequestItems[TABLE]!.Keys.length);
      return next(args);
    });
    // act
    const regions = await newLocks(client).activeRegions(apps);
    // assert
    expect(batches).toEqual([100, 100, 50]);
    expect([...regions.keys()]).toEqual(apps);
    expect(apps.filter((app) => regions.get(app) === 'us-west-2')).toEqual(apps.filter((_, index) => index % 3 === 0));
    expect(apps.filter((app) => regions.get(app) === undefined)).toHaveLength(250 - 84);
  });

  it('reads the keys DynamoDB leaves unprocessed one by one, so the answer is complete', async () => {
    // arrange: a client whose BatchGetItem answers only the first key, as a throttled table may
    const [first, second] = [freshApp(), freshApp()];
    const writer = newLocks();
    await writer.setActiveRegion(first, 'eu-central-1', 'inc-a', at(0));
    await writer.setActiveRegion(second, 'eu-west-1', 'inc-b', at(0));
    const client = newClient();
    client.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName !== 'BatchGetItemCommand') return next(args);
        const keys = (args.input as { RequestItems: Record<string, { Keys: Record<string, AttributeValue>[] }> }).RequestItems[TABLE]!.Keys;
        const answered = await next({ ...args, input: { RequestItems: { [TABLE]: { Keys: keys.slice(0, 1), ConsistentRead: true } } } } as typeof args);
        (answered.output as { UnprocessedKeys?: unknown }).UnprocessedKeys = { [TABLE]: { Keys: keys.slice(1), ConsistentRead: true } };
        return answered;
      },
      { step: 'initialize', name: 'leaveUnprocessed' },
    );
    // act
    const regions = await newLocks(client).activeRegions([first, second]);
    // assert
    expect(Object.fromEntries(regions)).toEqual({ [first]: 'eu-central-1', [second]: 'eu-west-1' });
  });
});
