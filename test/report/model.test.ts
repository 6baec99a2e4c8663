import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { chainRecord } from '../../src/domain/audit-chain.js';
import type { AuditEntry, AuditRecord } from '../../src/ports/audit.js';
import { renderMarkdown } from '../../src/report/index.js';
import { PREDECESSORS } from '../../src/report/timeline.js';
import { reportOf, simulatedIncident, type SimulatedIncident } from './support.js';

const seconds = (from: string, to: string) => (Date.parse(to) - Date.parse(from)) / 1000;
const only = (records: AuditRecord[], step: string, outcome?: string) => records.filter((r) => r.step === step && (!outcome || r.outcome === outcome));

/** A trail rebuilt from entries, re-chained so that it verifies. */
function chain(entries: AuditEntry[]): AuditRecord[] {
  const records: AuditRecord[] = [];
  for (const entry of entries) records.push(chainRecord(records.at(-1), entry));
  return records;
}

describe('the drill report of a simulated regional outage', () => {
  let incident: SimulatedIncident;
  beforeAll(async () => {
    incident = await simulatedIncident('region-outage');
  });

  it('says who failed over where, and that it succeeded', () => {
    // arrange
    const { simulation, records, receipts } = incident;

    // act
    const report = reportOf(simulation.incidentId!, records, receipts);

    // assert
    expect(simulation.outcome).toBe('succeeded');
    expect(report).toMatchObject({ app: simulation.app, from: simulation.from, to: simulation.to, mode: 'failover', outcome: 'succeeded', actor: `alarm:${simulation.trigger!.alarmName}` });
    expect(report.outcomeReason).toMatch(/^record \d+: Verify passed; record \d+: lock released$/);
  });

  it('measures the RTO from the trigger to the Verify record after the shift, as the trail times them', () => {
    const { simulation, records } = incident;
    const report = reportOf(simulation.incidentId!, records);
    const verify = only(records, 'Verify', 'Passed')[0]!;
    const shift = only(records, 'ShiftTraffic', 'ChangeRequested')[0]!;

    expect(verify.seq).toBeGreaterThan(shift.seq);
    expect(report.trigger).toEqual({ at: new Date(simulation.trigger!.stateChangeTime).toISOString(), source: 'recorded' });
    expect(report.rto).toMatchObject({ from: report.trigger!.at, to: verify.at, seconds: seconds(report.trigger!.at, verify.at), targetSeconds: 1800, met: true });
    // The simulation's own figure (alarm → execution end) agrees: Verify is the last step that takes time.
    expect(report.rto.seconds).toBe(simulation.rtoSeconds);
    expect(report.rto.basis).toContain(`Verify passed (record ${verify.seq})`);
  });

  it('measures the RPO as the age of the backup Preflight chose when StartRestore started it', () => {
    const { simulation, records } = incident;
    const report = reportOf(simulation.incidentId!, records);
    const preflight = only(records, 'Preflight', 'Passed')[0]!;
    const start = only(records, 'StartRestore')[0]!;
    const backup = (preflight.before as { backup: { name: string; completedAt: string; ageMinutes: number } }).backup;

    expect((start.change as { backup: string }).backup).toBe(backup.name);
    expect(report.rpo).toMatchObject({ backup: backup.name, backupCompletedAt: backup.completedAt, from: backup.completedAt, to: start.at, seconds: seconds(backup.completedAt, start.at), targetSeconds: 3600, met: true });
    expect(report.rpo.seconds).toBe(backup.ageMinutes * 60);
  });

  it('draws each step from its own records, and each span matches the state machine run', () => {
    const { simulation, records } = incident;
    const report = reportOf(simulation.incidentId!, records);

    expect(report.steps.flatMap((s) => s.records.map((r) => r.seq)).sort((a, b) => a - b)).toEqual(records.map((r) => r.seq));
    for (const step of report.steps) {
      expect(step.end).toBe(step.records.map((r) => r.at).sort().at(-1));
      const ran = simulation.steps.find((s) => s.name === step.name);
      expect({ name: step.name, start: step.start, end: step.end }).toEqual({ name: step.name, start: ran?.start, end: ran?.end });
    }
    // The parallel branches overlap in time.
    const promote = report.steps.find((s) => s.name === 'PromoteNodegroups')!;
    const restore = report.steps.find((s) => s.name === 'AwaitRestore')!;
    expect(promote.branch).toBe('promote');
    expect(restore.branch).toBe('restore');
    expect(Date.parse(restore.start)).toBeLessThan(Date.parse(promote.end));
    expect(Date.parse(promote.start)).toBeLessThan(Date.parse(restore.end));
  });

  it('keeps each step before/after state as recorded', () => {
    const { simulation, records } = incident;
    const report = reportOf(simulation.incidentId!, records);
    const shift = only(records, 'ShiftTraffic', 'ChangeRequested')[0]!;
    const shown = report.steps.find((s) => s.name === 'ShiftTraffic')!.records[0]!;

    expect({ before: shown.before, change: shown.change, after: shown.after }).toEqual({ before: shift.before, change: shift.change, after: shift.after });
    expect(report.weights).toEqual({ before: shift.before, shifted: shift.after, final: shift.after });
  });

  it('reports the chain intact, and names the record when one was edited', () => {
    const { simulation, records } = incident;
    expect(reportOf(simulation.incidentId!, records).chain).toMatchObject({ intact: true, records: records.length, lastHash: records.at(-1)!.hash, breaks: [] });

    const edited = records.map((r) => (r.step === 'Verify' ? { ...r, at: new Date(Date.parse(r.at) - 240_000).toISOString() } : r));
    const report = reportOf(simulation.incidentId!, edited);
    expect(report.chain.intact).toBe(false);
    expect(report.chain.breaks).toEqual([expect.objectContaining({ reason: expect.stringMatching(/content does not match its hash \(edited\)/) })]);
  });

  it('judges against the targets recorded when the incident started, not today\'s configuration', () => {
    const { simulation, records } = incident;
    expect(reportOf(simulation.incidentId!, records, [], { rpoMinutes: 20, rtoMinutes: 4 })).toMatchObject({ rto: { met: true, targetSeconds: 1800 }, rpo: { met: true, targetSeconds: 3600 } });
  });

  it('falls back to the configuration\'s targets, and the default RTO, for a trail that does not record them', () => {
    const { simulation } = incident;
    const records = incident.records.map((r) => (r.step === 'AcquireLock' ? { ...r, change: undefined } : r));
    expect(reportOf(simulation.incidentId!, records, [], { rpoMinutes: 20, rtoMinutes: 4 })).toMatchObject({ rto: { met: false, targetSeconds: 240 }, rpo: { met: false, targetSeconds: 1200 } });
    expect(reportOf(simulation.incidentId!, records, [], { rpoMinutes: 60 })).toMatchObject({ rto: { targetSeconds: 1800 }, targets: { rtoDefaulted: true, source: 'config' } });
    expect(reportOf(simulation.incidentId!, records, [], {})).toMatchObject({ rto: { met: null, targetSeconds: null }, targets: { source: 'none' } });
  });
});

