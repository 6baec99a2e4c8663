import type { Clock } from '../ports/clock.js';

/**
 * Promises kept per key for `ttlMs` of the injected clock's time: concurrent callers share the
 * pending one, a rejected one is kept only `failureTtlMs` (0 by default: the next caller tries
 * again at once), and an entry "from the future" (the clock was moved back, as the embedded
 * runtime's virtual clock can be) is made again rather than trusted.
 */
export class ExpiringPromiseCache<T> {
  private readonly entries = new Map<string, { at: number; ttlMs: number; value: Promise<T> }>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
    private readonly failureTtlMs = 0,
  ) {}

  /** The kept promise for `key`, or a new one from `make`, kept from now. */
  get(key: string, make: () => Promise<T>): Promise<T> {
    const now = this.clock.now().getTime();
    const kept = this.entries.get(key);
    if (kept && now >= kept.at && now - kept.at < kept.ttlMs) return kept.value;
    const entry = { at: now, ttlMs: this.ttlMs, value: make() };
    this.entries.set(key, entry);
    entry.value.catch(() => {
      if (this.entries.get(key) !== entry) return;
      if (this.failureTtlMs > 0) entry.ttlMs = this.failureTtlMs;
      else this.entries.delete(key);
    });
    return entry.value;
  }

  /** Forgets `key`, so the next `get` makes it again. */
  delete(key: string): void {
    this.entries.delete(key);
  }
}
