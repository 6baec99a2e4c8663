import type { Clock } from '../ports/clock.js';

/**
 * Virtual time for the embedded runtime and tests. Fakes read `now()` to decide whether
 * asynchronous work (a Route 53 change, a node group update, a restore) has finished; the local
 * state machine runner advances it instead of sleeping, so a five-minute failover runs in
 * milliseconds and still reports five minutes.
 */
export class VirtualClock implements Clock {
  private epochMs: number;

  constructor(start: Date | string = '2026-01-01T00:00:00.000Z') {
    this.epochMs = new Date(start).getTime();
  }

  now(): Date {
    return new Date(this.epochMs);
  }

  /** Moves time forward; never backwards. */
  advance(ms: number): void {
    if (!(ms >= 0)) throw new RangeError(`cannot advance a clock by ${ms} ms`);
    this.epochMs += ms;
  }

  advanceSeconds(seconds: number): void {
    this.advance(seconds * 1000);
  }

  /** Sets the time, if it is not before the current time. */
  advanceTo(at: Date): void {
    this.epochMs = Math.max(this.epochMs, at.getTime());
  }
}
