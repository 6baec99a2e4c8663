/** Exit codes scripts can rely on. */
export const EXIT = {
  /** Done: valid config, a failover that succeeded, an alarm correctly ignored. */
  ok: 0,
  /** The run happened and failed or was refused (the world is in a safe state; see the output). */
  failed: 1,
  /** Bad input: invalid configuration, malformed event, unknown app or option. */
  invalidInput: 2,
} as const;
