import { createHash } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { GENESIS_HASH, canonicalJson, chainRecord, hashRecord, verifyChain } from '../../src/domain/audit-chain.js';
import type { AuditEntry, AuditRecord } from '../../src/ports/audit.js';

function entry(n: number, overrides: Partial<AuditEntry> = {}): AuditEntry {
  return {
    incidentId: 'inc-1',
    step: `Step${n}`,
    actor: 'alarm:payments-use1-api-5xx',
    intent: `step ${n} of the failover`,
    outcome: 'Converged',
    before: { weights: { 'payments-us-east-1': 100, 'payments-us-west-2': 0 } },
    after: { weights: { 'payments-us-east-1': 0, 'payments-us-west-2': 100 } },
    at: new Date(Date.UTC(2026, 2, 1, 12, 0, n)).toISOString(),
    ...overrides,
  };
}

/** A chain of `count` records of incident inc-1. */
function chain(count: number, incidentId = 'inc-1'): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (let n = 1; n <= count; n++) records.push(chainRecord(records.at(-1), entry(n, { incidentId })));
  return records;
}

describe('canonicalJson', () => {
  it('sorts keys at every depth and leaves no whitespace', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: 'x' } })).toBe('{"a":{"c":"x","d":[3,{"y":2,"z":1}]},"b":1}');
  });

  it('gives the same text whatever order the keys were written in', () => {
    const one = { outcome: 'Converged', before: { b: [1, 2], a: null }, seq: 3 };
    const other = { seq: 3, before: { a: null, b: [1, 2] }, outcome: 'Converged' };
    expect(canonicalJson(one)).toBe(canonicalJson(other));
  });

  it('sorts integer-like keys as strings, not in the order JavaScript enumerates them', () => {
    expect(canonicalJson({ 10: 'a', 2: 'b', x: 'c' })).toBe('{"10":"a","2":"b","x":"c"}');
  });

  it('drops undefined fields and writes undefined array items as null, as JSON does', () => {
    expect(canonicalJson({ a: undefined, b: [undefined, 1], c: () => 1 })).toBe('{"b":[null,1]}');
  });

  it('writes Dates as ISO strings and non-finite numbers as null', () => {
    expect(canonicalJson({ at: new Date('2026-03-01T12:00:00Z'), n: [Number.NaN, Infinity, -0, 1.5e-7] })).toBe(
      '{"at":"2026-03-01T12:00:00.000Z","n":[null,null,0,1.5e-7]}',
    );
  });

  it.each([
    ['nested arrays and objects', { a: [[1, [2, { b: [] }]], {}], c: { d: { e: { f: 'deep' } } } }],
    ['numbers', { small: 0.1, big: 2 ** 60, negative: -42.5, tiny: 5e-324, huge: 1.7976931348623157e308 }],
    ['unicode', { emoji: '🚨 failover', accents: 'région', rtl: 'שלום', lone: '\ud800', control: '\u0000\n' }],
  ])('gives the same text after a JSON round trip: %s', (_what, value) => {
    const text = canonicalJson(value);
    expect(canonicalJson(JSON.parse(text))).toBe(text);
  });

  it('refuses what JSON cannot hold', () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    expect(() => canonicalJson(circular)).toThrow(TypeError);
    expect(() => canonicalJson({ n: 1n })).toThrow(TypeError);
    expect(() => canonicalJson(undefined)).toThrow(TypeError);
  });

  it('accepts the same object twice when it is not its own ancestor', () => {
    const shared = { a: 1 };
    expect(canonicalJson({ x: shared, y: [shared] })).toBe('{"x":{"a":1},"y":[{"a":1}]}');
  });
});

describe('chainRecord', () => {
  it('starts a chain at seq 1, linked to the genesis hash', () => {
    const first = chainRecord(undefined, entry(1));
    expect(first).toMatchObject({ ...entry(1), seq: 1, prevHash: GENESIS_HASH });
    expect(GENESIS_HASH).toMatch(/^0{64}$/);
  });

  it('numbers each record after the previous one and links it by the previous hash', () => {
    const [first, second, third] = chain(3) as [AuditRecord, AuditRecord, AuditRecord];
    expect([second.seq, second.prevHash]).toEqual([2, first.hash]);
    expect([third.seq, third.prevHash]).toEqual([3, second.hash]);
  });

  it('seals a record with the SHA-256 of the canonical JSON of every other field', () => {
    const record = chainRecord(undefined, entry(1));
    const { hash, ...content } = record;
    expect(hash).toBe(createHash('sha256').update(canonicalJson(content)).digest('hex'));
    expect(hashRecord(record)).toBe(hash);
  });

  it('hashes an entry the same whatever the order of its keys', () => {
    const reversed = Object.fromEntries(Object.entries(entry(1)).reverse()) as unknown as AuditEntry;
    expect(chainRecord(undefined, reversed).hash).toBe(chainRecord(undefined, entry(1)).hash);
  });

  it('sets the chain fields itself, whatever the entry carries', () => {
    const stale = { ...entry(1), seq: 99, prevHash: 'x', hash: 'y' } as AuditEntry;
    expect(chainRecord(undefined, stale)).toMatchObject({ seq: 1, prevHash: GENESIS_HASH });
  });

  it('refuses to chain an entry after a record of another incident', () => {
    const [other] = chain(1, 'inc-2') as [AuditRecord];
    expect(() => chainRecord(other, entry(2))).toThrow(/incident inc-1 after a record of incident inc-2/);
  });
});

