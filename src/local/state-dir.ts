import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * The embedded default's state on disk (`.lifeboat/` in the working directory, git-ignored): the
 * dynalite tables (audit trails, locks, idempotency records) and the virtual time the last
 * simulation reached, so that later commands (`lifeboat audit --local`) see earlier incidents.
 */
export class StateDir {
  readonly root: string;

  constructor(root = process.env.LIFEBOAT_STATE_DIR || '.lifeboat') {
    this.root = resolve(root);
  }

  get dynamoPath(): string {
    return join(this.root, 'dynalite');
  }

  reset(): void {
    rmSync(this.root, { recursive: true, force: true });
  }

  /**
   * Where the next simulation's clock starts: a day after the last one ended (so its cooldowns are
   * over and its incidents get new ids), or the fixed default for a fresh world.
   */
  nextStart(defaultStart: string): string {
    try {
      const { lastVirtualTime } = JSON.parse(readFileSync(join(this.root, 'world.json'), 'utf8')) as { lastVirtualTime?: string };
      const last = lastVirtualTime ? Date.parse(lastVirtualTime) : NaN;
      if (Number.isFinite(last)) return new Date(Math.max(Date.parse(defaultStart), last + 24 * 3600_000)).toISOString();
    } catch {
      // no earlier simulation
    }
    return defaultStart;
  }

  recordEnd(virtualTime: Date): void {
    mkdirSync(this.root, { recursive: true });
    writeFileSync(join(this.root, 'world.json'), `${JSON.stringify({ lastVirtualTime: virtualTime.toISOString() }, null, 2)}\n`);
  }
}
