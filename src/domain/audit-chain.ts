import { createHash } from 'node:crypto';
import type { AuditEntry, AuditRecord } from '../ports/audit.js';

/*
 * The hash chain of an incident's audit trail. Each record carries the SHA-256 of its own content
 * and the hash of the record before it, so editing, deleting, reordering or replacing a stored
 * record shows up when the chain is walked again. Pure: the storage adapter chains and stores,
 * anyone holding the records can verify them.
 *
 * Limit: a chain alone cannot show that its newest records were cut off (the remaining prefix is a
 * valid chain). Detecting truncation needs the last hash kept somewhere else (a notification, the
 * execution's output).
 */

/** The `prevHash` of an incident's first record. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * JSON with the keys of every object sorted (by UTF-16 code units, as RFC 8785 does) and no
 * whitespace. It keeps exactly what `JSON.stringify` keeps: `toJSON` is honoured (a Date becomes
 * its ISO string), `undefined`, functions and symbols are dropped from objects and become `null`
 * in arrays, non-finite numbers become `null`, `-0` becomes `0`. So a value and its JSON round
 * trip (through DynamoDB, a log, a file) have the same canonical form, and so the same hash.
 *
 * @throws TypeError for a BigInt, a circular structure, or a top-level value JSON cannot hold
 *   (`undefined`, a function, a symbol).
 */
export function canonicalJson(value: unknown): string {
  const text = write(value, '', new Set());
  if (text === undefined) throw new TypeError(`canonicalJson: ${typeof value} cannot be represented in JSON`);
  return text;
}

