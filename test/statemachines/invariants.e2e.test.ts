import { describe, expect, it } from '@jest/globals';
import { verifyChain } from '../../src/domain/audit-chain.js';
import { eventBridgeAlarmEvent } from '../../src/local/alarm-event-builders.js';
import { simulate } from '../../src/local/simulate.js';
import type { SimulatedWorld } from '../../src/local/world.js';
import type { AuditRecord } from '../../src/ports/audit.js';
import type { AlarmTriggerResult } from '../../src/triggers/on-alarm.js';
import { exampleConfig, invoke, withWorld } from '../support/world.js';

/*
 * Never make an outage worse: each safety invariant, attacked through the public entry points (an
 * alarm event to the trigger, the real state machine), must hold, and the refusal must be on the
 * record in the audit trail. (The blast-radius limit is attacked by an alarm storm in
 * alarm-storm.e2e.test.ts; failover and failback of one app at once in failback.e2e.test.ts.)
 */

const PAYMENTS = { primary: 'payments-us-east-1', standby: 'payments-us-west-2' };

/** Before the incident, someone set every record of payments' name to weight 0 (an UPSERT, as they would). */
function zeroEveryWeight(world: SimulatedWorld): void {
  const { hostedZoneId, recordName, recordType } = world.app('payments').regions[0]!.route53;
  const changes = [PAYMENTS.primary, PAYMENTS.standby].map((setId) => ({ Action: 'UPSERT' as const, ResourceRecordSet: { ...world.route53.record(hostedZoneId, recordName, recordType, setId)!, Weight: 0 } }));
  world.route53.ChangeResourceRecordSets({ HostedZoneId: hostedZoneId, ChangeBatch: { Changes: changes } });
}

async function trailOf(world: SimulatedWorld, incidentId: string | null): Promise<AuditRecord[]> {
  return incidentId ? world.auditTrail(incidentId) : [];
}

