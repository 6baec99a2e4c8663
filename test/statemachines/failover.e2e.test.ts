import { describe, expect, it } from '@jest/globals';
import { InputValidationError } from '../../src/domain/errors.js';
import { eventBridgeAlarmEvent, lambdaActionAlarmEvent, snsAlarmEvent } from '../../src/local/alarm-event-builders.js';
import { simulate } from '../../src/local/simulate.js';
import type { AlarmTriggerResult } from '../../src/triggers/on-alarm.js';
import { exampleConfig, invoke, withWorld } from '../support/world.js';

/*
 * End to end: the real failover ASL run locally by aws-local-stepfunctions, every Task bound to
 * the real Lambda handler, against the simulated world (fakes behind the real SDK clients, the
 * Kubernetes stand-in over HTTP, the Slack sink), on virtual time.
 */

const NOTHING_CHANGED = { route53Changes: 0, nodegroupUpdates: 0, deploymentsScaled: 0, restoresCreated: 0 };

describe('the failover state machine, end to end', () => {
  it('moves an app out of a failing region: promote, restore, shift, verify, notify', async () => {
    // act
    const report = await simulate({ config: exampleConfig() });

    // assert
    expect(report).toMatchObject({ outcome: 'succeeded', app: 'payments', from: 'us-east-1', to: 'us-west-2', error: null });
    expect(report.weights).toEqual({
      before: { 'payments-us-east-1': 100, 'payments-us-west-2': 0 },
      after: { 'payments-us-east-1': 0, 'payments-us-west-2': 100 },
    });
    expect(report.sideEffects).toEqual({ route53Changes: 1, nodegroupUpdates: 1, deploymentsScaled: 2, restoresCreated: 1, slackMessages: 2 });
    expect(report.steps.map((s) => s.name)).toEqual(
      expect.arrayContaining(['AcquireLock', 'ReleaseLock', 'Preflight', 'NotifyStarted', 'PromoteNodegroups', 'ScaleDeployments', 'StartRestore', 'AwaitRestore', 'ShiftTraffic', 'AwaitTrafficSync', 'Verify', 'NotifySucceeded']),
    );
    expect(report.steps.every((s) => s.status === 'succeeded')).toBe(true);
    // Promotion (180 s node group + 60 s pods) overlaps the 120 s restore; then 60 s to INSYNC.
    expect(report.rtoSeconds).toBe(300);
    expect(report.executionName).toMatch(/^alarm-payments-use1-api-5xx-\d{8}T\d{6}Z-[0-9a-f]{10}$/);
  });

  it('needs nothing from the failing region: its EKS, CloudWatch and clusters are down the whole time', async () => {
    await withWorld(async (world) => {
      // act (failRegion takes us-east-1's control planes down, and us-east-1 also hosts the
      // Route 53 health-check alarms, so Verify must cope without them)
      await invoke('alarmTrigger', eventBridgeAlarmEvent(world.failRegion('payments', 'us-east-1')));
      const [outcome] = await world.sfn.settle();

      // assert
      expect(outcome?.status).toBe('SUCCEEDED');
      expect(world.eks.calls.filter((c) => c.region === 'us-east-1')).toEqual([]);
      expect(world.cluster(world.app('payments').regions[0]!).requests).toEqual([]);
      const verify = (outcome?.output as { verify: { alarms: unknown[] } }).verify;
      expect(verify.alarms).toEqual([
        { name: 'payments-usw2-api-5xx', state: 'OK' },
        { name: 'payments-usw2-health', state: 'UNAVAILABLE' },
      ]);
    });
  });

  it('starts one execution for a duplicate delivery, whichever way each copy arrives', async () => {
    await withWorld(async (world) => {
      // arrange
      const change = world.failRegion('payments', 'us-east-1');

      // act
      const results = (await Promise.all([
        invoke('alarmTrigger', eventBridgeAlarmEvent(change, 'first')),
        invoke('alarmTrigger', eventBridgeAlarmEvent(change, 'redelivered')),
        invoke('alarmTrigger', snsAlarmEvent(change)),
        invoke('alarmTrigger', lambdaActionAlarmEvent(change)),
      ])) as AlarmTriggerResult[];
      const [outcome] = await world.sfn.settle();

      // assert
      expect(world.sfn.list()).toHaveLength(1);
      expect(new Set(results.map((r) => r.started[0]?.executionName)).size).toBe(1);
      expect(outcome?.status).toBe('SUCCEEDED');
      expect(world.sideEffects()).toEqual({ route53Changes: 1, nodegroupUpdates: 1, deploymentsScaled: 2, restoresCreated: 1, slackMessages: 2 });
    });
  });

  it('does nothing for a transition out of ALARM, nor for an alarm it does not know', async () => {
    await withWorld(async (world) => {
      // arrange
      const change = world.failRegion('payments', 'us-east-1');
      const recovered = { ...change, previousState: change.state, state: { ...change.state, value: 'OK' as const } };
      const unknown = { ...change, alarmName: 'someone-elses-alarm', alarmArn: change.alarmArn.replace(change.alarmName, 'someone-elses-alarm') };

      // act
      const results = (await Promise.all([invoke('alarmTrigger', eventBridgeAlarmEvent(recovered)), invoke('alarmTrigger', snsAlarmEvent(unknown))])) as AlarmTriggerResult[];

      // assert
      expect(results.map((r) => r.ignored[0]?.reason)).toEqual(['transition to OK, not ALARM', 'alarm not configured in us-east-1']);
      expect(world.sfn.list()).toHaveLength(0);
      expect(world.sideEffects()).toEqual({ ...NOTHING_CHANGED, slackMessages: 0 });
    });
  });

  it('rejects a malformed event with the field named, and starts nothing', async () => {
    await withWorld(async (world) => {
      const event = eventBridgeAlarmEvent(world.failRegion('payments', 'us-east-1'));
      (event.detail.state as { value: string }).value = 'PANIC';
      await expect(invoke('alarmTrigger', event)).rejects.toThrow(InputValidationError);
      await expect(invoke('alarmTrigger', event)).rejects.toThrow(/detail\.state\.value/);
      expect(world.sfn.list()).toHaveLength(0);
    });
  });

  it('refuses to fail over to an unhealthy target: nothing changes and the failure is notified', async () => {
    const report = await simulate({
      config: exampleConfig(),
      prepare: (world) => void world.route53.setHealthCheck(world.app('payments').regions[1]!.route53.healthCheckId, false),
    });
    expect(report.outcome).toBe('refused');
    expect(report.error).toMatch(/^PreflightRefusedError: .*target health check .* is unhealthy/);
    expect(report.sideEffects).toEqual({ ...NOTHING_CHANGED, slackMessages: 1 });
    expect(report.weights.after).toEqual(report.weights.before);
    expect(report.steps.map((s) => [s.name, s.status])).toEqual([
      ['AcquireLock', 'succeeded'],
      ['Preflight', 'failed'],
      ['NotifyFailed', 'succeeded'],
      ['ReleaseLockAfterFailure', 'succeeded'],
    ]);
  });

  it('refuses a stale backup (older than the RPO limit): nothing changes', async () => {
    const config = exampleConfig((c) => (c.apps[0]!.policy.rpoMinutes = 10));
    const report = await simulate({ config });
    expect(report.outcome).toBe('refused');
    expect(report.error).toMatch(/newest Completed backup payments-hourly-\d+ is 25 min old, over the RPO limit of 10 min/);
    expect(report.sideEffects).toEqual({ ...NOTHING_CHANGED, slackMessages: 1 });
  });

  it('fails with Velero\'s reason when the restore ends PartiallyFailed, and never moves traffic', async () => {
    const report = await simulate({
      config: exampleConfig(),
      prepare: (world) => world.cluster(world.app('payments').regions[1]!).setRestoreOutcome({ phase: 'PartiallyFailed', errors: 3, warnings: 1 }),
    });
    expect(report.outcome).toBe('failed');
    expect(report.error).toMatch(/^RestoreFailedError: Velero restore lifeboat-payments-[0-9a-f]+ ended PartiallyFailed: 3 errors/);
    expect(report.sideEffects.route53Changes).toBe(0);
    expect(report.weights.after).toEqual(report.weights.before);
    expect(report.sideEffects.slackMessages).toBe(2);
  });

  it('retries Route 53 throttling and still changes the weights once', async () => {
    let throttled = 0;
    const report = await simulate({
      config: exampleConfig(),
      prepare: (world) => {
        world.route53.failNext('ChangeResourceRecordSets', 'Throttling', 2);
        world.route53.calls.push = function (...calls) {
          throttled += calls.filter((c) => c.operation === 'ChangeResourceRecordSets').length;
          return Array.prototype.push.apply(this, calls);
        };
      },
    });
    expect(throttled).toBe(3);
    expect(report.outcome).toBe('succeeded');
    expect(report.sideEffects.route53Changes).toBe(1);
    expect(report.weights.after).toEqual({ 'payments-us-east-1': 0, 'payments-us-west-2': 100 });
  });

  it('keeps going when Slack is down: the failover succeeds without the messages', async () => {
    const report = await simulate({ config: exampleConfig(), prepare: (world) => world.slack.failNext(503, 100) });
    expect(report.outcome).toBe('succeeded');
    expect(report.sideEffects).toMatchObject({ route53Changes: 1, slackMessages: 0 });
  });

  it('changes nothing more when the same incident runs again, and a late copy of the alarm starts nothing', async () => {
    await withWorld(async (world) => {
      // arrange: a completed failover
      const event = eventBridgeAlarmEvent(world.failRegion('payments', 'us-east-1'));
      await invoke('alarmTrigger', event);
      const [first] = await world.sfn.settle();
      const after = world.sideEffects();
      const weights = world.weights('payments');

      // act: the same request again through the state machine (a replay), then the alarm delivered late
      const replay = await world.sfn.handle('StartExecution', { stateMachineArn: world.stateMachineArn, name: 'replay-of-the-same-incident', input: JSON.stringify(world.sfn.list()[0]!.input) }, { region: world.homeRegion, clientName: 'test' });
      const [, second] = await world.sfn.settle();
      const afterReplay = world.sideEffects();
      const late = (await invoke('alarmTrigger', event)) as AlarmTriggerResult;

      // assert
      expect(replay).toHaveProperty('executionArn');
      expect([first?.status, second?.status]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
      expect(world.weights('payments')).toEqual(weights);
      // Notify is idempotent per incident and event: the replay posts nothing either.
      expect(afterReplay).toEqual(after);
      expect(late.started).toEqual([]);
      // the old primary's alarm, now that traffic is in us-west-2, means nothing to do
      expect(late.ignored[0]?.reason).toBe('us-east-1 is not serving payments (its traffic is in us-west-2)');
      expect(world.sfn.list()).toHaveLength(2);
    });
  });
});
