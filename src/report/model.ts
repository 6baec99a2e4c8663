import type { AuditRecord } from '../ports/audit.js';

/*
 * The drill report: what an incident's audit trail proves, measured against the app's targets.
 * Every time and every duration here comes from the records of the trail; the only inputs that
 * do not are the targets (the app's policy) and the moment the report was generated.
 */

/** How the incident ended: done; stopped before changing anything; traffic moved back; failed otherwise; or still open. */
export type DrillOutcome = 'succeeded' | 'compensated' | 'refused' | 'failed' | 'incomplete';

/** How a step ended, as its last record says. */
export type StepStatus = 'ok' | 'failed' | 'refused' | 'compensated';

/** One record of the trail, as the report shows it: when it happened, what it observed and changed. */
export interface RecordView {
  seq: number;
  at: string;
  /** `at − durationMs`: when the invocation that wrote the record started. */
  start: string;
  durationMs: number;
  step: string;
  actor: string;
  intent: string;
  outcome: AuditRecord['outcome'];
  before?: unknown;
  change?: unknown;
  after?: unknown;
  error?: string;
}

/** One step of the workflow (one bar of the timeline), built from its records. */
export interface StepSpan {
  /** The state machine's name for it (`NotifyStarted`, not the records' `Notify`). */
  name: string;
  /** The `step` its records carry. */
  recordedStep: string;
  /** The parallel branch it ran in (`restore`, `promote`), when it ran in one. */
  branch: string | null;
  /**
   * When it began: the end of the step the state machine ran before it (Step Functions moves on at
   * once; retries and waits happen inside the step), or its first record's start when that is earlier
   * or when the predecessor left no record.
   */
  start: string;
  /** Its last record's time. */
  end: string;
  durationMs: number;
  /** Whether `start` comes from the preceding step's last record rather than from one of its own. */
  startInferred: boolean;
  status: StepStatus;
  /** Its last record's outcome. */
  outcome: AuditRecord['outcome'];
  records: RecordView[];
}

/** A measured duration against its target. */
export interface Measure {
  seconds: number | null;
  targetSeconds: number | null;
  /** `null` when either side is unknown. */
  met: boolean | null;
  /** The instants it was measured between (ISO), when both are known. */
  from: string | null;
  to: string | null;
  /** How it was measured, in words, naming the records used. */
  basis: string;
}

/** Where the trigger time comes from, most precise first. */
export type TriggerSource = 'recorded' | 'incident-id' | 'first-record';

export interface ChainStatus {
  intact: boolean;
  records: number;
  lastHash: string | null;
  breaks: { seq: number; reason: string }[];
  receipts: { count: number; unsealed: number };
}

export interface DrillReport {
  incidentId: string;
  generatedAt: string;
  app: string | null;
  mode: 'failover' | 'drill' | null;
  from: string | null;
  to: string | null;
  actor: string | null;
  outcome: DrillOutcome;
  /** Why, in one sentence, naming the record that decided it. */
  outcomeReason: string;
  trigger: { at: string; source: TriggerSource } | null;
  rto: Measure;
  rpo: Measure & { backup: string | null; backupCompletedAt: string | null; restore: string | null };
  /**
   * The targets measured against, and where they came from: the trail (the policy in force during
   * the incident), the configuration as it is now, or nowhere. `rtoDefaulted`: the policy names no
   * RTO, so the default applies.
   */
  targets: { rpoMinutes: number | null; rtoMinutes: number | null; rtoDefaulted: boolean; source: 'trail' | 'config' | 'none' };
  steps: StepSpan[];
  /** First and last instants of the timeline (trigger included). */
  window: { start: string; end: string } | null;
  chain: ChainStatus;
  /** Weights before and after, as ShiftTraffic (and CompensateTraffic) recorded them. */
  weights: { before: Record<string, number> | null; shifted: Record<string, number> | null; final: Record<string, number> | null };
}

/** The app's targets: `rtoMinutes` may be missing from older policies (default 30). */
export interface Targets {
  rpoMinutes?: number;
  rtoMinutes?: number;
}

/** What `buildDrillReport` reads. */
export interface DrillReportInput {
  incidentId: string;
  records: readonly AuditRecord[];
  /** The chain's verification (`verifyChain` and `verifyReceipts`), computed by the caller. */
  verification: { breaks: readonly { seq: number; reason: string }[]; receipts?: { count: number; unsealed: number } };
  /** The app's targets from the configuration; a policy recorded in the trail takes precedence. */
  targets?: Targets;
  generatedAt: Date;
}