describe('verifyChain', () => {
  it('finds an intact chain of 50 records intact', () => {
    expect(verifyChain(chain(50))).toEqual([]);
  });

  it('finds an empty trail intact', () => {
    expect(verifyChain([])).toEqual([]);
  });

  it('reports an edited record by its seq', () => {
    const records = chain(5);
    records[2] = { ...records[2]!, outcome: 'AlreadyConverged' };
    expect(verifyChain(records)).toEqual([{ seq: 3, reason: 'record 3: content does not match its hash (edited)' }]);
  });

  it('reports an edit deep inside before/after', () => {
    const records = chain(5);
    records[1] = { ...records[1]!, after: { weights: { 'payments-us-east-1': 100, 'payments-us-west-2': 0 } } };
    expect(verifyChain(records)).toEqual([{ seq: 2, reason: 'record 2: content does not match its hash (edited)' }]);
  });

  it('reports an edited record whose hash was recomputed at the record after it', () => {
    const records = chain(5);
    const forged = { ...records[2]!, intent: 'nothing to see here' };
    records[2] = { ...forged, hash: hashRecord(forged) };
    expect(verifyChain(records)).toEqual([{ seq: 4, reason: 'record 4: prevHash does not match record 3 (reordered or replaced)' }]);
  });

  it('reports a deleted record', () => {
    const records = chain(5);
    records.splice(3, 1);
    expect(verifyChain(records)).toEqual([{ seq: 4, reason: 'record 4 missing (deleted)' }]);
  });

  it('reports every record of a deleted run', () => {
    const records = chain(6);
    records.splice(1, 3);
    expect(verifyChain(records).map((b) => b.reason)).toEqual(['record 2 missing (deleted)', 'record 3 missing (deleted)', 'record 4 missing (deleted)']);
  });

  it('reports a deleted first record', () => {
    expect(verifyChain(chain(3).slice(1))).toEqual([{ seq: 1, reason: 'record 1 missing (deleted)' }]);
  });

  it('reports a first record that does not start from the genesis hash', () => {
    const records = chain(2);
    const forged = { ...records[0]!, prevHash: 'f'.repeat(64) };
    records[0] = { ...forged, hash: hashRecord(forged) };
    expect(verifyChain(records)).toEqual([
      { seq: 1, reason: 'record 1: prevHash does not match the genesis hash (reordered or replaced)' },
      { seq: 2, reason: 'record 2: prevHash does not match record 1 (reordered or replaced)' },
    ]);
  });

  it('reports records given out of seq order', () => {
    const [r1, r2, r3, r4] = chain(4) as AuditRecord[];
    expect(verifyChain([r1!, r3!, r2!, r4!])).toEqual([{ seq: 2, reason: 'record 2: comes after record 3 (reordered)' }]);
  });

  it('reports two records whose seq numbers were swapped (each re-sealed) as reordered', () => {
    const records = chain(5);
    const reseal = (record: AuditRecord, seq: number): AuditRecord => {
      const moved = { ...record, seq };
      return { ...moved, hash: hashRecord(moved) };
    };
    const [r2, r3] = [records[1]!, records[2]!];
    records[1] = reseal(r3, 2);
    records[2] = reseal(r2, 3);
    expect(verifyChain(records)).toEqual([
      { seq: 2, reason: 'record 2: prevHash does not match record 1 (reordered or replaced)' },
      { seq: 3, reason: 'record 3: prevHash does not match record 2 (reordered or replaced)' },
      { seq: 4, reason: 'record 4: prevHash does not match record 3 (reordered or replaced)' },
    ]);
  });

  it('reports a record that appears twice', () => {
    const records = chain(3);
    const duplicate = chainRecord(records[0], entry(9));
    expect(verifyChain([records[0]!, records[1]!, duplicate, records[2]!])).toEqual([
      { seq: 2, reason: 'record 2: appears more than once (duplicated or replaced)' },
    ]);
  });

  it('reports a record of another incident, and only that one', () => {
    const records = chain(4);
    const [, foreign] = chain(2, 'inc-2') as AuditRecord[];
    records.splice(2, 0, foreign!);
    expect(verifyChain(records)).toEqual([{ seq: 2, reason: 'record 2: belongs to incident inc-2, not inc-1 (foreign)' }]);
  });

  it('checks against the incident it is told, not only the first record', () => {
    expect(verifyChain(chain(2, 'inc-2'), 'inc-1').map((b) => b.reason)).toEqual([
      'record 1: belongs to incident inc-2, not inc-1 (foreign)',
      'record 2: belongs to incident inc-2, not inc-1 (foreign)',
    ]);
  });

  it('reports a field added to a stored record as an edit', () => {
    const records = chain(3);
    records[0] = { ...records[0]!, approvedBy: 'someone' } as AuditRecord;
    expect(verifyChain(records)).toEqual([{ seq: 1, reason: 'record 1: content does not match its hash (edited)' }]);
  });
});
