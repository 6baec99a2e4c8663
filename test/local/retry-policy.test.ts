import { describe, expect, it } from '@jest/globals';
import { RetryPolicy, seededRandom } from '../../src/local/retry-policy.js';

const throttled = { ErrorEquals: ['ThrottledError'], IntervalSeconds: 2, MaxAttempts: 6, BackoffRate: 2, MaxDelaySeconds: 30 };
const delays = (policy: RetryPolicy) => Array.from({ length: 7 }, () => policy.nextDelayMs('ThrottledError'));

describe('the local runner\'s Retry delays', () => {
  it('without jitter: IntervalSeconds × BackoffRate^attempt, capped by MaxDelaySeconds, then no more attempts', () => {
    expect(delays(new RetryPolicy([throttled], seededRandom('x')))).toEqual([2000, 4000, 8000, 16000, 30000, 30000, undefined]);
  });

  it('with JitterStrategy FULL: a share of that backoff, the same for the same seed, different for another', () => {
    const backoff = [2000, 4000, 8000, 16000, 30000, 30000];
    const jittered = (seed: string) => delays(new RetryPolicy([{ ...throttled, JitterStrategy: 'FULL' }], seededRandom(seed)));
    const a = jittered('exec-a|ShiftTraffic');
    expect(a.at(-1)).toBeUndefined();
    a.slice(0, 6).forEach((delay, i) => {
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(backoff[i]!);
    });
    expect(a.slice(0, 6)).not.toEqual(backoff);
    expect(jittered('exec-a|ShiftTraffic')).toEqual(a);
    expect(jittered('exec-b|ShiftTraffic')).not.toEqual(a);
  });

  it('draws evenly: the mean share over many seeds is about a half', () => {
    const shares = Array.from({ length: 2000 }, (_, i) => seededRandom(`seed-${i}`)());
    const mean = shares.reduce((sum, share) => sum + share, 0) / shares.length;
    expect(Math.min(...shares)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...shares)).toBeLessThan(1);
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });
});
