import type { SecretRef } from './notifier.js';

/** Where a gated run's approval stands. `timedOut`: the gate gave up waiting (the policy decided). */
export type ApprovalStatus = 'pending' | 'approved' | 'denied' | 'timedOut';

/** A decision a person can make. */
export type Decision = 'approve' | 'deny';

/**
 * One gated run's approval: what is being approved (for the message and the checks), the task
 * token the workflow waits on (never shown to anyone: Slack buttons carry the incident id), and
 * the decision once made. `delivered`: the decision reached Step Functions (or the gate closed).
 */
export interface Approval {
  incidentId: string;
  executionName: string;
  app: string;
  mode: 'failover' | 'drill';
  from: string;
  to: string;
  requestedAt: string;
  deadline: string;
  channel: string;
  webhook: SecretRef;
  signingSecret?: SecretRef;
  /** Slack user ids allowed to decide, as the app's configuration said when the gate opened. */
  approvers: string[];
  taskToken?: string;
  status: ApprovalStatus;
  delivered: boolean;
  decidedBy?: string;
  decidedAt?: string;
}

/** The store of pending and decided approvals (an item kind in the locks table). */
export interface Approvals {
  /** Records the approval unless it exists (a retried gate finds its own); returns what is stored. */
  open(approval: Omit<Approval, 'status' | 'delivered' | 'taskToken'>): Promise<Approval>;
  /** Attaches the token of the gate's current attempt (a retried attempt gets a new token). */
  attachToken(incidentId: string, taskToken: string): Promise<Approval>;
  get(incidentId: string): Promise<Approval | undefined>;
  /** Moves a pending approval to `status`; `won: false` when it was not pending any more (someone else decided, or it closed). */
  decide(incidentId: string, status: 'approved' | 'denied', actor: string, at: Date): Promise<{ won: boolean; current: Approval | undefined }>;
  /** Records that the decision reached the workflow. */
  markDelivered(incidentId: string): Promise<void>;
  /**
   * The gate gave up: a pending approval, or a decision that never reached the workflow, becomes
   * `timedOut`. `won: false` when a delivered decision was already there.
   */
  expire(incidentId: string, at: Date): Promise<{ won: boolean; current: Approval | undefined }>;
}

/** The answer Step Functions gave to a callback. `closed`: the task is no longer waiting (timed out, already answered, unknown token). */
export type CallbackResult = { sent: true } | { sent: false; reason: string };

/** Step Functions' callback pattern (SendTaskSuccess / SendTaskFailure). */
export interface TaskCallbacks {
  succeed(taskToken: string, output: unknown): Promise<CallbackResult>;
  fail(taskToken: string, error: string, cause: string): Promise<CallbackResult>;
}