describe('the drill report of a failover whose target degrades', () => {
  it('is compensated, with no RTO, and the weights back where they were', async () => {
    const { simulation, records } = await simulatedIncident('target-degrades');
    const report = reportOf(simulation.incidentId!, records);
    const shift = only(records, 'ShiftTraffic', 'ChangeRequested')[0]!;

    expect(simulation.outcome).toBe('compensated');
    expect(report.outcome).toBe('compensated');
    expect(report.rto).toMatchObject({ seconds: null, met: null });
    expect(report.rto.basis).toBe('not reached: no Verify passed after the shift');
    expect(report.weights).toEqual({ before: shift.before, shifted: shift.after, final: shift.before });
    expect(report.steps.map((s) => s.name)).toEqual(expect.arrayContaining(['CompensateTraffic', 'NotifyFailed', 'ReleaseLockAfterFailure']));
    expect(report.steps.find((s) => s.name === 'CompensateTraffic')!.status).toBe('compensated');
    expect(renderMarkdown(report)).toContain('**RTO:** — (target 30m 0s): not reached  ');
  });
});

describe('the drill report of hand-made trails', () => {
  const base = { incidentId: 'drill-payments-us-west-2-0123456789', actor: 'user:alice' };
  const entry = (at: string, step: string, intent: string, outcome: AuditEntry['outcome'], extra: Partial<AuditEntry> = {}): AuditEntry => ({ ...base, at, step, intent, outcome, durationMs: 0, ...extra });

  it('prefers a trigger time and targets recorded with the request', () => {
    const records = chain([
      entry('2026-01-01T10:00:30.000Z', 'AcquireLock', 'take the failover lock of payments', 'LockAcquired', {
        change: { request: { app: 'payments', mode: 'drill', from: { name: 'us-east-1' }, to: 'us-west-2', requestedAt: '2026-01-01T10:00:00.000Z', policy: { rpoMinutes: 15, rtoMinutes: 2 } } },
      }),
      entry('2026-01-01T10:03:00.000Z', 'ShiftTraffic', 'shift x from us-east-1 to us-west-2', 'ChangeRequested', { before: { a: 100, b: 0 }, after: { a: 0, b: 100 } }),
      entry('2026-01-01T10:04:00.000Z', 'Verify', 'us-west-2 serves payments', 'Passed'),
      entry('2026-01-01T10:04:00.000Z', 'ReleaseLock', 'release the failover lock of payments (succeeded)', 'LockReleased'),
    ]);
    const report = reportOf(base.incidentId, records, [], { rpoMinutes: 60, rtoMinutes: 30 });
    expect(report).toMatchObject({ app: 'payments', mode: 'drill', from: 'us-east-1', to: 'us-west-2', outcome: 'succeeded', trigger: { at: '2026-01-01T10:00:00.000Z', source: 'recorded' } });
    expect(report.rto).toMatchObject({ seconds: 240, targetSeconds: 120, met: false });
    expect(report.targets).toEqual({ rpoMinutes: 15, rtoMinutes: 2, rtoDefaulted: false, source: 'trail' });
  });

  it('is refused when preflight passed no candidate, and not when it passed the next one', () => {
    const refused = entry('2026-01-01T10:00:00.000Z', 'Preflight', 'check us-west-2 can take over from us-east-1', 'Refused', { error: 'backup too old' });
    const passed = entry('2026-01-01T10:00:01.000Z', 'Preflight', 'check eu-west-1 can take over from us-east-1', 'Passed');
    expect(reportOf(base.incidentId, chain([refused]))).toMatchObject({ outcome: 'refused', outcomeReason: 'record 1: Preflight refused: backup too old', to: 'us-west-2' });
    const settled = reportOf(base.incidentId, chain([refused, passed]));
    expect(settled).toMatchObject({ outcome: 'incomplete', to: 'eu-west-1', from: 'us-east-1' });
    expect(settled.steps[0]).toMatchObject({ name: 'Preflight', status: 'ok', durationMs: 1000 });
  });

  it('counts an invocation from `at − durationMs`', () => {
    const records = chain([entry('2026-01-01T10:00:05.000Z', 'AcquireLock', 'take the failover lock of payments', 'LockAcquired', { durationMs: 5000 })]);
    expect(reportOf(base.incidentId, records).steps[0]).toMatchObject({ start: '2026-01-01T10:00:00.000Z', end: '2026-01-01T10:00:05.000Z', durationMs: 5000, startInferred: false });
  });
});

