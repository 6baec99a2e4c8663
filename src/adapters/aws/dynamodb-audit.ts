import { createHash } from 'node:crypto';
import { GetItemCommand, PutItemCommand, QueryCommand, type AttributeValue, type DynamoDBClient, type QueryCommandInput, type QueryCommandOutput } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { canonicalJson, chainRecord, receiptRecord, receiptsPartition, type ChainHead } from '../../domain/audit-chain.js';
import { ConflictError, ThrottledError } from '../../domain/errors.js';
import type { AuditEntry, AuditRecord, AuditTrail } from '../../ports/audit.js';
import { awsCall } from './errors.js';
import { TABLES } from './tables.js';

/*
 * The audit trail in the audit table (TABLES.audit): one partition per incident, one item per
 * record, sort key `seq`. Appending is read-the-last, chain, then a PutItem that only creates, so
 * a record is never overwritten and two writers never take the same number.
 *
 * Item format: `before`, `change` and `after` are stored as canonical JSON text in `beforeJson`,
 * `changeJson`, `afterJson`; every other field as a DynamoDB scalar under its own name. JSON text
 * round-trips exactly what was hashed, where native maps would not: DynamoDB numbers stop at 38
 * digits and 1E+126 (and unmarshalling refuses integers beyond 2^53 on the way back), maps nest
 * 32 levels deep at most, and map keys cannot be empty.
 *
 * The plain client with util-dynamodb's marshall/unmarshall, not lib-dynamodb's document client,
 * which refuses a client made with `cacheMiddleware`: the runtime shares one DynamoDB client.
 *
 * Reading the last record costs a Query per append, so the trail remembers the last record it
 * wrote or read of each recent incident (its chain head) and chains the next append onto that
 * without reading. The remembered head is a hint, never trusted: the PutItem only creates, so
 * if another writer (another Lambda) appended since, the write fails and the append reads the
 * real last record, as it would have without the hint. In one process appends to one incident
 * also queue behind each other instead of racing (the embedded runtime runs a workflow's parallel
 * branches side by side in one process; on Lambda a container runs one invocation at a time).
 */

// The record's fields are the table's keys; this fails to compile if the table spec changes.
const PARTITION_KEY: 'incidentId' = TABLES.audit.partitionKey.name;
const SORT_KEY: 'seq' = TABLES.audit.sortKey.name;

const PAYLOADS = ['before', 'change', 'after'] as const;
type PayloadField = (typeof PAYLOADS)[number];

/** DynamoDB's item size limit: attribute names plus values, in bytes. */
export const MAX_ITEM_BYTES = 400 * 1024;
/** What fitting aims for: the limit less room for the chain fields, added after fitting (~200 bytes). */
const ITEM_BUDGET_BYTES = MAX_ITEM_BYTES - 4 * 1024;
/** An `error` longer than this is clipped: error texts (Kubernetes bodies, stacks) can be huge. */
export const MAX_ERROR_BYTES = 16 * 1024;

const DEFAULT_MAX_ATTEMPTS = 10;
/** How many incidents' chain heads a trail remembers (the least recently used go first). */
const REMEMBERED_HEADS = 1_000;
const BACKOFF_BASE_MS = 10;
const BACKOFF_CAP_MS = 250;

/** What a `before` / `change` / `after` too big for the item is replaced with. */
export interface ClippedValue {
  note: string;
  /** Size of the value's canonical JSON, and its SHA-256, so whoever holds the original can match it. */
  originalBytes: number;
  originalSha256: string;
  /** The start of the value's canonical JSON (not parseable on its own). */
  clippedJson: string;
}

export interface DynamoDbAuditTrailOptions {
  client: DynamoDBClient;
  tableName: string;
  /**
   * Rounds of read-last-then-write per append before giving up with ConflictError (default 10).
   * Every lost round is another writer's successful append, so with n writers at once each
   * succeeds within n rounds: the default is certain for up to 10 concurrent writers of one
   * incident (the workflow has 2 branches), and in practice (jittered) holds well beyond.
   */
  maxAttempts?: number;
  /**
   * Waits after losing the race for a seq, before attempt `attempt + 1`. Default: full jitter up
   * to 10 ms × 2^attempt (at most 250 ms), so writers that collided do not collide again in step.
   */
  backoff?: (attempt: number) => Promise<void>;
}

const OPTION_NAMES = new Set<string>(['client', 'tableName', 'maxAttempts', 'backoff']);

/** The audit trail through the AWS SDK (port `AuditTrail`): append-only, hash-chained per incident. */
export class DynamoDbAuditTrail implements AuditTrail {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;
  private readonly maxAttempts: number;
  private readonly backoff: (attempt: number) => Promise<void>;
  /** Per incident, the last record this trail wrote or read: where the next append expects to chain. */
  private readonly heads = new Map<string, ChainHead>();
  /** Per incident, the end of this process's queue of appends. */
  private readonly appending = new Map<string, Promise<unknown>>();

