import { describe, expect, it } from '@jest/globals';
import { LockHeldError } from '../../src/domain/errors.js';
import type { SimulatedWorld } from '../../src/local/world.js';
import { dynamoDbLocks } from '../../src/runtime/wiring/dynamodb.js';
import { invoke, withWorld } from '../support/world.js';

/*
 * The failback state machine, end to end in the embedded runtime: payments is first failed over to
 * us-west-2 by an operator (the real failover workflow), then failed back to us-east-1.
 */

const PRIMARY_ALARM = 'payments-use1-api-5xx';

async function failOver(world: SimulatedWorld): Promise<string> {
  const started = (await invoke('manualTrigger', { actor: 'alice', app: 'payments', to: 'us-west-2', mode: 'failover', reason: 'move to us-west-2' })) as { executionName: string };
  const [outcome] = await world.sfn.settle();
  expect(outcome?.status).toBe('SUCCEEDED');
  expect(world.weights('payments')).toEqual({ 'payments-us-east-1': 0, 'payments-us-west-2': 100 });
  return started.executionName;
}

function startFailback(world: SimulatedWorld, name: string) {
  return world.sfn.startNested(world.workflowArns.failback, name, { app: 'payments', actor: 'alice', reason: 'us-east-1 is healthy again' });
}

const records = async (world: SimulatedWorld, incident: string, step: string) => (await world.auditTrail(incident)).filter((r) => r.step === step);

describe('the failback state machine, end to end', () => {
  it('returns traffic to the primary in steps of 10%, 50%, 100%, each verified, once the primary has been healthy for 30 minutes', async () => {
    await withWorld(async (world) => {
      // arrange
      await failOver(world);
      const started = world.clock.now().getTime();

      // act
      const outcome = await startFailback(world, 'failback-payments-1').done;

      // assert
      expect(outcome.status).toBe('SUCCEEDED');
      expect(world.weights('payments')).toEqual({ 'payments-us-east-1': 100, 'payments-us-west-2': 0 });
      const shifts = await records(world, 'failback-payments-1', 'FailbackShift');
      expect(shifts.map((r) => r.after)).toEqual([
        { 'payments-us-east-1': 10, 'payments-us-west-2': 90 },
        { 'payments-us-east-1': 50, 'payments-us-west-2': 50 },
        { 'payments-us-east-1': 100, 'payments-us-west-2': 0 },
      ]);
      expect((await records(world, 'failback-payments-1', 'FailbackVerify')).map((r) => (r.after as { percent: number }).percent)).toEqual([10, 50, 100]);
      // No weight moved before the primary had been healthy for healthyForMinutes (30).
      const health = await records(world, 'failback-payments-1', 'PrimaryHealth');
      const since = Date.parse((health[0]!.after as { healthySince: string }).healthySince);
      expect(Date.parse(shifts[0]!.at) - since).toBeGreaterThanOrEqual(30 * 60_000);
      expect(Date.parse(outcome.stoppedAt) - started).toBeGreaterThanOrEqual(30 * 60_000);
      // Step by step: each verified before the next is shifted.
      const trail = await world.auditTrail('failback-payments-1');
      const order = trail.filter((r) => r.step === 'FailbackShift' || r.step === 'FailbackVerify').map((r) => r.step);
      expect(order).toEqual(['FailbackShift', 'FailbackVerify', 'FailbackShift', 'FailbackVerify', 'FailbackShift', 'FailbackVerify']);
      expect(trail.at(-1)).toMatchObject({ step: 'FailbackRelease', outcome: 'LockReleased' });
      expect(world.slack.messages.map((m) => m.text.split(':')[0])).toEqual(expect.arrayContaining(['Failback started', 'Failback succeeded']));
      expect(await dynamoDbLocks().activeRegion('payments')).toBe('us-east-1');
    });
  });

  it('goes back to the last good weights when verification fails at 50%', async () => {
    await withWorld(async (world) => {
      // arrange: the primary's alarm fires as soon as it takes half the traffic
      await failOver(world);
      let shifts = 0;
      world.afterStep('ShiftFailbackStep', () => {
        shifts += 1;
        if (shifts === 2) world.cloudwatch.transition('us-east-1', PRIMARY_ALARM, 'ALARM', 'Threshold Crossed: errors at 50% of the traffic');
      });

      // act
      const outcome = await startFailback(world, 'failback-payments-2').done;

      // assert
      expect(outcome.status).toBe('FAILED');
      expect(outcome.steps.map((s) => s.name)).toEqual(expect.arrayContaining(['RollbackFailback', 'NotifyFailbackFailed', 'ReleaseFailbackLockAfterFailure']));
      expect(world.weights('payments')).toEqual({ 'payments-us-east-1': 10, 'payments-us-west-2': 90 });
      const [rollback] = await records(world, 'failback-payments-2', 'FailbackRollback');
      expect(rollback).toMatchObject({ outcome: 'Compensated', before: { 'payments-us-east-1': 50, 'payments-us-west-2': 50 }, after: { 'payments-us-east-1': 10, 'payments-us-west-2': 90 } });
      expect(world.slack.messages.some((m) => m.text.startsWith('Failback failed') && m.text.includes(PRIMARY_ALARM))).toBe(true);
      expect(await dynamoDbLocks().current('payments', world.clock.now())).toBeUndefined();
    });
  });

  it('is refused while a failover of the app holds the lock, and moves nothing', async () => {
    await withWorld(async (world) => {
      // arrange: a drill of payments waits at its approval gate, holding the app's lock
      const drill = (await invoke('manualTrigger', { actor: 'alice', app: 'payments', to: 'us-west-2', mode: 'drill', reason: 'drill' })) as { executionName: string };
      const failback = startFailback(world, 'failback-payments-3');
      const deny = world.scheduler.run(async () => {
        await world.scheduler.sleep(60_000);
        return invoke('slackInteraction', { actor: 'arn:aws:iam::000000000000:user/alice', incidentId: drill.executionName, decision: 'deny' });
      });

      // act
      const outcome = await failback.done;
      await deny;
      await world.sfn.settle();

      // assert
      expect(outcome.status).toBe('FAILED');
      expect(outcome.error).toBe('LockHeldError');
      expect(outcome.cause).toContain(drill.executionName);
      expect(world.route53.calls.filter((c) => c.operation === 'ChangeResourceRecordSets')).toEqual([]);
      expect(await records(world, 'failback-payments-3', 'FailbackLock')).toEqual([expect.objectContaining({ outcome: 'Refused' })]);
    });
  });

  it('refuses a failover while a failback of the app holds the lock', async () => {
    await withWorld(async (world) => {
      // arrange: traffic on us-west-2; a failback waits for the primary's 30 healthy minutes, holding the lock
      await failOver(world);
      const failback = startFailback(world, 'failback-payments-4');
      const attempt = world.scheduler.run(async () => {
        await world.scheduler.sleep(5 * 60_000);
        return invoke('manualTrigger', { actor: 'bob', app: 'payments', to: 'us-west-2', from: 'us-east-1', mode: 'failover', reason: 'again' }).then(
          () => undefined,
          (error: unknown) => error,
        );
      });

      // act
      const refusal = await attempt;
      const outcome = await failback.done;

      // assert
      expect(refusal).toBeInstanceOf(LockHeldError);
      expect(String((refusal as Error).message)).toContain('failback-payments-4');
      expect(outcome.status).toBe('SUCCEEDED');
      expect(world.sfn.list().filter((e) => e.name !== 'failback-payments-4')).toHaveLength(1);
    });
  });
});
