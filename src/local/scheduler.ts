import type { VirtualClock } from './virtual-clock.js';

/**
 * Cooperative virtual time for concurrent local work (the branches of a Parallel state).
 *
 * Work runs inside `run()`. A piece of work that would wait (a Retry interval) calls `sleep()`
 * instead. Time only moves when nothing is running: then the clock jumps to the earliest wake-up
 * and those sleepers resume. Two branches waiting 180 s and 120 s therefore take 180 s of virtual
 * time together, as they would on AWS, not 300 s. The idle check runs on `setImmediate`, after
 * every pending promise continuation, so a state machine moving between states (which the local
 * interpreter does in microtasks) is never mistaken for idleness.
 */
export class VirtualScheduler {
  private running = 0;
  private sleepers: { wakeAt: number; seq: number; wake: () => void }[] = [];
  private seq = 0;
  private checkQueued = false;

  constructor(private readonly clock: VirtualClock) {}

  async run<T>(work: () => Promise<T>): Promise<T> {
    this.running += 1;
    try {
      return await work();
    } finally {
      this.running -= 1;
      this.scheduleCheck();
    }
  }

  /** Waits `ms` of virtual time; only valid inside `run()`. */
  async sleep(ms: number): Promise<void> {
    if (ms <= 0) return;
    const wakeAt = this.clock.now().getTime() + ms;
    this.running -= 1;
    const woken = new Promise<void>((wake) => this.sleepers.push({ wakeAt, seq: this.seq++, wake }));
    this.scheduleCheck();
    await woken;
    this.running += 1;
  }

  private scheduleCheck(): void {
    if (this.checkQueued) return;
    this.checkQueued = true;
    setImmediate(() => {
      this.checkQueued = false;
      if (this.running > 0 || this.sleepers.length === 0) return;
      this.sleepers.sort((a, b) => a.wakeAt - b.wakeAt || a.seq - b.seq);
      const next = this.sleepers[0]!;
      this.clock.advanceTo(new Date(next.wakeAt));
      const due = this.sleepers.filter((s) => s.wakeAt <= next.wakeAt);
      this.sleepers = this.sleepers.filter((s) => s.wakeAt > next.wakeAt);
      for (const sleeper of due) sleeper.wake();
    });
  }
}
