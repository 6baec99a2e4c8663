import type { AslRetrier } from './asl.js';

/**
 * Mirrors Step Functions' Retry rules for one state, so the local runner knows how long AWS would
 * have waited before the next attempt: the first retrier whose ErrorEquals matches decides (a
 * later one is never consulted, even when the first is exhausted); the wait is
 * IntervalSeconds × BackoffRate^attempt, capped by MaxDelaySeconds. Jitter is left out on purpose:
 * virtual time should be reproducible.
 */
export class RetryPolicy {
  private attempts: number[];

  constructor(private readonly retriers: readonly AslRetrier[]) {
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
    const seconds = (retrier.IntervalSeconds ?? 1) * Math.pow(retrier.BackoffRate ?? 2, attempt);
    return Math.min(seconds, retrier.MaxDelaySeconds ?? Infinity) * 1000;
  }

  reset(): void {
    this.attempts = this.retriers.map(() => 0);
  }
}
