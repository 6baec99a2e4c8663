import { describe, expect, it } from '@jest/globals';
import { newestCompletedBackup } from '../../src/domain/backups.js';
import { InvariantViolatedError, ResourceNotFoundError } from '../../src/domain/errors.js';
import { healthVerdict } from '../../src/domain/health.js';
import { alarmExecutionName, manualExecutionName, nodegroupToken, restoreName } from '../../src/domain/names.js';
import { promotedReplicas, promotedScaling } from '../../src/domain/scaling.js';
import { planWeights } from '../../src/domain/weights.js';
import type { WeightedRecord } from '../../src/ports/dns.js';

const record = (setIdentifier: string, weight: number): WeightedRecord => ({ name: 'api.example.com.', type: 'A', setIdentifier, weight, ttl: 60, values: ['192.0.2.1'] });

describe('weight planning', () => {
  it('moves the failing region to 0 and the target to the active weight in one plan', () => {
    const plan = planWeights([record('east', 100), record('west', 0)], 'east', 'west', 100);
    expect(plan.changes.map((r) => [r.setIdentifier, r.weight])).toEqual([['east', 0], ['west', 100]]);
    expect(plan.before).toEqual({ east: 100, west: 0 });
    expect(plan.after).toEqual({ east: 0, west: 100 });
    expect(plan.changes[0]).toMatchObject({ ttl: 60, values: ['192.0.2.1'] });
  });

  it('plans nothing when the weights already converged', () => {
    expect(planWeights([record('east', 0), record('west', 100)], 'east', 'west', 100).changes).toEqual([]);
  });

  it('leaves the records of other regions alone', () => {
    const plan = planWeights([record('east', 100), record('west', 0), record('central', 50)], 'east', 'west', 100);
    expect(plan.changes.map((r) => r.setIdentifier)).toEqual(['east', 'west']);
    expect(plan.after.central).toBe(50);
  });

  it('refuses a plan that would leave every weighted record at weight 0', () => {
    expect(() => planWeights([record('east', 100), record('west', 0)], 'east', 'west', 0)).toThrow(InvariantViolatedError);
  });

  it('refuses to plan when a record is missing', () => {
    expect(() => planWeights([record('east', 100)], 'east', 'west', 100)).toThrow(ResourceNotFoundError);
  });
});

describe('health verdicts', () => {
  const observations = (healthy: number, total: number) =>
    Array.from({ length: total }, (_, i) => ({ checkerRegion: `r${i}`, healthy: i < healthy, report: '' }));
  it.each([
    [8, 8, true],
    [2, 8, true], // 25% > 18%
    [1, 8, false], // 12.5%
    [0, 0, false],
  ])('%i of %i healthy checkers → healthy=%s (Route 53 rule: more than 18%)', (healthy, total, expected) => {
    expect(healthVerdict(observations(healthy, total)).healthy).toBe(expected);
  });
});

describe('backup choice', () => {
  const now = new Date('2026-01-01T12:00:00Z');
  it('takes the newest Completed backup and ignores newer partial ones', () => {
    const choice = newestCompletedBackup(
      [
        { name: 'old', phase: 'Completed', completedAt: new Date('2026-01-01T10:00:00Z') },
        { name: 'new', phase: 'Completed', completedAt: new Date('2026-01-01T11:40:00Z') },
        { name: 'partial', phase: 'PartiallyFailed', completedAt: new Date('2026-01-01T11:55:00Z') },
        { name: 'running', phase: 'InProgress' },
      ],
      now,
    );
    expect(choice).toEqual({ name: 'new', completedAt: '2026-01-01T11:40:00.000Z', ageMinutes: 20 });
  });
  it('finds nothing when no backup completed', () => {
    expect(newestCompletedBackup([{ name: 'x', phase: 'Failed' }], now)).toBeUndefined();
  });
});

describe('promotion sizes', () => {
  it('grows a node group to the promoted size but never shrinks what an autoscaler added', () => {
    expect(promotedScaling({ minSize: 0, desiredSize: 1, maxSize: 12 }, { minSize: 3, desiredSize: 6, maxSize: 12 })).toEqual({ minSize: 3, desiredSize: 6, maxSize: 12 });
    expect(promotedScaling({ minSize: 3, desiredSize: 9, maxSize: 20 }, { minSize: 3, desiredSize: 6, maxSize: 12 })).toEqual({ minSize: 3, desiredSize: 9, maxSize: 20 });
    expect(promotedReplicas(8, 6)).toBe(8);
    expect(promotedReplicas(1, 6)).toBe(6);
  });
});

describe('deterministic names', () => {
  it('derives the same execution name from the same alarm transition, and a different one otherwise', () => {
    const a = alarmExecutionName('payments-use1-api-5xx', '2026-03-01T12:34:56.789+00:00');
    expect(a).toBe(alarmExecutionName('payments-use1-api-5xx', '2026-03-01T12:34:56.789Z'));
    expect(a).not.toBe(alarmExecutionName('payments-use1-api-5xx', '2026-03-01T12:35:56.789Z'));
    expect(a).toMatch(/^alarm-payments-use1-api-5xx-20260301T123456Z-[0-9a-f]{10}$/);
  });

  it('keeps execution names within Step Functions rules, even for hostile alarm names', () => {
    const name = alarmExecutionName(`${'x'.repeat(250)} <script>/"'`, '2026-03-01T12:34:56Z');
    expect(name.length).toBeLessThanOrEqual(80);
    expect(name).toMatch(/^[A-Za-z0-9_-]+$/);
    const truncatedTwin = alarmExecutionName(`${'x'.repeat(250)} other`, '2026-03-01T12:34:56Z');
    expect(truncatedTwin).not.toBe(name);
  });

  it('gives DNS-1123 restore names and stable tokens', () => {
    expect(restoreName('alarm-X-20260301T123456Z-abc', 'payments')).toMatch(/^lifeboat-payments-[0-9a-f]{12}$/);
    const sizes = { minSize: 3, desiredSize: 6, maxSize: 12 };
    expect(nodegroupToken('i', 'c', 'n', sizes)).toBe(nodegroupToken('i', 'c', 'n', sizes));
    expect(manualExecutionName('drill', 'payments', 'us-west-2', 'r1')).toMatch(/^drill-payments-us-west-2-[0-9a-f]{10}$/);
  });
});
