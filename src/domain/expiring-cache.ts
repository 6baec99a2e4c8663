import type { Clock } from '../ports/clock.js';

/**
 * Promises kept per key for `ttlMs` of the injected clock's time: concurrent callers share the
 * pending one, a rejected one is forgotten at once (the next caller tries again), and an entry
 * "from the future" (the clock was moved back, as the embedded runtime's virtual clock can be) is
 * made again rather than trusted.
 */
export class ExpiringPromiseCache<T> {
  private readonly entries = new Map<string, { at: number; value: Promise<T> }>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlMs: number,
  ) {}

  /** The kept promise for `key`, or a new one from `make`, kept from now. */
  get(key: string, make: () => Promise<T>): Promise<T> {
    const now = this.clock.now().getTime();
    const kept = this.entries.get(key);
    if (kept && now >= kept.at && now - kept.at < this.ttlMs) return kept.value;
    const entry = { at: now, value: make() };
    this.entries.set(key, entry);
    entry.value.catch(() => {
      if (this.entries.get(key) === entry) this.entries.delete(key);
    });
    return entry.value;
  }

  /** Forgets `key`, so the next `get` makes it again. */
  delete(key: string): void {
    this.entries.delete(key);
  }
}
