import { rfc3339 } from './k8s-status.js';

/** How restores created from now on end (the stand-in's stand-in for what is in the backup). */
export interface RestoreOutcome {
  phase: 'Completed' | 'PartiallyFailed' | 'Failed';
  errors?: number;
  warnings?: number;
  failureReason?: string;
}

/** Everything that decides a restore's status over time, fixed when it is created. */
export interface RestorePlan {
  createdAt: Date;
  /** Velero's validation result; non-empty means FailedValidation. */
  validationErrors: string[];
  outcome: RestoreOutcome;
  restoreSeconds: number;
}

/** `status` of a velero.io/v1 Restore, with Velero's field names; zero counts are omitted as Velero's JSON does. */
export interface RestoreStatus {
  phase: string;
  validationErrors?: string[];
  startTimestamp?: string;
  completionTimestamp?: string;
  warnings?: number;
  errors?: number;
  failureReason?: string;
}

/** Velero's controller picks a new Restore up from its work queue about this long after creation. */
export const PICKUP_SECONDS = 1;
/** Velero ≥ 1.12 spends a moment in Finalizing / FinalizingPartiallyFailed before the final phase. */
const FINALIZING_SECONDS = 1;

/** Checks an outcome makes sense the way Velero reports it: PartiallyFailed means errors > 0, Completed means none. */
export function normaliseOutcome(outcome: RestoreOutcome): RestoreOutcome {
  if (outcome.phase === 'Completed' && (outcome.errors ?? 0) > 0) {
    throw new RangeError('a Completed restore has no errors; Velero reports errors > 0 as PartiallyFailed');
  }
  if (outcome.phase === 'PartiallyFailed') return { ...outcome, errors: Math.max(1, outcome.errors ?? 1) };
  if (outcome.phase === 'Failed') return { ...outcome, failureReason: outcome.failureReason ?? 'error downloading backup: stand-in failure' };
  return outcome;
}

function at(plan: RestorePlan, seconds: number): Date {
  return new Date(plan.createdAt.getTime() + seconds * 1000);
}

function positive(value: number | undefined): number | undefined {
  return value ? value : undefined;
}

/**
 * The status Velero would have written by `now`: `New` until the controller picks the restore
 * up; then `FailedValidation` (final) if validation failed; else `InProgress`, a second of
 * `Finalizing…`, and at `restoreSeconds` the outcome with its counts and completion time.
 */
export function restoreStatusAt(plan: RestorePlan, now: Date): RestoreStatus {
  const elapsed = (now.getTime() - plan.createdAt.getTime()) / 1000;
  // Real Velero leaves status empty until its controller picks the restore up; showing New at
  // once is a simplification (readers must treat '' and New alike anyway).
  if (elapsed < PICKUP_SECONDS) return { phase: 'New' };
  if (plan.validationErrors.length > 0) return { phase: 'FailedValidation', validationErrors: [...plan.validationErrors] };

  const started = { startTimestamp: rfc3339(at(plan, PICKUP_SECONDS)) };
  const done = Math.max(plan.restoreSeconds, PICKUP_SECONDS);
  const { outcome } = plan;
  if (elapsed < done) {
    const finalizing = outcome.phase !== 'Failed' && done - FINALIZING_SECONDS > PICKUP_SECONDS && elapsed >= done - FINALIZING_SECONDS;
    if (!finalizing) return { phase: 'InProgress', ...started };
    return { phase: outcome.phase === 'PartiallyFailed' ? 'FinalizingPartiallyFailed' : 'Finalizing', ...started };
  }
  return {
    phase: outcome.phase,
    ...started,
    completionTimestamp: rfc3339(at(plan, done)),
    warnings: positive(outcome.warnings),
    errors: positive(outcome.errors),
    ...(outcome.phase === 'Failed' ? { failureReason: outcome.failureReason } : {}),
  };
}
