import type { AuditRecord } from '../ports/audit.js';
import { incidentContext } from './context.js';
import type { ChainStatus, DrillOutcome, DrillReport, DrillReportInput, Measure, Targets } from './model.js';
import { stepSpans } from './timeline.js';

/** The RTO target when the policy names none (the configuration's default). */
export const DEFAULT_RTO_MINUTES = 30;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function weightsOf(value: unknown): Record<string, number> | null {
  if (!isObject(value)) return null;
  const entries = Object.entries(value).filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1]));
  return entries.length > 0 ? Object.fromEntries(entries) : null;
}

function time(iso: string | undefined): number | undefined {
  if (iso === undefined) return undefined;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : undefined;
}

function measure(fromIso: string | null, toIso: string | null, targetMinutes: number | undefined, basis: string): Measure {
  const from = time(fromIso ?? undefined);
  const to = time(toIso ?? undefined);
  const seconds = from !== undefined && to !== undefined ? Math.max(0, (to - from) / 1000) : null;
  const targetSeconds = targetMinutes !== undefined ? targetMinutes * 60 : null;
  return {
    seconds,
    targetSeconds,
    met: seconds !== null && targetSeconds !== null ? seconds <= targetSeconds : null,
    from: seconds !== null ? fromIso : null,
    to: seconds !== null ? toIso : null,
    basis,
  };
}

/** How the incident ended, and the record that says so. */
function outcomeOf(records: readonly AuditRecord[]): { outcome: DrillOutcome; reason: string } {
  const find = (test: (r: AuditRecord) => boolean) => records.find(test);
  const compensated = find((r) => r.outcome === 'Compensated');
  if (compensated) return { outcome: 'compensated', reason: `record ${compensated.seq}: ${compensated.step} put the weights back after the target failed` };
  // Preflight may refuse a candidate and pass the next one: only a preflight that passed none refuses the incident.
  const preflightPassed = find((r) => r.step === 'Preflight' && r.outcome === 'Passed');
  const refused = find(
    (r) => (r.step === 'Preflight' && r.outcome === 'Refused' && !preflightPassed) || (r.step === 'ShiftTraffic' && r.outcome === 'Refused') || (r.step === 'AcquireLock' && r.outcome === 'Collapsed'),
  );
  if (refused) return { outcome: 'refused', reason: `record ${refused.seq}: ${refused.step} refused${refused.error ? `: ${refused.error}` : ''}` };
  const failed = find((r) => r.outcome === 'Failed' || (r.step === 'CompensateTraffic' && r.outcome === 'Refused'));
  const released = [...records].reverse().find((r) => r.outcome === 'LockReleased');
  const verified = find((r) => r.step === 'Verify' && r.outcome === 'Passed');
  if (failed) return { outcome: 'failed', reason: `record ${failed.seq}: ${failed.step} ${failed.outcome === 'Refused' ? 'refused' : 'failed'}${failed.error ? `: ${failed.error}` : ''}` };
  if (released && typeof released.intent === 'string' && /\(failed\)$/.test(released.intent)) {
    return { outcome: 'failed', reason: `record ${released.seq}: the lock was released after a failure that left no record of its own (see the execution's history)` };
  }
  if (released && verified) return { outcome: 'succeeded', reason: `record ${verified.seq}: Verify passed; record ${released.seq}: lock released` };
  if (released) return { outcome: 'failed', reason: `record ${released.seq}: the lock was released without a Verify record` };
  return { outcome: 'incomplete', reason: records.length > 0 ? `no record releases the lock yet (last: record ${records.at(-1)!.seq}, ${records.at(-1)!.step})` : 'no records' };
}

function chainStatus(input: DrillReportInput): ChainStatus {
  const breaks = input.verification.breaks.map(({ seq, reason }) => ({ seq, reason }));
  const last = [...input.records].sort((a, b) => a.seq - b.seq).at(-1);
  return {
    intact: breaks.length === 0 && input.records.length > 0,
    records: input.records.length,
    lastHash: last?.hash ?? null,
    breaks,
    receipts: input.verification.receipts ?? { count: 0, unsealed: 0 },
  };
}

