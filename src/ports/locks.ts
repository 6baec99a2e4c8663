/** Who holds an app's failover lock. */
export interface LockHolder {
  incidentId: string;
  executionName: string;
}

export interface HeldLock extends LockHolder {
  acquiredAt: string; // ISO-8601
  leaseExpiresAt: string; // ISO-8601; after it, anyone may take the lock over
}

/** `renewed`: the holder already held it (a repeat of the same incident), as opposed to taking a free lock. */
export type AcquireResult = { acquired: true; renewed: boolean; lock: HeldLock } | { acquired: false; heldBy: HeldLock };

/** A completed failover's quiet period, during which automatic failovers of the app are suppressed. */
export interface Cooldown {
  app: string;
  incidentId: string;
  /** The region the app failed away from: automatic failover never moves it back (failback is manual). */
  failedAwayFrom: string;
  until: string; // ISO-8601
}

/** What a trigger reads about an app before deciding: all of it at once, strongly consistent. */
export interface AppLockState {
  /** As `activeRegion`: undefined before the app's first completed failover. */
  activeRegion?: string;
  /** As `current`: the lock whose lease is still running at `now`. */
  lock?: HeldLock;
  /** As `cooldown`: the cooldown in force at `now`. */
  cooldown?: Cooldown;
}

/** The answer to "may this app fail over away from the region automatically, within the blast-radius limit?" */
export type BlastRadiusClaim = { granted: true; apps: string[] } | { granted: false; apps: string[]; windowEndsAt: string };

/**
 * One failover per application at a time, and the cooldown after it. Every write is a single-item
 * conditional write (no transactions), so it works the same on DynamoDB and dynalite.
 */
export interface Locks {
  /**
   * Takes the app's lock for `holder` until `now + leaseSeconds`. Succeeds when the lock is free,
   * its lease has expired, or `holder` already holds it (then the lease is renewed): idempotent.
   */
  acquire(app: string, holder: LockHolder, leaseSeconds: number, now: Date): Promise<AcquireResult>;
  /** Releases the lock if `incidentId` holds it; releasing a lock one does not hold changes nothing. */
  release(app: string, incidentId: string): Promise<void>;
  current(app: string, now: Date): Promise<HeldLock | undefined>;
  /** Starts (or replaces with a later one) the app's cooldown. */
  startCooldown(cooldown: Cooldown): Promise<void>;
  /** The cooldown in force at `now`, if any. */
  cooldown(app: string, now: Date): Promise<Cooldown | undefined>;
  /**
   * Marks that the team was told about suppressions during this cooldown; true only for the first
   * caller, so the notification goes out once however many alarms arrive.
   */
  markCooldownNotified(app: string, incidentId: string): Promise<boolean>;
  /** The region serving the app since its last completed failover; undefined before any. */
  activeRegion(app: string): Promise<string | undefined>;
  /** `activeRegion` of each app, read in as few round trips as the store allows (apps without one map to undefined). */
  activeRegions(apps: readonly string[]): Promise<Map<string, string | undefined>>;
  /**
   * `activeRegion`, `current` and `cooldown` in one strongly consistent read (one round trip where
   * the store allows it): what the alarm trigger needs for every transition of a configured alarm.
   */
  state(app: string, now: Date): Promise<AppLockState>;
  /** Records where the app's traffic went at the end of a failover. */
  setActiveRegion(app: string, region: string, incidentId: string, at: Date): Promise<void>;
  /**
   * Counts `app` among the apps failing over away from `region` in the window that is open (or
   * opens one at `now`), unless `limit` apps other than it are counted already. Atomic: concurrent
   * claims never grant more than `limit`. Claiming again for a counted app is granted.
   */
  claimBlastRadius(region: string, app: string, limit: number, windowSeconds: number, now: Date): Promise<BlastRadiusClaim>;
  /** True for the first caller with this key only (within a day): a notice that must go out once. */
  once(key: string, now: Date): Promise<boolean>;
}
