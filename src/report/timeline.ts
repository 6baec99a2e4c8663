import type { AuditRecord } from '../ports/audit.js';
import type { RecordView, StepSpan, StepStatus } from './model.js';

/*
 * The steps of an incident as spans of time, from its audit records. A record is written at the
 * end of the invocation that did the work (`at`), which took `durationMs`. A step that waits
 * (AwaitRestore, AwaitTrafficSync) is invoked again and again by the state machine's Retry and
 * records once, when it converges; so a step's start is taken from the state machine instead: Step
 * Functions enters a state as soon as the one before it ends, and the one before it recorded when
 * it ended.
 */

/**
 * The states each step follows in statemachines/failover.asl.json (all of them, for the join after
 * the parallel branches). Only certain edges: after a failure the next state (CompensateTraffic,
 * NotifyFailed) may follow any of several, so those start at their own first record.
 */
export const PREDECESSORS: Readonly<Record<string, readonly string[]>> = {
  Preflight: ['AcquireLock'],
  // Through SettleTarget and the ApprovalGate Choice: when approval is required, the gate's steps
  // come between (see gatedPredecessors); otherwise NotifyStarted follows Preflight.
  OpenApproval: ['Preflight'],
  AwaitApproval: ['OpenApproval'],
  NotifyStarted: ['Preflight'],
  PromoteNodegroups: ['NotifyStarted'],
  StartRestore: ['NotifyStarted'],
  ScaleDeployments: ['PromoteNodegroups'],
  AwaitRestore: ['StartRestore'],
  ShiftTraffic: ['ScaleDeployments', 'AwaitRestore'],
  AwaitTrafficSync: ['ShiftTraffic'],
  Verify: ['AwaitTrafficSync'],
  NotifySucceeded: ['Verify'],
  ReleaseLock: ['NotifySucceeded'],
  ReleaseLockAfterFailure: ['NotifyFailed'],
};

/** A gated run enters NotifyStarted after the approval (or its timeout), not after Preflight. */
function gatedPredecessors(name: string, ends: ReadonlyMap<string, number>): readonly string[] | undefined {
  if (name !== 'NotifyStarted') return undefined;
  const gate = ['ApprovalTimedOut', 'AwaitApproval'].find((step) => ends.has(step));
  return gate ? [gate] : undefined;
}

/** The parallel branch (of the ASL's `Recover` state) each step runs in. */
export const BRANCHES: Readonly<Record<string, string>> = {
  PromoteNodegroups: 'promote',
  ScaleDeployments: 'promote',
  StartRestore: 'restore',
  AwaitRestore: 'restore',
};

const NOTIFY_EVENT = /the failover (started|succeeded|failed)$/;

/** The state machine's name for the step a record belongs to (records of all three Notify states say `Notify`). */
export function stateNameOf(record: AuditRecord, releasedAfterFailure: boolean): string {
  if (record.step === 'Notify') {
    const event = typeof record.intent === 'string' ? NOTIFY_EVENT.exec(record.intent)?.[1] : undefined;
    return event ? `Notify${event[0]!.toUpperCase()}${event.slice(1)}` : 'Notify';
  }
  if (record.step === 'ReleaseLock' && releasedAfterFailure) return 'ReleaseLockAfterFailure';
  return String(record.step);
}

function ms(iso: string): number {
  return Date.parse(iso);
}

function iso(time: number): string {
  return new Date(time).toISOString();
}

/** A record as the report shows it; a record with an unreadable time is left out of the timeline (and the chain check says why). */
export function recordView(record: AuditRecord): RecordView | undefined {
  const at = ms(record.at);
  if (!Number.isFinite(at)) return undefined;
  const durationMs = typeof record.durationMs === 'number' && Number.isFinite(record.durationMs) && record.durationMs >= 0 ? record.durationMs : 0;
  const view: RecordView = {
    seq: record.seq,
    at: iso(at),
    start: iso(at - durationMs),
    durationMs,
    step: String(record.step),
    actor: String(record.actor),
    intent: String(record.intent),
    outcome: record.outcome,
  };
  if (record.before !== undefined) view.before = record.before;
  if (record.change !== undefined) view.change = record.change;
  if (record.after !== undefined) view.after = record.after;
  if (record.error !== undefined) view.error = String(record.error);
  return view;
}

function statusOf(outcome: AuditRecord['outcome']): StepStatus {
  if (outcome === 'Failed') return 'failed';
  if (outcome === 'Refused' || outcome === 'Collapsed') return 'refused';
  if (outcome === 'Compensated') return 'compensated';
  return 'ok';
}

/** One span per state of the workflow, in the order the states first recorded. */
export function stepSpans(records: readonly AuditRecord[]): StepSpan[] {
  const releasedAfterFailure = records.some((r) => r.step === 'ReleaseLock' && typeof r.intent === 'string' && /\(failed\)$/.test(r.intent));
  const groups = new Map<string, { recordedStep: string; views: RecordView[] }>();
  for (const record of [...records].sort((a, b) => a.seq - b.seq)) {
    const view = recordView(record);
    if (!view) continue;
    const name = stateNameOf(record, releasedAfterFailure);
    const group = groups.get(name) ?? { recordedStep: view.step, views: [] };
    group.views.push(view);
    groups.set(name, group);
  }

  const ends = new Map<string, number>();
  for (const [name, group] of groups) ends.set(name, Math.max(...group.views.map((v) => ms(v.at))));

  const spans = [...groups].map(([name, { recordedStep, views }]): StepSpan => {
    const ownStart = Math.min(...views.map((v) => ms(v.start)));
    const end = ends.get(name)!;
    const predecessors = gatedPredecessors(name, ends) ?? PREDECESSORS[name] ?? [];
    const known = predecessors.map((p) => ends.get(p)).filter((t): t is number => t !== undefined);
    // Only when every predecessor recorded its end: a silent one may have ended later.
    const entered = predecessors.length > 0 && known.length === predecessors.length ? Math.max(...known) : undefined;
    const startInferred = entered !== undefined && entered < ownStart;
    const start = startInferred ? entered : ownStart;
    // The last record says how the step ended (Preflight may refuse one candidate, then pass the next).
    const last = views.at(-1)!;
    return {
      name,
      recordedStep,
      branch: BRANCHES[name] ?? null,
      start: iso(start),
      end: iso(end),
      durationMs: end - start,
      startInferred,
      status: statusOf(last.outcome),
      outcome: last.outcome,
      records: views,
    };
  });
  return keepBranchesTogether(spans);
}

/** First-recorded order, except that each parallel branch's steps follow one another (its records interleave with the other branch's). */
function keepBranchesTogether(spans: StepSpan[]): StepSpan[] {
  const ordered: StepSpan[] = [];
  for (const span of spans) {
    if (ordered.includes(span)) continue;
    if (span.branch === null) ordered.push(span);
    else ordered.push(...spans.filter((s) => s.branch === span.branch));
  }
  return ordered;
}