/** The backup the incident restored, how old it was when the restore started, and from which records. */
function rpoOf(records: readonly AuditRecord[], targets: Targets): DrillReport['rpo'] {
  const starts = records.filter((r) => r.step === 'StartRestore' && isObject(r.change));
  const started = starts.find((r) => r.outcome === 'ChangeRequested') ?? starts[0];
  const backup = started && isObject(started.change) && typeof started.change.backup === 'string' ? started.change.backup : null;
  const restore = started && isObject(started.change) && typeof started.change.restore === 'string' ? started.change.restore : null;
  // The candidate preflight passed chose the backup (a refused candidate may have one of the same name).
  const chosen = records
    .filter((r) => r.step === 'Preflight' && isObject(r.before) && isObject(r.before.backup))
    .sort((a, b) => Number(b.outcome === 'Passed') - Number(a.outcome === 'Passed'))
    .map((r) => ({ seq: r.seq, backup: (r.before as { backup: Record<string, unknown> }).backup }))
    .find((p) => backup === null || p.backup.name === backup);
  const completedAt = chosen && typeof chosen.backup.completedAt === 'string' && time(chosen.backup.completedAt) !== undefined ? chosen.backup.completedAt : null;
  const basis = started
    ? `backup ${backup ?? '(unnamed)'} completed at ${completedAt ?? '(not recorded)'} (record ${chosen?.seq ?? '?'}, Preflight) → restore started (record ${started.seq}, StartRestore)`
    : chosen
      ? `no restore was started; Preflight (record ${chosen.seq}) saw backup ${String(chosen.backup.name)}, ${String(chosen.backup.ageMinutes)} min old`
      : 'no restore was started';
  const result = measure(completedAt, started ? started.at : null, targets.rpoMinutes, basis);
  return { ...result, backup, backupCompletedAt: completedAt, restore };
}

/**
 * The drill report of one incident: its timeline, its measured RTO (trigger → Verify passed after
 * the shift) and RPO (age of the restored backup when the restore started) against the targets, each
 * step's before/after and the chain's verification. Pure: every number comes from `records`.
 */
export function buildDrillReport(input: DrillReportInput): DrillReport {
  const records = [...input.records].sort((a, b) => a.seq - b.seq);
  const context = incidentContext(input.incidentId, records);
  const steps = stepSpans(records);
  const { outcome, reason } = outcomeOf(records);

  const configured = input.targets ?? {};
  const recorded = context.recordedTargets ?? {};
  const source = context.recordedTargets ? 'trail' : configured.rpoMinutes !== undefined || configured.rtoMinutes !== undefined ? 'config' : 'none';
  const policy = source === 'trail' ? recorded : configured;
  const rtoDefaulted = source !== 'none' && policy.rtoMinutes === undefined;
  const targets: Targets = { rpoMinutes: policy.rpoMinutes, rtoMinutes: policy.rtoMinutes ?? (rtoDefaulted ? DEFAULT_RTO_MINUTES : undefined) };

  // Traffic counts as shifted and verified at the Verify record that follows the shift.
  const shift = records.find((r) => r.step === 'ShiftTraffic' && (r.outcome === 'ChangeRequested' || r.outcome === 'AlreadyConverged'));
  const verified = records.find((r) => r.step === 'Verify' && r.outcome === 'Passed' && (!shift || r.seq > shift.seq));
  const rto = measure(
    context.trigger?.at ?? null,
    shift && verified ? verified.at : null,
    targets.rtoMinutes,
    verified && shift && context.trigger
      ? `trigger (${describeTriggerSource(context.trigger.source)}) → Verify passed (record ${verified.seq}) after the shift (record ${shift.seq})`
      : `not reached: ${shift ? 'no Verify passed after the shift' : 'traffic was never shifted'}`,
  );

  const compensation = [...records].reverse().find((r) => r.step === 'CompensateTraffic' && r.outcome === 'Compensated');
  const shifted = shift ? (weightsOf(shift.after) ?? weightsOf(isObject(shift.change) ? shift.change.weights : undefined)) : null;
  const times = [context.trigger?.at, ...steps.flatMap((s) => [s.start, s.end])].map(time).filter((t): t is number => t !== undefined);

  return {
    incidentId: input.incidentId,
    generatedAt: input.generatedAt.toISOString(),
    app: context.app,
    mode: context.mode,
    from: context.from,
    to: context.to,
    actor: context.actor,
    outcome,
    outcomeReason: reason,
    trigger: context.trigger,
    rto,
    rpo: rpoOf(records, targets),
    targets: { rpoMinutes: targets.rpoMinutes ?? null, rtoMinutes: targets.rtoMinutes ?? null, rtoDefaulted, source },
    steps,
    window: times.length > 0 ? { start: new Date(Math.min(...times)).toISOString(), end: new Date(Math.max(...times)).toISOString() } : null,
    chain: chainStatus(input),
    weights: {
      before: shift ? weightsOf(shift.before) : null,
      shifted,
      final: compensation ? (weightsOf(compensation.after) ?? weightsOf(isObject(compensation.change) ? compensation.change.weights : undefined)) : shifted,
    },
  };
}

/** Words for where the trigger time came from. */
export function describeTriggerSource(source: NonNullable<DrillReport['trigger']>['source']): string {
  switch (source) {
    case 'recorded':
      return 'recorded with the request';
    case 'incident-id':
      return "alarm state change, from the incident's id";
    case 'first-record':
      return 'first audit record';
  }
}
