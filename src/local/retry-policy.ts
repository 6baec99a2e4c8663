import type { AslRetrier } from './asl.js';

/**
 * Mirrors Step Functions' Retry rules for one state, so the local runner knows how long AWS would
 * have waited before the next attempt: the first retrier whose ErrorEquals matches decides (a
 * later one is never consulted, even when the first is exhausted); the wait is
 * IntervalSeconds × BackoffRate^attempt, capped by MaxDelaySeconds; with `JitterStrategy: FULL`, a
 * random share of that ("a random number between 0 and the computed backoff"). The jitter matters:
 * without it, failovers throttled by the same Route 53 at the same moment all retry at the same
 * moment again, a thundering herd AWS would not produce. It is drawn from `random`, which the
 * runner seeds from the execution, state and input, so virtual time stays reproducible.
 */
export class RetryPolicy {
  private attempts: number[];

  constructor(
    private readonly retriers: readonly AslRetrier[],
    private readonly random: () => number = () => 1,
  ) {
    this.attempts = retriers.map(() => 0);
  }

  /** Milliseconds before the next attempt, or undefined when the error will not be retried. */
  nextDelayMs(errorName: string): number | undefined {
    const index = this.retriers.findIndex((r) => r.ErrorEquals.some((name) => name === errorName || name === 'States.ALL' || name === 'States.TaskFailed'));
    if (index < 0) return undefined;
    const retrier = this.retriers[index]!;
    const attempt = this.attempts[index]!;
    if (attempt >= (retrier.MaxAttempts ?? 3)) return undefined;
    this.attempts[index] = attempt + 1;
    const seconds = Math.min((retrier.IntervalSeconds ?? 1) * Math.pow(retrier.BackoffRate ?? 2, attempt), retrier.MaxDelaySeconds ?? Infinity);
    const share = retrier.JitterStrategy === 'FULL' ? this.random() : 1;
    return Math.round(seconds * share * 1000);
  }

  reset(): void {
    this.attempts = this.retriers.map(() => 0);
  }
}

/**
 * A deterministic generator in [0, 1) from a string (FNV-1a hash as the seed of mulberry32): the
 * same execution, state and input always draw the same jitter. The hash waits for the first draw:
 * most Task invocations never retry.
 */
export function seededRandom(seed: string): () => number {
  let state: number | undefined;
  return () => {
    if (state === undefined) {
      state = 0x811c9dc5;
      for (let i = 0; i < seed.length; i += 1) state = Math.imul(state ^ seed.charCodeAt(i), 0x01000193) >>> 0;
    }
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
