import { describe, expect, it } from '@jest/globals';
import type { HealthChecks, HealthObservation } from '../../src/ports/dns.js';
import { cachedHealthChecks, HEALTH_STATUS_FAILURE_TTL_MS, HEALTH_STATUS_TTL_MS } from '../../src/triggers/cached-health-checks.js';

/** A Route 53 stand-in that counts its reads and answers what `status` says at the time of each read. */
function countingHealthChecks(status: Record<string, boolean | Error>) {
  const reads: string[] = [];
  const inner: HealthChecks = {
    async observe(healthCheckId) {
      reads.push(healthCheckId);
      const answer = status[healthCheckId];
      if (answer instanceof Error) throw answer;
      return [{ checkerRegion: 'us-east-1', healthy: answer === true, report: answer ? 'Success: HTTP 200' : 'Failure: timeout' } satisfies HealthObservation];
    },
  };
  return { inner, reads };
}

function settableClock(start = Date.parse('2026-12-05T03:00:00Z')) {
  let now = start;
  return { clock: { now: () => new Date(now) }, advance: (ms: number) => (now += ms) };
}

describe('health-check status as the triggers read it', () => {
  it('reads a health check once within the TTL, however many deliveries ask', async () => {
    // arrange
    const { inner, reads } = countingHealthChecks({ a: true });
    const { clock, advance } = settableClock();
    const cached = cachedHealthChecks(inner, clock);

    // act
    await cached.observe('a');
    advance(HEALTH_STATUS_TTL_MS - 1);
    const again = await cached.observe('a');

    // assert
    expect(reads).toEqual(['a']);
    expect(again[0]!.healthy).toBe(true);
  });

  it('reads it again once the TTL has passed, and sees a status that changed meanwhile', async () => {
    const status: Record<string, boolean> = { a: true };
    const { inner, reads } = countingHealthChecks(status);
    const { clock, advance } = settableClock();
    const cached = cachedHealthChecks(inner, clock);

    await cached.observe('a');
    status.a = false;
    advance(HEALTH_STATUS_TTL_MS);
    const after = await cached.observe('a');

    expect(reads).toEqual(['a', 'a']);
    expect(after[0]!.healthy).toBe(false);
  });

  it('lets concurrent deliveries share one request per health check', async () => {
    const { inner, reads } = countingHealthChecks({ a: true, b: false });
    const cached = cachedHealthChecks(inner, settableClock().clock);

    const answers = await Promise.all([cached.observe('a'), cached.observe('b'), cached.observe('a'), cached.observe('b')]);

    expect(reads).toEqual(['a', 'b']);
    expect(answers.map((a) => a[0]!.healthy)).toEqual([true, false, true, false]);
  });

  it('holds a failed read (throttled) for a second, so a storm does not re-ask a throttled Route 53 on every delivery', async () => {
    // arrange
    const status: Record<string, boolean | Error> = { a: Object.assign(new Error('Rate exceeded'), { name: 'ThrottledError' }) };
    const { inner, reads } = countingHealthChecks(status);
    const { clock, advance } = settableClock();
    const cached = cachedHealthChecks(inner, clock);

    // act
    await expect(cached.observe('a')).rejects.toThrow('Rate exceeded');
    status.a = true;
    advance(HEALTH_STATUS_FAILURE_TTL_MS - 1);
    const stillFailing = cached.observe('a');
    await expect(stillFailing).rejects.toThrow('Rate exceeded');
    advance(1);
    const retried = await cached.observe('a');

    // assert
    expect(reads).toEqual(['a', 'a']);
    expect(retried[0]!.healthy).toBe(true);
  });

  it('keeps a good reading for the full TTL after a failed one was replaced', async () => {
    const status: Record<string, boolean | Error> = { a: new Error('Rate exceeded') };
    const { inner, reads } = countingHealthChecks(status);
    const { clock, advance } = settableClock();
    const cached = cachedHealthChecks(inner, clock);

    await expect(cached.observe('a')).rejects.toThrow();
    status.a = true;
    advance(HEALTH_STATUS_FAILURE_TTL_MS);
    await cached.observe('a');
    advance(HEALTH_STATUS_TTL_MS - 1);
    await cached.observe('a');

    expect(reads).toEqual(['a', 'a']);
  });

  it('reads again when the clock went back (a reading from the future is not trusted)', async () => {
    const { inner, reads } = countingHealthChecks({ a: true });
    const { clock, advance } = settableClock();
    const cached = cachedHealthChecks(inner, clock);

    await cached.observe('a');
    advance(-1);
    await cached.observe('a');

    expect(reads).toEqual(['a', 'a']);
  });
});