  constructor(options: DynamoDbAuditTrailOptions) {
    const unknown = Object.keys(options).filter((name) => !OPTION_NAMES.has(name));
    if (unknown.length > 0) throw new RangeError(`DynamoDbAuditTrail: unknown option(s) ${unknown.join(', ')}`);
    if (!options.tableName) throw new RangeError('DynamoDbAuditTrail: tableName is required');
    const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    if (!Number.isSafeInteger(maxAttempts) || maxAttempts < 1) throw new RangeError(`DynamoDbAuditTrail: maxAttempts must be a positive integer, got ${maxAttempts}`);
    this.client = options.client;
    this.tableName = options.tableName;
    this.maxAttempts = maxAttempts;
    this.backoff = options.backoff ?? jitteredBackoff;
  }

  async record(entry: AuditEntry): Promise<void> {
    await this.append(entry);
  }

  /**
   * Appends `entry` as the incident's next record and returns it as stored (values as JSON gives
   * them back, oversized ones clipped; see {@link fitItem}). Losing the race for a seq to another
   * writer means reading the new last record and chaining onto it again.
   *
   * @throws ConflictError (retryable) after `maxAttempts` lost races.
   */
  async append(entry: AuditEntry): Promise<AuditRecord> {
    return this.inTurn(entry.incidentId, () => this.appendNow(entry));
  }

  private async appendNow(entry: AuditEntry): Promise<AuditRecord> {
    const fitted = fitItem(entry);
    // The remembered head first. Its refusal means another writer appended since, not a lost
    // race: the rounds below, which read the real last record, start without waiting.
    const head = this.heads.get(entry.incidentId);
    if (head) {
      const hinted = await this.chainOnto(head, fitted);
      if (hinted.stored) return hinted.record;
    }
    let record: AuditRecord | undefined;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      if (attempt > 1) await this.backoff(attempt - 1);
      const tried = await this.chainOnto(await this.last(entry.incidentId), fitted);
      if (tried.stored) return tried.record;
      record = tried.record;
    }
    throw new ConflictError(
      `audit trail of incident ${entry.incidentId}: lost the race for the next record ${this.maxAttempts} times (last tried seq ${record?.seq})`,
    );
  }

  /** Chains `fitted` onto `previous` and tries to create it; a stored record becomes the incident's head, a refused one forgets it. */
  private async chainOnto(previous: ChainHead | undefined, fitted: AuditEntry): Promise<{ record: AuditRecord; stored: boolean }> {
    const record = chainRecord(previous, fitted);
    const holder = await this.create(record);
    // The seq is taken. If by this very record, the SDK re-sent a PutItem that had succeeded
    // before its answer was lost; appending again would record the entry twice.
    const stored = holder === 'created' || (holder ?? (await this.get(record.incidentId, record.seq)))?.hash === record.hash;
    if (stored) this.remember(record);
    else this.heads.delete(record.incidentId);
    return { record, stored };
  }

  /** Runs `work` after every earlier append of this incident in this process has settled. */
  private inTurn<T>(incidentId: string, work: () => Promise<T>): Promise<T> {
    const before = this.appending.get(incidentId) ?? Promise.resolve();
    const turn = before.then(work, work);
    const settled = turn.then(
      () => undefined,
      () => undefined,
    );
    this.appending.set(incidentId, settled);
    void settled.then(() => {
      if (this.appending.get(incidentId) === settled) this.appending.delete(incidentId);
    });
    return turn;
  }

  /** Keeps `record` as its incident's chain head, the most recently used of at most REMEMBERED_HEADS. */
  private remember({ incidentId, seq, hash }: ChainHead): void {
    this.heads.delete(incidentId);
    this.heads.set(incidentId, { incidentId, seq, hash });
    if (this.heads.size > REMEMBERED_HEADS) this.heads.delete(this.heads.keys().next().value!);
  }

  /**
   * Keeps a receipt for one trigger delivery the incident absorbed. One item per delivery, keyed by
   * it: no race with other writers, and a redelivered invocation finds its receipt already there.
   */
  async acknowledge(entry: AuditEntry, deliveryId: string): Promise<void> {
    await this.create(receiptRecord(fitItem(entry), deliveryId));
  }

  /** The incident's receipts, in receipt-number order. */
  readReceipts(incidentId: string): Promise<AuditRecord[]> {
    return this.readPartition(receiptsPartition(incidentId));
  }

  /** Every record of the incident, in seq order, read strongly consistently across all pages. */
  async read(incidentId: string): Promise<AuditRecord[]> {
    const records = await this.readPartition(incidentId);
    const last = records.at(-1);
    if (last) this.remember(last);
    return records;
  }

  private async readPartition(incidentId: string): Promise<AuditRecord[]> {
    const records: AuditRecord[] = [];
    let startKey: QueryCommandInput['ExclusiveStartKey'];
    do {
      const page = await this.query(incidentId, { ExclusiveStartKey: startKey });
      for (const item of page.Items ?? []) records.push(fromItem(item));
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return records;
  }

  private async last(incidentId: string): Promise<AuditRecord | undefined> {
    const page = await this.query(incidentId, { ScanIndexForward: false, Limit: 1 });
    const item = page.Items?.[0];
    return item ? fromItem(item) : undefined;
  }

  private query(incidentId: string, input: Partial<QueryCommandInput>): Promise<QueryCommandOutput> {
    return dynamoCall(`dynamodb:Query ${this.tableName} ${incidentId}`, () =>
      this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': PARTITION_KEY },
          ExpressionAttributeValues: { ':pk': { S: incidentId } },
          ConsistentRead: true, // the last record must be the latest write, or we would chain onto a stale one
          ...input,
        }),
      ),
    );
  }

  private async get(incidentId: string, seq: number): Promise<AuditRecord | undefined> {
    const output = await dynamoCall(`dynamodb:GetItem ${this.tableName} ${incidentId} ${seq}`, () =>
      this.client.send(new GetItemCommand({ TableName: this.tableName, Key: { [PARTITION_KEY]: { S: incidentId }, [SORT_KEY]: { N: String(seq) } }, ConsistentRead: true })),
    );
    return output.Item ? fromItem(output.Item) : undefined;
  }

  /**
   * PutItem that only creates. When the key is taken: the item holding it, if the service returned
   * it (DynamoDB does with `ALL_OLD`; dynalite does not), else undefined.
   */
  private async create(record: AuditRecord): Promise<'created' | AuditRecord | undefined> {
    try {
      await dynamoCall(`dynamodb:PutItem ${this.tableName} ${record.incidentId} ${record.seq}`, () =>
        this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: marshall(toItem(record)),
            ConditionExpression: 'attribute_not_exists(#pk)',
            ExpressionAttributeNames: { '#pk': PARTITION_KEY },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        ),
      );
      return 'created';
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      const held = heldItem(error);
      return held ? fromItem(held) : undefined;
    }
  }
}

