import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import type { AlarmTriggerResult } from '../../src/triggers/on-alarm.js';

/*
 * Self-monitoring: a failover run through the real handlers emits CloudWatch EMF lines on stdout
 * (Powertools Metrics): FailoverStarted from the trigger, StepDuration from every step invocation,
 * Throttles when a step ends in ThrottledError, and FailoverSucceeded/FailoverFailed from
 * ReleaseLock. Namespace Lifeboat, dimensions app and step, the incident id as metadata.
 */

process.env.POWERTOOLS_METRICS_DISABLED = 'false'; // the embedded runtime turns them off otherwise
const { eventBridgeAlarmEvent } = await import('../../src/local/alarm-event-builders.js');
const { invoke, withWorld } = await import('../support/world.js');
const { emitMetric } = await import('../../src/runtime/metrics.js');

interface EmfLine {
  _aws: { Timestamp: number; CloudWatchMetrics: { Namespace: string; Dimensions: string[][]; Metrics: { Name: string; Unit: string }[] }[] };
  app: string;
  step: string;
  incidentId?: string;
  [metric: string]: unknown;
}

let lines: string[] = [];
const restore: (() => void)[] = [];
beforeEach(() => {
  lines = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: unknown) => (lines.push(String(chunk)), true));
  restore.push(() => spy.mockRestore());
});
afterEach(() => {
  while (restore.length) restore.pop()!();
});

function emf(): EmfLine[] {
  return lines.flatMap((chunk) => chunk.split('\n')).filter((line) => line.includes('"_aws"')).map((line) => JSON.parse(line) as EmfLine);
}
const named = (name: string) => emf().filter((line) => line._aws.CloudWatchMetrics[0]!.Metrics.some((m) => m.Name === name));

describe('EMF metrics', () => {
  it('counts a started and a succeeded failover, times every step, and counts throttles, by app and step', async () => {
    await withWorld(async (world) => {
      // arrange: Route 53 throttles the first two record changes
      world.inject({ kind: 'route53', error: 'Throttling', times: 2 });

      // act
      const result = (await invoke('alarmTrigger', eventBridgeAlarmEvent(world.failRegion('payments', 'us-east-1')))) as AlarmTriggerResult;
      const [outcome] = await world.sfn.settle();
      const incidentId = result.started[0]!.executionName;

      // assert
      expect(outcome?.status).toBe('SUCCEEDED');
      for (const line of emf()) {
        expect(line._aws.CloudWatchMetrics[0]).toMatchObject({ Namespace: 'Lifeboat', Dimensions: [['app', 'step']] });
        expect(line).toMatchObject({ app: 'payments', incidentId });
        expect(Object.keys(line).sort()).not.toContain('service');
      }
      expect(named('FailoverStarted')).toEqual([expect.objectContaining({ step: 'Trigger', FailoverStarted: 1 })]);
      expect(named('FailoverSucceeded')).toEqual([expect.objectContaining({ step: 'ReleaseLock', FailoverSucceeded: 1 })]);
      expect(named('FailoverFailed')).toEqual([]);
      // one Throttles per ShiftTraffic attempt that ended throttled: the injected ones, and any the
      // account's rate limit adds when a jittered retry comes back within the same second
      const shiftAttempts = outcome!.steps.find((step) => step.name === 'ShiftTraffic')!.attempts;
      expect(shiftAttempts).toBeGreaterThanOrEqual(3);
      expect(named('Throttles')).toEqual(Array(shiftAttempts - 1).fill(expect.objectContaining({ step: 'ShiftTraffic', Throttles: 1 })));
      const timed = new Set(named('StepDuration').map((line) => line.step));
      for (const step of ['AcquireLock', 'Preflight', 'PromoteNodegroups', 'ScaleDeployments', 'StartRestore', 'AwaitRestore', 'ShiftTraffic', 'AwaitTrafficSync', 'Verify', 'Notify', 'ReleaseLock']) expect(timed).toContain(step);
      expect(named('StepDuration')[0]!._aws.CloudWatchMetrics[0]!.Metrics).toEqual([{ Name: 'StepDuration', Unit: 'Milliseconds' }]);
    });
  });

  it('counts a failed failover from ReleaseLockAfterFailure', async () => {
    await withWorld(async (world) => {
      world.clock.advanceTo(new Date(world.clock.now().getTime() + 3 * 60 * 60_000)); // every backup older than the RPO
      await invoke('alarmTrigger', eventBridgeAlarmEvent(world.failRegion('payments', 'us-east-1')));
      const [outcome] = await world.sfn.settle();
      expect(outcome?.status).toBe('FAILED');
      expect(named('FailoverFailed')).toEqual([expect.objectContaining({ app: 'payments', step: 'ReleaseLock', FailoverFailed: 1 })]);
      expect(named('FailoverSucceeded')).toEqual([]);
    });
  });

  it('writes nothing while POWERTOOLS_METRICS_DISABLED (or POWERTOOLS_DEV alone) says so, and follows the variables as they change', () => {
    // (POWERTOOLS_DEV with metrics enabled is left out: dev mode moves Powertools' output to the
    // global console, which jest captures differently by environment.)
    const where = { app: 'payments', step: 'Verify' };
    const emitted = (env: { disabled?: string; dev?: string }) => {
      lines = [];
      for (const [name, value] of [['POWERTOOLS_METRICS_DISABLED', env.disabled], ['POWERTOOLS_DEV', env.dev]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      emitMetric('StepDuration', 12, where);
      return named('StepDuration').length;
    };
    try {
      expect(emitted({ disabled: 'true' })).toBe(0);
      expect(emitted({ disabled: 'false' })).toBe(1);
      expect(emitted({ dev: 'true' })).toBe(0);
      expect(emitted({})).toBe(1);
    } finally {
      process.env.POWERTOOLS_METRICS_DISABLED = 'false';
      delete process.env.POWERTOOLS_DEV;
    }
  });
});