/** One value as JSON, or `undefined` where JSON.stringify would omit it. */
function write(input: unknown, key: string, ancestors: Set<object>): string | undefined {
  let value = input;
  if (typeof value === 'object' && value !== null && typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    value = (value as { toJSON(key: string): unknown }).toJSON(key);
  }
  // Boxed primitives serialise as their primitive, as JSON.stringify does.
  if (value instanceof Number || value instanceof String || value instanceof Boolean) value = value.valueOf();

  switch (typeof value) {
    case 'string':
      return JSON.stringify(value); // escapes lone surrogates, so the text is always valid UTF-8
    case 'number':
      return Number.isFinite(value) ? JSON.stringify(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      throw new TypeError('canonicalJson: a BigInt cannot be represented in JSON');
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
  }
  if (value === null) return 'null';

  const object = value as object;
  if (ancestors.has(object)) throw new TypeError('canonicalJson: circular structure');
  ancestors.add(object);
  try {
    if (Array.isArray(object)) {
      return `[${object.map((item, index) => write(item, String(index), ancestors) ?? 'null').join(',')}]`;
    }
    const record = object as Record<string, unknown>;
    const members: string[] = [];
    for (const name of Object.keys(record).sort()) {
      const text = write(record[name], name, ancestors);
      if (text !== undefined) members.push(`${JSON.stringify(name)}:${text}`);
    }
    return `{${members.join(',')}}`;
  } finally {
    ancestors.delete(object);
  }
}

/** The SHA-256 (hex) of a record's canonical JSON, every field but `hash` included. */
export function hashRecord(record: Omit<AuditRecord, 'hash'> & { hash?: string }): string {
  const { hash: _ignored, ...content } = record;
  return createHash('sha256').update(canonicalJson(content), 'utf8').digest('hex');
}

/** What chaining onto a record needs of it: the rest of the record is sealed in its hash. */
export type ChainHead = Pick<AuditRecord, 'incidentId' | 'seq' | 'hash'>;

/**
 * The record that follows `previous` (or starts the chain when there is none): numbered
 * `previous.seq + 1` (or 1), linked by `prevHash`, sealed by `hash`. The record shares the
 * entry's nested values; changing them afterwards breaks its hash.
 *
 * @throws RangeError when `previous` belongs to another incident: chains never cross incidents.
 */
export function chainRecord(previous: ChainHead | undefined, entry: AuditEntry): AuditRecord {
  if (previous && previous.incidentId !== entry.incidentId) {
    throw new RangeError(`cannot chain an entry of incident ${entry.incidentId} after a record of incident ${previous.incidentId}`);
  }
  // An entry may arrive with chain fields of its own (a record re-recorded); the chain sets them.
  const { seq: _seq, prevHash: _prevHash, hash: _hash, ...fields } = entry as AuditEntry & Partial<AuditRecord>;
  const unsealed = { ...fields, seq: previous ? previous.seq + 1 : 1, prevHash: previous ? previous.hash : GENESIS_HASH };
  return { ...unsealed, hash: hashRecord(unsealed) };
}

/** Where and why a chain is broken; `seq` names the record (for a deletion, the missing one). */
export interface ChainBreak {
  seq: number;
  reason: string;
}

/**
 * Walks an incident's records and lists every break; an empty list means the chain is intact.
 * Finds: a record whose content no longer matches its hash (edited); a missing number, including
 * a first record that is not 1 (deleted); records given out of seq order, or whose `prevHash` is
 * not the hash of the record before (reordered or replaced); the same number twice; and a record
 * of another incident.
 *
 * @param incidentId the incident the records must belong to; by default the first record's.
 */
export function verifyChain(records: readonly AuditRecord[], incidentId = records[0]?.incidentId): ChainBreak[] {
  const breaks: ChainBreak[] = [];
  const own: AuditRecord[] = [];
  for (const record of records) {
    if (record.incidentId !== incidentId) {
      breaks.push({ seq: record.seq, reason: `record ${record.seq}: belongs to incident ${record.incidentId}, not ${incidentId} (foreign)` });
    } else if (!Number.isSafeInteger(record.seq) || record.seq < 1) {
      breaks.push({ seq: record.seq, reason: `record ${String(record.seq)}: seq is not a positive integer` });
    } else {
      own.push(record);
    }
  }

  // Order as given: the trail is read in seq order, so a step back means someone reordered it.
  own.forEach((record, index) => {
    const before = own[index - 1];
    if (before && record.seq < before.seq) {
      breaks.push({ seq: record.seq, reason: `record ${record.seq}: comes after record ${before.seq} (reordered)` });
    }
  });

  // Content and links, in seq order.
  let previous: AuditRecord | undefined;
  for (const record of [...own].sort((a, b) => a.seq - b.seq)) {
    if (hashRecord(record) !== record.hash) {
      breaks.push({ seq: record.seq, reason: `record ${record.seq}: content does not match its hash (edited)` });
    }
    if (previous && record.seq === previous.seq) {
      breaks.push({ seq: record.seq, reason: `record ${record.seq}: appears more than once (duplicated or replaced)` });
      continue;
    }
    const expected = previous ? previous.seq + 1 : 1;
    for (let missing = expected; missing < record.seq; missing++) {
      breaks.push({ seq: missing, reason: `record ${missing} missing (deleted)` });
    }
    // After a gap the link points at the deleted record: the deletion is the break, already named.
    if (record.seq === expected) {
      const expectedHash = previous ? previous.hash : GENESIS_HASH;
      if (record.prevHash !== expectedHash) {
        const what = previous ? `record ${previous.seq}` : 'the genesis hash';
        breaks.push({ seq: record.seq, reason: `record ${record.seq}: prevHash does not match ${what} (reordered or replaced)` });
      }
    }
    previous = record;
  }
  // Stable sort: breaks of one record keep the order they were found in.
  return breaks.sort((a, b) => a.seq - b.seq);
}

// ---- Receipts: acknowledged trigger deliveries -------------------------------------------------

/** Receipts of an incident live beside its chain, under their own partition. */
export function receiptsPartition(incidentId: string): string {
  return `${incidentId}#receipts`;
}

/**
 * A receipt for one delivery of a trigger: numbered by a hash of the delivery id (so a redelivered
 * invocation writes the same receipt, and concurrent ones never compete for a number) and hashed
 * over its content like a chain record (prevHash "receipt": receipts are not chained to each other).
 */
export function receiptRecord(entry: AuditEntry, deliveryId: string): AuditRecord {
  const seq = Number.parseInt(createHash('sha256').update(deliveryId).digest('hex').slice(0, 12), 16);
  const { seq: _s, prevHash: _p, hash: _h, ...fields } = entry as AuditEntry & Partial<AuditRecord>;
  const unhashed = { ...fields, incidentId: receiptsPartition(entry.incidentId), seq, prevHash: 'receipt' };
  return { ...unhashed, hash: hashRecord(unhashed) };
}

/** What a seal record keeps of the receipts it covers: each receipt's number and hash, and totals. */
export function sealOf(receipts: readonly AuditRecord[]): { count: number; byOutcome: Record<string, number>; receipts: [number, string][] } {
  const byOutcome: Record<string, number> = {};
  for (const receipt of receipts) byOutcome[receipt.outcome] = (byOutcome[receipt.outcome] ?? 0) + 1;
  return { count: receipts.length, byOutcome, receipts: [...receipts].sort((a, b) => a.seq - b.seq).map((r) => [r.seq, r.hash]) };
}

/**
 * Checks receipts against themselves (an edited receipt no longer matches its hash) and against the
 * seals in the chain (a sealed receipt that is missing or changed is a break). Receipts that arrived
 * after the last seal (triggers suppressed during the cooldown) are not breaks: `unsealed` counts them.
 */
export function verifyReceipts(chain: readonly AuditRecord[], receipts: readonly AuditRecord[]): { breaks: ChainBreak[]; unsealed: number } {
  const breaks: ChainBreak[] = [];
  const stored = new Map(receipts.map((r) => [r.seq, r]));
  for (const receipt of receipts) {
    if (hashRecord(receipt) !== receipt.hash) breaks.push({ seq: receipt.seq, reason: `receipt ${receipt.seq}: content does not match its hash (edited)` });
  }
  const sealed = new Set<number>();
  for (const seal of chain.filter((r) => r.outcome === 'Sealed')) {
    const listed = ((seal.after as { receipts?: [number, string][] } | undefined)?.receipts ?? []);
    for (const [seq, hash] of listed) {
      sealed.add(seq);
      const receipt = stored.get(seq);
      if (!receipt) breaks.push({ seq: seal.seq, reason: `record ${seal.seq}: sealed receipt ${seq} is missing (deleted)` });
      else if (receipt.hash !== hash) breaks.push({ seq: seal.seq, reason: `record ${seal.seq}: sealed receipt ${seq} was replaced` });
    }
  }
  return { breaks, unsealed: receipts.filter((r) => !sealed.has(r.seq)).length };
}
