/*
 * A client-side rate limit on an injected clock. Route 53 allows five API requests per second per
 * account, across all its operations; going over is answered with Throttling ("Rate exceeded").
 * The evacuation steps spend from a bucket of that size and, when it is empty, stop and let the
 * state machine come back later instead of sleeping in a Lambda.
 */

/** Route 53's account-wide request rate (requests per second). */
export const ROUTE53_REQUESTS_PER_SECOND = 5;

/**
 * A token bucket: `capacity` tokens at most, `refillPerSecond` added back continuously. Time is
 * whatever the caller says it is (a virtual clock in tests and the embedded runtime), so it never
 * waits on its own.
 */
export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    readonly capacity: number,
    readonly refillPerSecond: number,
    now: Date,
    initial = capacity,
  ) {
    if (!(capacity > 0) || !(refillPerSecond > 0)) throw new RangeError(`a token bucket needs a positive capacity and refill rate (got ${capacity}, ${refillPerSecond})`);
    this.tokens = Math.min(capacity, Math.max(0, initial));
    this.updatedAt = now.getTime();
  }

  private refill(now: Date): void {
    const at = now.getTime();
    if (at > this.updatedAt) {
      this.tokens = Math.min(this.capacity, this.tokens + ((at - this.updatedAt) / 1000) * this.refillPerSecond);
      this.updatedAt = at;
    }
  }

  /** Whole tokens available at `now`. */
  available(now: Date): number {
    this.refill(now);
    return Math.floor(this.tokens + 1e-9);
  }

  /** Takes `count` tokens if there are that many at `now`; false (and nothing taken) otherwise. */
  tryTake(now: Date, count = 1): boolean {
    this.refill(now);
    if (this.tokens + 1e-9 < count) return false;
    this.tokens -= count;
    return true;
  }

  /** Milliseconds from `now` until `count` tokens are available (0 when they are). */
  msUntil(now: Date, count = 1): number {
    this.refill(now);
    const missing = count - this.tokens;
    return missing <= 1e-9 ? 0 : Math.ceil((missing / this.refillPerSecond) * 1000);
  }
}

/** What is left of a budget when a step hands over to the next one (carried in the workflow's state). */
export interface CarriedTokens {
  at: string;
  available: number;
}

/**
 * The Route 53 request budget of one Lambda invocation: what the previous step of the same
 * workflow left (`carried`, refilled for the time since), or a full bucket. A retry of the same
 * step comes back no sooner than a second later, by which time its own spending has refilled;
 * the hand-over covers the next step starting in the same second the previous one spent it.
 */
export function route53Budget(now: Date, requestsPerSecond = ROUTE53_REQUESTS_PER_SECOND, carried?: CarriedTokens): TokenBucket {
  if (!carried) return new TokenBucket(requestsPerSecond, requestsPerSecond, now);
  const elapsedSeconds = Math.max(0, (now.getTime() - Date.parse(carried.at)) / 1000);
  return new TokenBucket(requestsPerSecond, requestsPerSecond, now, carried.available + elapsedSeconds * requestsPerSecond);
}

/** The budget's state to hand to the next step. */
export function carryTokens(bucket: TokenBucket, now: Date): CarriedTokens {
  return { at: now.toISOString(), available: bucket.available(now) };
}
