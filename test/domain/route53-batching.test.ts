import { describe, expect, it } from '@jest/globals';
import { InvalidChangeError } from '../../src/domain/errors.js';
import { ROUTE53_BATCH_LIMITS, batchChanges, upsertCost, type ChangeGroup } from '../../src/domain/route53-batching.js';
import type { WeightedRecord } from '../../src/ports/dns.js';

function record(app: string, region: string, weight: number, values: string[] = ['192.0.2.1']): WeightedRecord {
  return { name: `www.${app}.example.com.`, type: 'A', setIdentifier: `${app}-${region}`, weight, ttl: 60, values };
}

/** An app's failover: its failing record to 0, its target to 100. */
function app(index: number, values?: string[]): ChangeGroup {
  const key = `app${String(index).padStart(4, '0')}`;
  return { key, records: [record(key, 'a', 0, values), record(key, 'b', 100, values)] };
}

describe('batching Route 53 changes', () => {
  it('puts everything in one request when it fits', () => {
    // act
    const batches = batchChanges('Z1', [app(1), app(2), app(3)]);

    // assert
    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject({ hostedZoneId: 'Z1', keys: ['app0001', 'app0002', 'app0003'], cost: { changes: 6, resourceRecords: 12, valueCharacters: 108 } });
  });

  it('holds each request to 100 Change elements', () => {
    // act: 100 apps, 2 changes each
    const batches = batchChanges('Z1', Array.from({ length: 100 }, (_, i) => app(i)));

    // assert
    expect(batches.map((b) => b.cost.changes)).toEqual([100, 100]);
  });

  it('holds each request to 1,000 ResourceRecord elements, an UPSERT counting twice', () => {
    // arrange: 10 values per record, so one app is 2 changes × 10 values × 2 = 40 records
    const values = Array.from({ length: 10 }, (_, i) => `192.0.2.${i}`);
    const groups = Array.from({ length: 30 }, (_, i) => app(i, values));

    // act
    const batches = batchChanges('Z1', groups);

    // assert: 25 apps (1,000 records) then 5
    expect(batches.map((b) => b.cost.resourceRecords)).toEqual([1000, 200]);
    expect(batches.map((b) => b.keys.length)).toEqual([25, 5]);
  });

  it('holds each request to 32,000 characters of values, an UPSERT counting twice', () => {
    // arrange: TXT-like values of 1,000 characters: one app is 2 × 1,000 × 2 = 4,000 characters
    const values = ['x'.repeat(1000)];
    const groups = Array.from({ length: 9 }, (_, i) => app(i, values));

    // act
    const batches = batchChanges('Z1', groups);

    // assert
    expect(batches.map((b) => b.cost.valueCharacters)).toEqual([32_000, 4_000]);
  });

  it('never splits one app between requests, and fills earlier requests first', () => {
    // arrange: a 3-change app after 49 2-change apps leaves a 98-change request with room for a 2-change app only
    const three: ChangeGroup = { key: 'app0049', records: [record('x', 'a', 0), record('x', 'b', 100), record('x', 'c', 0)] };
    const groups = [...Array.from({ length: 49 }, (_, i) => app(i)), three, app(50)];

    // act
    const batches = batchChanges('Z1', groups);

    // assert
    expect(batches.map((b) => b.keys.length)).toEqual([50, 1]);
    expect(batches[1]!.keys).toEqual(['app0049']);
    for (const batch of batches) expect(batch.cost.changes).toBeLessThanOrEqual(ROUTE53_BATCH_LIMITS.maxChanges);
  });

  it('counts alias records as changes without records or characters', () => {
    const alias: WeightedRecord = { name: 'www.example.com.', type: 'A', setIdentifier: 'a', weight: 0, alias: { hostedZoneId: 'Z2', dnsName: 'lb.example.net.', evaluateTargetHealth: true } };
    expect(upsertCost([alias])).toEqual({ changes: 1, resourceRecords: 0, valueCharacters: 0 });
  });

  it('gives the same batches whatever order the apps come in, and drops apps with nothing to change', () => {
    const groups = Array.from({ length: 120 }, (_, i) => app(i));
    const shuffled = [...groups].reverse();
    expect(batchChanges('Z1', [...shuffled, { key: 'idle', records: [] }])).toEqual(batchChanges('Z1', groups));
  });

  it('refuses an app whose own changes exceed one request', () => {
    const huge: ChangeGroup = { key: 'huge', records: [record('h', 'a', 0, ['y'.repeat(16_001)])] };
    expect(() => batchChanges('Z1', [huge])).toThrow(InvalidChangeError);
  });
});