// ---- Fitting an entry into one item ------------------------------------------------------------

/**
 * The entry as the table will hold it: JSON data only (Dates as ISO strings, `undefined` dropped,
 * as `canonicalJson` does), `error` clipped to {@link MAX_ERROR_BYTES}, and `before` / `change` /
 * `after` replaced by a {@link ClippedValue} when together they would push the item over
 * DynamoDB's 400 KB. Room is shared fairly: values that fit their share are kept whole, the
 * biggest are clipped. The hash covers the stored (clipped) value. Huge `intent` or `step`
 * strings are not clipped: DynamoDB refuses the item (InvalidChangeError).
 */
export function fitItem(entry: AuditEntry): AuditEntry {
  const fitted = JSON.parse(canonicalJson(entry)) as AuditEntry & Record<string, unknown>;
  if (typeof fitted.error === 'string') fitted.error = clipText(fitted.error, MAX_ERROR_BYTES);

  const payloads = PAYLOADS.filter((name) => fitted[name] !== undefined)
    .map((name) => ({ name, json: canonicalJson(fitted[name]) }))
    .sort((a, b) => utf8Bytes(a.json) - utf8Bytes(b.json));
  let room = ITEM_BUDGET_BYTES;
  for (const [name, value] of Object.entries(fitted)) if (!isPayload(name)) room -= attributeBytes(name, value);
  payloads.forEach(({ name, json }, index) => {
    const share = Math.floor(room / (payloads.length - index)) - utf8Bytes(jsonAttribute(name));
    const value = utf8Bytes(json) <= share ? fitted[name] : clipValue(json, share);
    fitted[name] = value;
    room -= utf8Bytes(jsonAttribute(name)) + utf8Bytes(canonicalJson(value));
  });
  return fitted;
}

/** Roughly what the note's own fields take; the first guess at the room left for the text. */
const CLIP_OVERHEAD_BYTES = 256;

/** A note standing for `json`, whose own canonical JSON takes at most `maxBytes` (when possible). */
function clipValue(json: string, maxBytes: number): ClippedValue {
  const bytes = utf8Bytes(json);
  const note = (keep: number): ClippedValue => ({
    note: `clipped to fit DynamoDB's 400 KB item limit: ${bytes} bytes of canonical JSON`,
    originalBytes: bytes,
    originalSha256: createHash('sha256').update(json, 'utf8').digest('hex'),
    clippedJson: truncateUtf8(json, keep),
  });
  // The clipped text is stored as a JSON string, where quotes and backslashes gain an escape:
  // shrink by the overshoot until it fits.
  let keep = Math.max(0, maxBytes - CLIP_OVERHEAD_BYTES);
  let clipped = note(keep);
  for (let over = utf8Bytes(canonicalJson(clipped)) - maxBytes; over > 0 && keep > 0; over = utf8Bytes(canonicalJson(clipped)) - maxBytes) {
    keep = Math.max(0, keep - over);
    clipped = note(keep);
  }
  return clipped;
}

