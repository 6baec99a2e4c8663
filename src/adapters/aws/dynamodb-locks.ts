import { BatchGetItemCommand, DeleteItemCommand, GetItemCommand, PutItemCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { ConflictError } from '../../domain/errors.js';
import type { AcquireResult, AppLockState, BlastRadiusClaim, Cooldown, HeldLock, LockHolder, Locks } from '../../ports/locks.js';
import { awsCall } from './errors.js';

/*
 * Per-app failover locks and cooldowns in the locks table (TABLES.locks), one item each:
 * `lock#<app>` and `cooldown#<app>`. Every operation is one single-item conditional write or one
 * strongly consistent read, because dynalite has no transactions and the conditions alone decide
 * races. Times are compared as epoch milliseconds (`...Epoch`), stored next to the ISO strings the
 * port returns; `expiresAt` (epoch seconds) is only for DynamoDB's TTL sweeper.
 *
 * The plain client, with util-dynamodb's marshall/unmarshall at the edges, rather than
 * lib-dynamodb's document client: the document client refuses a client made with
 * `cacheMiddleware`, and the alarm trigger's every delivery goes through here.
 */

/**
 * How long after a lease or cooldown ends the TTL may delete its item. Reads never rely on TTL
 * (DynamoDB deletes expired items up to days late), they compare times themselves; the margin only
 * keeps a finished item around for whoever investigates.
 */
const TTL_MARGIN_SECONDS = 24 * 60 * 60;

/** Rounds of write-then-read in `acquire` before giving up on a lock that keeps changing. */
const ACQUIRE_ATTEMPTS = 3;

interface LockItem {
  pk: string;
  holder: string; // incidentId
  executionName: string;
  acquiredAt: string;
  leaseExpiresAt: string;
  leaseExpiresAtEpoch: number;
  expiresAt: number;
}

interface CooldownItem {
  pk: string;
  incidentId: string;
  failedAwayFrom: string;
  until: string;
  untilEpoch: number;
  notifiedIncident?: string;
  expiresAt: number;
}

interface BlastRadiusItem {
  pk: string;
  apps: Set<string>;
  openedAt: string;
  windowEndsAt: string;
  windowEndsAtEpoch: number;
  expiresAt: number;
}

/** How many taken `once` markers a container remembers. */
const MARKERS_REMEMBERED = 1000;

/**
 * How long a container trusts a blast-radius window it saw full (see `claimBlastRadius`): short,
 * so that a limit raised by a new configuration, or anything this reasoning missed, costs at most
 * a minute of refusals.
 */
export const FULL_WINDOW_TRUSTED_MS = 60_000;

/** A blast-radius window this container saw refuse a claim. */
interface FullWindow {
  apps: string[];
  windowEndsAt: string;
  windowEndsAtEpoch: number;
  seenAtEpoch: number;
}

/** The outcome of a conditional write: a lost condition is an answer, not an error. */
type Conditional<T> = { written: true; output: T } | { written: false; current: Record<string, unknown> | undefined };

/** BatchGetItem's limit of keys per request. */
const BATCH_GET_MAX_KEYS = 100;

/** The locks table through the AWS SDK (port `Locks`). */
export class DynamoDbLocks implements Locks {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;
  /** `once` markers known to be taken already (see `once`). */
  private readonly markersSeenTaken = new Set<string>();
  /** Blast-radius windows seen full, by item (see `claimBlastRadius`). */
  private readonly fullWindowsSeen = new Map<string, FullWindow>();

  constructor(options: { client: DynamoDBClient; tableName: string }) {
    this.client = options.client;
    this.tableName = options.tableName;
  }

  /**
   * Takes a free or expired lock with a PutItem, and renews our own with an UpdateItem so the
   * original `acquiredAt` survives. Refused, it reports the holder from the item that failed the
   * condition (DynamoDB returns it with `ALL_OLD`; dynalite does not, so then a consistent read).
   * If that item changed in between (released, expired, ours lost), it looks again; after
   * {@link ACQUIRE_ATTEMPTS} rounds it throws ConflictError, which the workflow retries.
   */
  async acquire(app: string, holder: LockHolder, leaseSeconds: number, now: Date): Promise<AcquireResult> {
    if (!(Number.isFinite(leaseSeconds) && leaseSeconds > 0)) throw new RangeError(`leaseSeconds must be a positive number, got ${leaseSeconds}`);
    const pk = `lock#${app}`;
    const leaseEnd = new Date(now.getTime() + leaseSeconds * 1000);
    for (let attempt = 1; attempt <= ACQUIRE_ATTEMPTS; attempt++) {
      const taken = await this.take(pk, holder, now, leaseEnd);
      if (taken.written) return { acquired: true, renewed: false, lock: heldLock(taken.output) };
      const blocker = (taken.current as LockItem | undefined) ?? (await this.read<LockItem>(pk));
      if (blocker?.holder === holder.incidentId) {
        const renewed = await this.renew(pk, holder, leaseEnd);
        if (renewed) return { acquired: true, renewed: true, lock: heldLock(renewed) };
      } else if (blocker && blocker.leaseExpiresAtEpoch > now.getTime()) {
        return { acquired: false, heldBy: heldLock(blocker) };
      }
    }
    throw new ConflictError(`dynamodb: lock ${pk} kept changing during ${ACQUIRE_ATTEMPTS} attempts to acquire it for ${holder.incidentId}`);
  }

  /** Deletes the lock only if `incidentId` holds it; anyone else's lock, or none, is left alone. */
  async release(app: string, incidentId: string): Promise<void> {
    const pk = `lock#${app}`;
    await this.conditional(`dynamodb:DeleteItem ${this.tableName} ${pk}`, () =>
      this.client.send(
        new DeleteItemCommand({
          TableName: this.tableName,
          Key: key(pk),
          ConditionExpression: 'holder = :me',
          ExpressionAttributeValues: marshall({ ':me': incidentId }),
        }),
      ),
    );
  }

  async current(app: string, now: Date): Promise<HeldLock | undefined> {
    const item = await this.read<LockItem>(`lock#${app}`);
    return item && item.leaseExpiresAtEpoch > now.getTime() ? heldLock(item) : undefined;
  }

  /**
   * Writes the cooldown unless one ending later is recorded, so a late or retried writer never
   * shortens it. An UpdateItem rather than a PutItem keeps `notifiedIncident`: restarting the same
   * incident's cooldown (a replay) must not let its suppression notice go out again.
   */
  async startCooldown(cooldown: Cooldown): Promise<void> {
    const untilEpoch = Date.parse(cooldown.until);
    if (Number.isNaN(untilEpoch)) throw new RangeError(`cooldown.until is not an ISO-8601 time: ${cooldown.until}`);
    const pk = `cooldown#${cooldown.app}`;
    await this.conditional(`dynamodb:UpdateItem ${this.tableName} ${pk}`, () =>
      this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: key(pk),
          UpdateExpression: 'SET incidentId = :incident, failedAwayFrom = :from, #until = :until, untilEpoch = :untilEpoch, expiresAt = :ttl',
          ConditionExpression: 'attribute_not_exists(pk) OR untilEpoch <= :untilEpoch',
          ExpressionAttributeNames: { '#until': 'until' }, // UNTIL is a reserved word
          ExpressionAttributeValues: marshall({
            ':incident': cooldown.incidentId,
            ':from': cooldown.failedAwayFrom,
            ':until': new Date(untilEpoch).toISOString(),
            ':untilEpoch': untilEpoch,
            ':ttl': ttlAfter(untilEpoch),
          }),
        }),
      ),
    );
  }

  /** `active#<app>`: where the app's traffic is since its last failover (the config's first region before any). */
  async activeRegion(app: string): Promise<string | undefined> {
    return (await this.read<{ pk: string; region: string }>(`active#${app}`))?.region;
  }

  /**
   * `activeRegion` of many apps by strongly consistent BatchGetItem, 100 keys a request (the API's
   * limit): a 500-app evacuation reads its plan in 5 requests, not 500. Keys DynamoDB leaves
   * unprocessed are read one by one, so the answer is always complete.
   */
  async activeRegions(apps: readonly string[]): Promise<Map<string, string | undefined>> {
    const items = await this.readMany(apps.map((app) => `active#${app}`), `${apps.length} active# keys`);
    return new Map(apps.map((app) => [app, (items.get(`active#${app}`) as { region: string } | undefined)?.region]));
  }

  /** Last writer wins: the workflow that ends last moved the traffic last. No TTL: this is the app's state. */
  async setActiveRegion(app: string, region: string, incidentId: string, at: Date): Promise<void> {
    const pk = `active#${app}`;
    await awsCall(`dynamodb:PutItem ${this.tableName} ${pk}`, () =>
      this.client.send(new PutItemCommand({ TableName: this.tableName, Item: marshall({ pk, region, incidentId, at: at.toISOString() }) })),
    );
  }

  async cooldown(app: string, now: Date): Promise<Cooldown | undefined> {
    return cooldownAt(app, await this.read<CooldownItem>(`cooldown#${app}`), now);
  }

  /**
   * One strongly consistent BatchGetItem for `active#`, `lock#` and `cooldown#` of the app, instead
   * of three GetItems: the alarm trigger asks this for every transition of a configured alarm, and
   * in a storm the round trips are the cost. Keys DynamoDB leaves unprocessed (throttling) are read
   * one by one, so the answer is always complete.
   */
  async state(app: string, now: Date): Promise<AppLockState> {
    const keys = [`active#${app}`, `lock#${app}`, `cooldown#${app}`];
    const items = await this.readMany(keys, keys.join(' '));
    const lock = items.get(`lock#${app}`) as LockItem | undefined;
    const active = items.get(`active#${app}`) as { region: string } | undefined;
    const cooldown = cooldownAt(app, items.get(`cooldown#${app}`) as CooldownItem | undefined, now);
    return {
      ...(active ? { activeRegion: active.region } : {}),
      ...(lock && lock.leaseExpiresAtEpoch > now.getTime() ? { lock: heldLock(lock) } : {}),
      ...(cooldown ? { cooldown } : {}),
    };
  }

  /**
   * True for the first caller only, for the cooldown `incidentId` started. `notifiedIncident`
   * names the incident whose notice went out, so a newer incident's cooldown (which leaves the old
   * marker in place) can be notified once in its turn.
   */
  async markCooldownNotified(app: string, incidentId: string): Promise<boolean> {
    const pk = `cooldown#${app}`;
    const marked = await this.conditional(`dynamodb:UpdateItem ${this.tableName} ${pk}`, () =>
      this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: key(pk),
          UpdateExpression: 'SET notifiedIncident = :i',
          ConditionExpression: 'attribute_exists(pk) AND incidentId = :i AND (attribute_not_exists(notifiedIncident) OR notifiedIncident <> :i)',
          ExpressionAttributeValues: marshall({ ':i': incidentId }),
        }),
      ),
    );
    return marked.written;
  }

  /**
   * `blast#<region>` holds the set of apps counted in the open window. Joining is one UpdateItem
   * whose condition is the limit itself (`size(apps) < :limit`, or already a member), so racing
   * triggers cannot overshoot it; an expired window is replaced by a PutItem conditional on its
   * having expired, so only one trigger opens the next window.
   *
   * A window seen full stays full: its app set only grows (`ADD`, and only while below the limit)
   * and its end is fixed, so an app outside a set already at the limit is refused again until the
   * window ends. This container answers that itself for {@link FULL_WINDOW_TRUSTED_MS}: in a storm,
   * every redelivery of a refused app's alarms would otherwise be another conditional write on the
   * region's one item, the hottest key in the table.
   */
  async claimBlastRadius(region: string, app: string, limit: number, windowSeconds: number, now: Date): Promise<BlastRadiusClaim> {
    const pk = `blast#${region}`;
    const full = this.fullWindowsSeen.get(pk);
    const nowEpoch = now.getTime();
    if (full && nowEpoch >= full.seenAtEpoch && nowEpoch < Math.min(full.windowEndsAtEpoch, full.seenAtEpoch + FULL_WINDOW_TRUSTED_MS) && full.apps.length >= limit && !full.apps.includes(app)) {
      return { granted: false, apps: full.apps, windowEndsAt: full.windowEndsAt };
    }
    const claim = await this.claimInTable(pk, app, limit, windowSeconds, now);
    // A grant changes nothing here: a member's claim leaves the set full, and a new window outlives the old one's end.
    if (!claim.granted) this.fullWindowsSeen.set(pk, { apps: claim.apps, windowEndsAt: claim.windowEndsAt, windowEndsAtEpoch: Date.parse(claim.windowEndsAt), seenAtEpoch: nowEpoch });
    return claim;
  }

  private async claimInTable(pk: string, app: string, limit: number, windowSeconds: number, now: Date): Promise<BlastRadiusClaim> {
    for (let attempt = 1; attempt <= ACQUIRE_ATTEMPTS; attempt++) {
      const joined = await this.conditional(`dynamodb:UpdateItem ${this.tableName} ${pk}`, () =>
        this.client.send(
          new UpdateItemCommand({
            TableName: this.tableName,
            Key: key(pk),
            UpdateExpression: 'ADD apps :app',
            ConditionExpression: 'attribute_exists(pk) AND windowEndsAtEpoch > :now AND (contains(apps, :name) OR size(apps) < :limit)',
            ExpressionAttributeValues: marshall({ ':app': new Set([app]), ':name': app, ':now': now.getTime(), ':limit': limit }),
            ReturnValues: 'ALL_NEW',
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      if (joined.written) return { granted: true, apps: [...((unmarshallOrUndefined(joined.output.Attributes) as BlastRadiusItem | undefined)?.apps ?? [])].sort() };
      // DynamoDB hands back the item that failed the condition; an emulator that does not (dynalite) costs a read.
      const current = (joined.current as BlastRadiusItem | undefined) ?? (await this.read<BlastRadiusItem>(pk));
      if (current && current.windowEndsAtEpoch > now.getTime()) {
        if (current.apps.has(app) || current.apps.size < limit) continue; // changed in between: try again
        return { granted: false, apps: [...current.apps].sort(), windowEndsAt: current.windowEndsAt };
      }
      if (limit < 1) return { granted: false, apps: [], windowEndsAt: now.toISOString() };
      const windowEnd = now.getTime() + windowSeconds * 1000;
      const opened = await this.conditional(`dynamodb:PutItem ${this.tableName} ${pk}`, () =>
        this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: marshall({ pk, apps: new Set([app]), openedAt: now.toISOString(), windowEndsAt: new Date(windowEnd).toISOString(), windowEndsAtEpoch: windowEnd, expiresAt: ttlAfter(windowEnd) }),
            ConditionExpression: 'attribute_not_exists(pk) OR windowEndsAtEpoch <= :now',
            ExpressionAttributeValues: marshall({ ':now': now.getTime() }),
          }),
        ),
      );
      if (opened.written) return { granted: true, apps: [app] };
    }
    throw new ConflictError(`dynamodb: ${pk} kept changing during ${ACQUIRE_ATTEMPTS} attempts to count ${app}`);
  }

  /**
   * A conditional PutItem of a marker. A marker this container has seen taken stays taken (true
   * goes to the first caller only, and that was never this container), so asking again costs
   * nothing: a refused app's redeliveries in a storm would otherwise each spend a failed write here.
   */
  async once(key: string, now: Date): Promise<boolean> {
    const pk = `once#${key}`;
    if (this.markersSeenTaken.has(pk)) return false;
    const put = await this.conditional(`dynamodb:PutItem ${this.tableName} ${pk}`, () =>
      this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall({ pk, at: now.toISOString(), expiresAt: ttlAfter(now.getTime()) }),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      ),
    );
    if (!put.written) {
      // Bounded: a container outliving thousands of refusals forgets the oldest (and asks DynamoDB again).
      if (this.markersSeenTaken.size >= MARKERS_REMEMBERED) this.markersSeenTaken.delete(this.markersSeenTaken.values().next().value!);
      this.markersSeenTaken.add(pk);
    }
    return put.written;
  }

  /** Puts a new lock for `holder` if there is none, or an expired one of another incident's. */
  private async take(pk: string, holder: LockHolder, now: Date, leaseEnd: Date): Promise<Conditional<LockItem>> {
    const item: LockItem = {
      pk,
      holder: holder.incidentId,
      executionName: holder.executionName,
      acquiredAt: now.toISOString(),
      leaseExpiresAt: leaseEnd.toISOString(),
      leaseExpiresAtEpoch: leaseEnd.getTime(),
      expiresAt: ttlAfter(leaseEnd.getTime()),
    };
    const put = await this.conditional(`dynamodb:PutItem ${this.tableName} ${pk}`, () =>
      this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: marshall(item),
          // Our own lock, even expired, is renewed instead, to keep its acquiredAt.
          ConditionExpression: 'attribute_not_exists(pk) OR (leaseExpiresAtEpoch <= :now AND holder <> :me)',
          ExpressionAttributeValues: marshall({ ':now': now.getTime(), ':me': holder.incidentId }),
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      ),
    );
    return put.written ? { written: true, output: item } : put;
  }

  /** Extends the lease of a lock `holder` holds; undefined if it no longer does. */
  private async renew(pk: string, holder: LockHolder, leaseEnd: Date): Promise<LockItem | undefined> {
    const update = await this.conditional(`dynamodb:UpdateItem ${this.tableName} ${pk}`, () =>
      this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: key(pk),
          UpdateExpression: 'SET executionName = :execution, leaseExpiresAt = :lease, leaseExpiresAtEpoch = :leaseEpoch, expiresAt = :ttl',
          ConditionExpression: 'holder = :me',
          ExpressionAttributeValues: marshall({
            ':me': holder.incidentId,
            ':execution': holder.executionName,
            ':lease': leaseEnd.toISOString(),
            ':leaseEpoch': leaseEnd.getTime(),
            ':ttl': ttlAfter(leaseEnd.getTime()),
          }),
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    return update.written ? (unmarshallOrUndefined(update.output.Attributes) as LockItem | undefined) : undefined;
  }

  private async read<T>(pk: string): Promise<T | undefined> {
    const output = await awsCall(`dynamodb:GetItem ${this.tableName} ${pk}`, () =>
      this.client.send(new GetItemCommand({ TableName: this.tableName, Key: key(pk), ConsistentRead: true })),
    );
    return unmarshallOrUndefined(output.Item) as T | undefined;
  }

  /**
   * The items of `pks` that exist, by pk: strongly consistent BatchGetItems of at most 100 keys.
   * Keys DynamoDB leaves unprocessed (throttling) are read one by one, so the answer is always
   * complete. `what` names the keys in errors.
   */
  private async readMany(pks: readonly string[], what: string): Promise<Map<string, Record<string, unknown>>> {
    const items = new Map<string, Record<string, unknown>>();
    for (let start = 0; start < pks.length; start += BATCH_GET_MAX_KEYS) {
      const chunk = pks.slice(start, start + BATCH_GET_MAX_KEYS);
      const output = await awsCall(`dynamodb:BatchGetItem ${this.tableName} ${what}`, () =>
        this.client.send(new BatchGetItemCommand({ RequestItems: { [this.tableName]: { Keys: chunk.map(key), ConsistentRead: true } } })),
      );
      for (const attributes of output.Responses?.[this.tableName] ?? []) {
        const item = unmarshall(attributes);
        items.set(item.pk as string, item);
      }
      for (const unprocessed of output.UnprocessedKeys?.[this.tableName]?.Keys ?? []) {
        const pk = unmarshall(unprocessed).pk as string;
        const item = await this.read<Record<string, unknown>>(pk);
        if (item) items.set(pk, item);
      }
    }
    return items;
  }

  /**
   * Runs a conditional write through `awsCall`, answering a failed condition with the item that
   * failed it when the service returns one (`ReturnValuesOnConditionCheckFailure: ALL_OLD`).
   */
  private conditional<T>(call: string, send: () => Promise<T>): Promise<Conditional<T>> {
    return awsCall(call, async (): Promise<Conditional<T>> => {
      try {
        return { written: true, output: await send() };
      } catch (error) {
        // By name rather than instanceof: a bundle may hold two copies of the SDK's error classes.
        if ((error as Error | undefined)?.name !== 'ConditionalCheckFailedException') throw error;
        const item = (error as { Item?: Record<string, AttributeValue> }).Item;
        return { written: false, current: unmarshallOrUndefined(item) };
      }
    });
  }
}

/** The table's key attribute for `pk`. */
function key(pk: string): Record<string, AttributeValue> {
  return { pk: { S: pk } };
}

/** An item (or `Attributes`) as JS values: numbers as numbers, string sets as Sets, as the document client gave them. */
function unmarshallOrUndefined(attributes: Record<string, AttributeValue> | undefined): Record<string, unknown> | undefined {
  return attributes ? unmarshall(attributes) : undefined;
}

function cooldownAt(app: string, item: CooldownItem | undefined, now: Date): Cooldown | undefined {
  if (!item || item.untilEpoch <= now.getTime()) return undefined;
  return { app, incidentId: item.incidentId, failedAwayFrom: item.failedAwayFrom, until: item.until };
}

function heldLock(item: LockItem): HeldLock {
  return { incidentId: item.holder, executionName: item.executionName, acquiredAt: item.acquiredAt, leaseExpiresAt: item.leaseExpiresAt };
}

/** The TTL (epoch seconds) for an item whose lease or cooldown ends at `endEpochMs`. */
function ttlAfter(endEpochMs: number): number {
  return Math.ceil(endEpochMs / 1000) + TTL_MARGIN_SECONDS;
}