describe('safety invariants, attacked through the public entry points', () => {
  it('never shifts traffic to a region whose health check is failing: preflight refuses, nothing moves', async () => {
    let trail: AuditRecord[] = [];
    const report = await simulate({
      config: exampleConfig(),
      prepare: (world) => void world.route53.setHealthCheck(world.app('payments').regions[1]!.route53.healthCheckId, false),
      inspect: async (world, r) => void (trail = await trailOf(world, r.incidentId)),
    });
    expect(report.outcome).toBe('refused');
    expect(report.weights.after).toEqual(report.weights.before);
    expect(report.sideEffects).toMatchObject({ route53Changes: 0, nodegroupUpdates: 0, restoresCreated: 0 });
    expect(trail.find((r) => r.step === 'Preflight')).toMatchObject({ outcome: 'Refused', error: expect.stringMatching(/target health check .* is unhealthy/) });
    expect(verifyChain(trail)).toEqual([]);
  });

  it('never shifts traffic to a target whose health check fails after preflight: the re-check right before the change refuses', async () => {
    let trail: AuditRecord[] = [];
    const report = await simulate({
      config: exampleConfig(),
      prepare: (world) => world.afterStep('ScaleDeployments', () => void world.route53.setHealthCheck(world.app('payments').regions[1]!.route53.healthCheckId, false)),
      inspect: async (world, r) => void (trail = await trailOf(world, r.incidentId)),
    });
    expect(report.outcome).toBe('refused');
    expect(report.sideEffects.route53Changes).toBe(0);
    expect(trail.find((r) => r.step === 'ShiftTraffic')).toMatchObject({ outcome: 'Refused', error: expect.stringMatching(/is failing .* traffic not moved/) });
  });

  it('never fails over when the "failing" region is the only healthy one: its alarm fires, the standby is down, nothing moves', async () => {
    await withWorld(async (world) => {
      const [primary, standby] = world.app('payments').regions;
      world.route53.setHealthCheck(standby!.route53.healthCheckId, false);
      world.cloudwatch.transition(primary!.name, primary!.alarms[0]!.name, 'ALARM', 'Threshold Crossed: a spike');
      const result = (await invoke('alarmTrigger', eventBridgeAlarmEvent(world.lastAlarmChange()!))) as AlarmTriggerResult;
      const [outcome] = await world.sfn.settle();
      expect(outcome?.status).toBe('FAILED');
      expect(outcome?.error).toBe('PreflightRefusedError');
      expect(world.weights('payments')).toEqual({ [PAYMENTS.primary]: 100, [PAYMENTS.standby]: 0 });
      const trail = await world.auditTrail(result.started[0]!.executionName);
      expect(trail.filter((r) => r.step === 'Preflight').map((r) => r.outcome)).toEqual(['Refused']);
      expect(trail.find((r) => r.step === 'Preflight')?.error).toMatch(/target health check .* is unhealthy/);
      expect(outcome?.cause).toMatch(/no region of payments can take over from us-east-1: nothing was moved/);
      expect(JSON.stringify(world.slack.messages.at(-1)?.blocks)).toMatch(/nothing was moved/);
    });
  });

  it('never acts on INSUFFICIENT_DATA alone: nothing starts, and during an incident the transition is on its record', async () => {
    await withWorld(async (world) => {
      const [primary] = world.app('payments').regions;
      world.cloudwatch.transition(primary!.name, primary!.alarms[0]!.name, 'INSUFFICIENT_DATA', 'Insufficient Data: 3 datapoints were unknown.');
      const alone = (await invoke('alarmTrigger', eventBridgeAlarmEvent(world.lastAlarmChange()!, 'insufficient-1'))) as AlarmTriggerResult;
      expect(alone.started).toEqual([]);
      expect(alone.ignored).toEqual([expect.objectContaining({ reason: 'transition to INSUFFICIENT_DATA, not ALARM' })]);
      expect(world.sfn.list()).toHaveLength(0);

      // during an incident: the failover goes on, the INSUFFICIENT_DATA transition of another alarm is a receipt
      const started = (await invoke('alarmTrigger', eventBridgeAlarmEvent(world.failRegion('payments', primary!.name), 'outage-1'))) as AlarmTriggerResult;
      world.cloudwatch.transition('us-east-1', primary!.alarms[1]!.name, 'INSUFFICIENT_DATA', 'Insufficient Data');
      const during = (await invoke('alarmTrigger', eventBridgeAlarmEvent(world.lastAlarmChange()!, 'insufficient-2'))) as AlarmTriggerResult;
      await world.sfn.settle();
      const incident = started.started[0]!.executionName;
      expect(during.ignored).toEqual([expect.objectContaining({ reason: 'transition to INSUFFICIENT_DATA, not ALARM', incidentId: incident })]);
      expect(world.sfn.list()).toHaveLength(1);
      expect((await world.receipts(incident)).map((r) => [r.outcome, r.error])).toEqual([['Ignored', 'transition to INSUFFICIENT_DATA, not ALARM']]);
    });
  });

  it('never leaves every weighted record at 0: compensation refuses to restore an all-zero "last good" state, and says so', async () => {
    let trail: AuditRecord[] = [];
    const report = await simulate({
      config: exampleConfig(),
      scenario: 'target-degrades',
      // before the incident someone had set every record of the name to 0 (Route 53 then answers with all of them)
      prepare: zeroEveryWeight,
      inspect: async (world, r) => void (trail = await trailOf(world, r.incidentId)),
    });
    expect(report.outcome).toBe('failed');
    expect(report.error).toMatch(/^NotConvergedError: us-west-2 not verified yet/); // why the workflow failed
    expect(trail.some((r) => r.outcome === 'Compensated')).toBe(false);
    // the traffic stays on the target rather than go to every region at once
    expect(report.weights.after).toEqual({ [PAYMENTS.primary]: 0, [PAYMENTS.standby]: 100 });
    expect(trail.find((r) => r.step === 'CompensateTraffic')).toMatchObject({ outcome: 'Refused', error: expect.stringMatching(/^refusing to leave every weighted record of api\.payments\.example\.com at weight 0 .*; traffic stays where it is$/) });
  });

  it('restores an all-zero state only when the app\'s policy says it means it (policy.allowAllWeightsZero)', async () => {
    const report = await simulate({
      config: exampleConfig((config) => void (config.apps[0]!.policy.allowAllWeightsZero = true)),
      scenario: 'target-degrades',
      prepare: zeroEveryWeight,
    });
    expect(report.outcome).toBe('compensated');
    expect(report.weights.after).toEqual({ [PAYMENTS.primary]: 0, [PAYMENTS.standby]: 0 });
  });
});