describe('the timeline', () => {
  type State = { Type: string; Next?: string; StartAt?: string; Default?: string; Choices?: { Next: string }[]; Branches?: { StartAt: string; States: Record<string, State> }[] };

  it('follows the states of statemachines/failover.asl.json', () => {
    // arrange: every state, branch states included, and where each Parallel's branches end
    const asl = JSON.parse(readFileSync('statemachines/failover.asl.json', 'utf8')) as { States: Record<string, State> };
    const states: Record<string, State> = { ...asl.States };
    const branchEnds = new Map<string, string[]>();
    for (const [name, state] of Object.entries(asl.States)) {
      for (const branch of state.Branches ?? []) {
        Object.assign(states, branch.States);
        const tasks = Object.keys(branch.States).filter((n) => branch.States[n]!.Type === 'Task');
        branchEnds.set(name, [...(branchEnds.get(name) ?? []), tasks.at(-1)!]);
      }
    }
    /** The states a Task leads to, through Pass and Choice states and into the branches of a Parallel. */
    const reach = (next: string | undefined, seen = new Set<string>()): string[] => {
      if (!next || seen.has(next)) return [];
      seen.add(next);
      const state = states[next]!;
      if (state.Type === 'Pass') return reach(state.Next, seen);
      if (state.Type === 'Choice') return [state.Default, ...(state.Choices ?? []).map((c) => c.Next)].flatMap((n) => reach(n, seen));
      return state.Type === 'Parallel' ? state.Branches!.map((b) => b.StartAt) : [next];
    };
    const entered = (name: string): string[] => reach(states[name]?.Next);

    // assert
    for (const [step, predecessors] of Object.entries(PREDECESSORS)) {
      expect({ step, known: states[step]?.Type }).toEqual({ step, known: 'Task' });
      if (predecessors.length === 1) expect({ step, entered: entered(predecessors[0]!) }).toEqual({ step, entered: expect.arrayContaining([step]) });
      else expect([...branchEnds].find(([parallel]) => states[parallel]!.Next === step)?.[1].sort()).toEqual([...predecessors].sort());
    }
  });
});