function clipText(text: string, maxBytes: number): string {
  const bytes = utf8Bytes(text);
  if (bytes <= maxBytes) return text;
  return `${truncateUtf8(text, maxBytes - 64)} … [clipped: ${bytes} bytes in all]`;
}

/** The longest prefix of `text` within `maxBytes` of UTF-8, never cutting a character in two. */
function truncateUtf8(text: string, maxBytes: number): string {
  const buffer = Buffer.from(text, 'utf8');
  if (buffer.length <= maxBytes) return text;
  let end = maxBytes;
  while (end > 0 && ((buffer[end] ?? 0) & 0xc0) === 0x80) end--; // 10xxxxxx: inside a character
  return buffer.subarray(0, end).toString('utf8');
}

/** An upper bound of an attribute's size as DynamoDB counts it (name + value). */
function attributeBytes(name: string, value: unknown): number {
  if (value === undefined) return 0;
  const size = typeof value === 'string' ? utf8Bytes(value) : typeof value === 'number' ? 21 : utf8Bytes(canonicalJson(value));
  return utf8Bytes(name) + size;
}

function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

// ---- Item codec --------------------------------------------------------------------------------

function isPayload(name: string): name is PayloadField {
  return (PAYLOADS as readonly string[]).includes(name);
}

function jsonAttribute(name: PayloadField): string {
  return `${name}Json`;
}

/** The attributes holding `before`, `change` and `after` as JSON text: what a projection must name. */
export const PAYLOAD_ATTRIBUTES: readonly string[] = PAYLOADS.map(jsonAttribute);

function toItem(record: AuditRecord): Record<string, unknown> {
  const item: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(record)) {
    if (value === undefined) continue;
    if (isPayload(name)) item[jsonAttribute(name)] = canonicalJson(value);
    else item[name] = value;
  }
  return item;
}

/**
 * A stored item as a record. Attributes we never write are kept, not dropped: whatever was added
 * to an item then fails its hash instead of passing unseen. Also reads a projection of an item.
 */
export function fromItem(item: Record<string, AttributeValue>): AuditRecord {
  const record: Record<string, unknown> = unmarshall(item);
  for (const name of PAYLOADS) {
    const attribute = jsonAttribute(name);
    if (!(attribute in record)) continue;
    record[name] = parseStored(record[attribute]);
    delete record[attribute];
  }
  return record as unknown as AuditRecord;
}

/** JSON text back to its value; anything else (an item edited by hand) as is, for the hash to catch. */
function parseStored(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return value;
  }
}

// ---- Errors and waiting --------------------------------------------------------------------------

function nameOf(error: unknown): unknown {
  return typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
}

/** The error and the one it wraps, if any: `awsCall` passes a lost conditional write through, but might some day wrap it. */
function errorAndCause(error: unknown): unknown[] {
  const cause = typeof error === 'object' && error !== null ? (error as { cause?: unknown }).cause : undefined;
  return [error, cause];
}

/** A lost conditional write. */
function isConditionFailure(error: unknown): boolean {
  return errorAndCause(error).some((candidate) => nameOf(candidate) === 'ConditionalCheckFailedException');
}

/** The item a lost conditional write met, when the service sent it back (`ALL_OLD`). */
function heldItem(error: unknown): Record<string, AttributeValue> | undefined {
  for (const candidate of errorAndCause(error)) {
    const item = typeof candidate === 'object' && candidate !== null ? (candidate as { Item?: unknown }).Item : undefined;
    if (typeof item === 'object' && item !== null) return item as Record<string, AttributeValue>;
  }
  return undefined;
}

/**
 * `awsCall`, plus DynamoDB's own throttling error, which `awsCall` does not know: the SDK marks
 * `ProvisionedThroughputExceededException` neither retryable nor a server fault.
 */
async function dynamoCall<T>(call: string, send: () => Promise<T>): Promise<T> {
  try {
    return await awsCall(call, send);
  } catch (error) {
    if (nameOf(error) !== 'ProvisionedThroughputExceededException') throw error;
    throw new ThrottledError(`${call} failed: ProvisionedThroughputExceededException: ${(error as Error).message}`, { cause: error });
  }
}

function jitteredBackoff(attempt: number): Promise<void> {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceiling));
}
