import { describe, expect, it } from '@jest/globals';
import { verifyChain, verifyReceipts } from '../../src/domain/audit-chain.js';
import { eventBridgeAlarmEvent, lambdaActionAlarmEvent, snsAlarmEvent } from '../../src/local/alarm-event-builders.js';
import type { AlarmTriggerResult } from '../../src/triggers/on-alarm.js';
import { invoke, withWorld } from '../support/world.js';

/*
 * One failover per application at a time, alarm storms collapsed into one execution, a cooldown
 * after a completed failover, and an audit trail whose chain verifies: through the real triggers
 * and the real state machine, with locks and the audit trail in dynalite over HTTP.
 */

describe('one failover per app at a time', () => {
  it('collapses an alarm storm (several alarms, redeliveries, SNS and EventBridge copies) into one execution', async () => {
    await withWorld(async (world) => {
      // arrange: both us-east-1 alarms of payments fire
      const api = world.failRegion('payments', 'us-east-1');
      world.cloudwatch.transition('us-east-1', 'payments-use1-health', 'ALARM', 'Health check failing');
      const health = { ...api, alarmName: 'payments-use1-health', alarmArn: api.alarmArn.replace('payments-use1-api-5xx', 'payments-use1-health') };

      // act: the first delivery, then the storm
      const first = (await invoke('alarmTrigger', eventBridgeAlarmEvent(api))) as AlarmTriggerResult;
      const storm = (await Promise.all([
        invoke('alarmTrigger', eventBridgeAlarmEvent(api, 'again')),
        invoke('alarmTrigger', snsAlarmEvent(api)),
        invoke('alarmTrigger', lambdaActionAlarmEvent(health)),
        invoke('alarmTrigger', snsAlarmEvent(health)),
      ])) as AlarmTriggerResult[];
      const outcomes = await world.sfn.settle();

      // assert
      const incidentId = first.started[0]!.executionName;
      expect(world.sfn.list()).toHaveLength(1);
      expect(outcomes.map((o) => o.status)).toEqual(['SUCCEEDED']);
      expect(storm.flatMap((r) => r.ignored.map((i) => i.reason))).toEqual([
        expect.stringMatching(`^collapsed into incident ${incidentId}`),
        expect.stringMatching(`^collapsed into incident ${incidentId}`),
      ]);
      expect(world.sideEffects()).toEqual({ route53Changes: 1, nodegroupUpdates: 1, deploymentsScaled: 2, restoresCreated: 1, slackMessages: 2 });
      const trail = await world.auditTrail(incidentId);
      const receipts = await world.receipts(incidentId);
      expect(receipts.filter((r) => r.outcome === 'Collapsed').map((r) => r.actor)).toEqual(['alarm:payments-use1-health', 'alarm:payments-use1-health']);
      expect(receipts.filter((r) => r.outcome === 'Duplicate')).toHaveLength(2);
      expect(verifyChain(trail)).toEqual([]);
      expect(verifyReceipts(trail, receipts)).toEqual({ breaks: [], unsealed: 0 });
    });
  });

  it('refuses a manual failover of an app that is failing over, naming the incident', async () => {
    await withWorld(async (world) => {
      const started = (await invoke('alarmTrigger', eventBridgeAlarmEvent(world.failRegion('payments', 'us-east-1')))) as AlarmTriggerResult;
      await expect(invoke('manualTrigger', { actor: 'bob', app: 'payments', to: 'us-west-2', mode: 'failover', reason: 'me too' })).rejects.toThrow(
        `collapsed into incident ${started.started[0]!.executionName}`,
      );
      await world.sfn.settle();
      expect(world.sfn.list()).toHaveLength(1);
    });
  });

  it('runs exactly one of two concurrent manual failovers of one app, and tells the other which incident has it', async () => {
    await withWorld(async (world) => {
      world.actIn('eu-central-1'); // the target region's stack
      const ask = (actor: string) => invoke('manualTrigger', { actor, app: 'catalog', to: 'eu-central-1', mode: 'failover', reason: `${actor} saw errors`, requestId: actor });
      const answers = await Promise.allSettled([ask('alice'), ask('bob')]);
      await world.sfn.settle();
      const started = answers.filter((a) => a.status === 'fulfilled');
      const refused = answers.filter((a): a is PromiseRejectedResult => a.status === 'rejected');
      expect(started).toHaveLength(1);
      expect(refused).toHaveLength(1);
      const winner = (started[0] as PromiseFulfilledResult<{ incidentId: string }>).value.incidentId;
      expect(refused[0]!.reason).toMatchObject({ name: 'LockHeldError', message: expect.stringContaining(`collapsed into incident ${winner}`) });
      expect(world.sfn.list()).toHaveLength(1);
      expect(world.sideEffects().route53Changes).toBe(1);
    });
  });

  it('after a completed failover, suppresses automatic failovers (including failback) for the cooldown and says so once', async () => {
    await withWorld(async (world) => {
      // arrange: a completed failover us-east-1 → us-west-2
      const first = (await invoke('alarmTrigger', eventBridgeAlarmEvent(world.failRegion('payments', 'us-east-1')))) as AlarmTriggerResult;
      await world.sfn.settle();
      const incidentId = first.started[0]!.executionName;
      const slackBefore = world.slack.messages.length;

      // act: the new primary's alarms fire twice (an automatic failback would move traffic back)
      world.clock.advanceSeconds(600);
      world.route53.setHealthCheck(world.app('payments').regions[0]!.route53.healthCheckId, true);
      world.cloudwatch.restoreRegion('us-east-1');
      world.eks.restoreRegion('us-east-1');
      world.actIn('us-east-1'); // the stack that acts on us-west-2 failing
      const results: AlarmTriggerResult[] = [];
      for (const reason of ['errors', 'more errors']) {
        world.cloudwatch.transition('us-west-2', 'payments-usw2-api-5xx', 'OK', 'fine');
        world.cloudwatch.transition('us-west-2', 'payments-usw2-api-5xx', 'ALARM', reason);
        results.push((await invoke('alarmTrigger', eventBridgeAlarmEvent(world.lastAlarmChange()!))) as AlarmTriggerResult);
      }

      // assert
      expect(results.flatMap((r) => r.started)).toEqual([]);
      expect(results.map((r) => r.ignored[0]?.reason)).toEqual([expect.stringMatching(`^cooldown after incident ${incidentId}`), expect.stringMatching(`^cooldown after incident ${incidentId}`)]);
      expect(world.slack.messages.length - slackBefore).toBe(1);
      expect(world.slack.messages.at(-1)?.text).toMatch(/^:zzz: Automatic failover suppressed: payments/);
      expect(world.weights('payments')).toEqual({ 'payments-us-east-1': 0, 'payments-us-west-2': 100 });
      const trail = await world.auditTrail(incidentId);
      const receipts = await world.receipts(incidentId);
      expect(receipts.filter((r) => r.outcome === 'Suppressed')).toHaveLength(2);
      expect(verifyChain(trail)).toEqual([]);
      // They arrived after the incident closed: kept, but not sealed into its chain.
      expect(verifyReceipts(trail, receipts)).toEqual({ breaks: [], unsealed: 2 });
    });
  });

  it('lets the app fail over again once the cooldown is over', async () => {
    await withWorld(async (world) => {
      await invoke('alarmTrigger', eventBridgeAlarmEvent(world.failRegion('payments', 'us-east-1')));
      await world.sfn.settle();
      world.clock.advanceSeconds(61 * 60);
      world.route53.setHealthCheck(world.app('payments').regions[0]!.route53.healthCheckId, true);
      world.actIn('us-east-1'); // the stack that acts on us-west-2 failing
      world.cloudwatch.transition('us-west-2', 'payments-usw2-api-5xx', 'ALARM', 'errors');
      const result = (await invoke('alarmTrigger', eventBridgeAlarmEvent(world.lastAlarmChange()!))) as AlarmTriggerResult;
      expect(result.started).toHaveLength(1);
      await world.sfn.settle();
    });
  });
});

describe('the audit trail of an incident', () => {
  it('records every step with who, what, when, before and after, chained so that it verifies', async () => {
    await withWorld(async (world) => {
      const first = (await invoke('alarmTrigger', eventBridgeAlarmEvent(world.failRegion('payments', 'us-east-1')))) as AlarmTriggerResult;
      await world.sfn.settle();
      const trail = await world.auditTrail(first.started[0]!.executionName);
      expect(trail.map((r) => r.seq)).toEqual(trail.map((_, i) => i + 1));
      expect(trail.map((r) => r.step)).toEqual(expect.arrayContaining(['AcquireLock', 'Preflight', 'PromoteNodegroups', 'StartRestore', 'ShiftTraffic', 'Verify', 'Notify', 'ReleaseLock']));
      expect(trail.find((r) => r.step === 'ShiftTraffic')).toMatchObject({
        actor: 'alarm:payments-use1-api-5xx',
        outcome: 'ChangeRequested',
        before: { 'payments-us-east-1': 100, 'payments-us-west-2': 0 },
        after: { 'payments-us-east-1': 0, 'payments-us-west-2': 100 },
      });
      expect(verifyChain(trail)).toEqual([]);
    });
  });
});
