import { describe, expect, it } from '@jest/globals';
import { TokenBucket, carryTokens, route53Budget } from '../../src/domain/rate-limit.js';

const at = (ms: number) => new Date(Date.UTC(2026, 0, 1) + ms);

describe('the token bucket', () => {
  it('gives out its capacity at once, then nothing until time passes', () => {
    // arrange
    const bucket = new TokenBucket(5, 5, at(0));

    // act
    const taken = Array.from({ length: 6 }, () => bucket.tryTake(at(0)));

    // assert
    expect(taken).toEqual([true, true, true, true, true, false]);
    expect(bucket.available(at(0))).toBe(0);
  });

  it('refills at its rate and never beyond its capacity', () => {
    // arrange
    const bucket = new TokenBucket(5, 5, at(0), 0);

    // act / assert
    expect(bucket.available(at(199))).toBe(0);
    expect(bucket.available(at(200))).toBe(1);
    expect(bucket.available(at(1000))).toBe(5);
    expect(bucket.available(at(60_000))).toBe(5);
  });

  it('says how long until the next token, and takes nothing when it refuses', () => {
    // arrange
    const bucket = new TokenBucket(5, 5, at(0), 0.5);

    // act / assert
    expect(bucket.tryTake(at(0))).toBe(false);
    expect(bucket.msUntil(at(0))).toBe(100);
    expect(bucket.tryTake(at(100))).toBe(true);
    expect(bucket.msUntil(at(100), 5)).toBe(1000);
  });

  it('holds Route 53 to five requests in any one second', () => {
    // arrange
    const bucket = route53Budget(at(0));
    let granted = 0;

    // act: someone asks every 10 ms for three seconds
    for (let ms = 0; ms < 3000; ms += 10) if (bucket.tryTake(at(ms))) granted += 1;

    // assert: the first burst of 5, then 5 per second
    expect(granted).toBeLessThanOrEqual(5 + 3 * 5);
    expect(granted).toBeGreaterThanOrEqual(5 + 2 * 5);
  });

  it('refuses a bucket that could never give anything', () => {
    expect(() => new TokenBucket(0, 5, at(0))).toThrow(RangeError);
    expect(() => new TokenBucket(5, 0, at(0))).toThrow(RangeError);
  });
});

describe('the Route 53 budget handed from step to step', () => {
  it('starts where the previous step left it, refilled for the time since', () => {
    // arrange: the previous step spent 4 of 5 tokens at t=0
    const previous = route53Budget(at(0));
    for (let i = 0; i < 4; i += 1) previous.tryTake(at(0));
    const carried = carryTokens(previous, at(0));

    // act / assert
    expect(route53Budget(at(0), 5, carried).available(at(0))).toBe(1);
    expect(route53Budget(at(400), 5, carried).available(at(400))).toBe(3);
    expect(route53Budget(at(5000), 5, carried).available(at(5000))).toBe(5);
  });
});
