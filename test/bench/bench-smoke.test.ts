import { describe, expect, it } from '@jest/globals';
import { runBench, table } from '../../bench/main.js';
import { criticalPath } from '../../bench/rto.js';
import { medianRun } from '../../bench/support.js';

/*
 * Keeps `npm run bench` working: every benchmark at a tiny size. No timing is asserted (this
 * machine is shared); the shape of the results and that the real code ran are.
 */

describe('the benchmark harness', () => {
  it('runs every benchmark and reports each figure results.json promises', async () => {
    // act
    const results = await runBench({ triggerEvents: 20, triggerWarmup: 5, stormEvents: 40, stormConcurrency: 4, coldStartRuns: 1, coldStartFunctions: ['alarmTrigger', 'preflight'], evacuationApps: [1, 3], rtoApps: 3 });

    // assert
    expect(results.trigger).toMatchObject({ events: 20, p50Ms: expect.any(Number), p99Ms: expect.any(Number) });
    expect(results.trigger.p99Ms).toBeGreaterThanOrEqual(results.trigger.p50Ms);
    expect(results.trigger.cpuMsPerEvent).toBeGreaterThan(0);
    expect(results.triggerDynamoOutOfProcess).toMatchObject({ events: 20, dynamodb: 'child-process', cpuMsPerEvent: expect.any(Number) });
    expect(results.storm.events).toBe(40);
    expect(results.storm.eventsPerSecond).toBeGreaterThan(0);
    expect(results.storm.secondHalfEventsPerSecond).toBeGreaterThan(0);
    expect(results.storm.executionsFailed).toEqual([]);
    expect(results.storm.executionsSucceeded).toBe(results.storm.executionsStarted);
    expect(results.stormDynamoOutOfProcess).toMatchObject({ events: 40, dynamodb: 'child-process' });
    expect(results.stormDynamoOutOfProcess.eventsPerSecond).toBeGreaterThan(0);
    expect(results.triggerDirect).toMatchObject({ events: 20, dynamodb: 'direct', dynamoCallsPerEvent: expect.any(Number) });
    expect(results.triggerDirect.dynamoCallsPerEvent).toBeGreaterThan(0);
    expect(results.stormDirect).toMatchObject({ events: 40, dynamodb: 'direct' });
    expect(results.stormDirect.dynamoCallsPerEvent).toBeGreaterThan(0);
    expect(results.evacuation.map((e) => [e.apps, e.outcome, e.throttleRetries])).toEqual([[1, 'succeeded', 0], [3, 'succeeded', 0]]);
    expect(results.evacuation.every((e) => e.largestStateBytes !== null && e.largestStateBytes < 256 * 1024)).toBe(true);
    expect(results.evacuationDirect).toMatchObject({ apps: 3, outcome: 'succeeded', route53ChangeCalls: 3, dynamodb: 'direct' });
    expect(results.evacuationDynamoOutOfProcess).toMatchObject({ apps: 3, outcome: 'succeeded', route53ChangeCalls: 3, dynamodb: 'child-process' });
    // the DynamoDB calls went to the child's dynalite and were still counted; this process's CPU was measured
    expect(results.evacuationDynamoOutOfProcess!.dynamoCallsPerTask).toBeGreaterThan(0.5);
    expect(results.evacuationDynamoOutOfProcess!.cpuMsPerTaskInvocation).toBeGreaterThan(0);
    expect(results.evacuation[1]).toMatchObject({ zones: 3, route53ChangeCalls: 3, changeRounds: 1 });
    // every Task writes its audit record, and the runtime's DynamoDB calls are counted
    expect(results.evacuation[1]!.dynamoCallsPerTask).toBeGreaterThan(0.5);
    expect(results.rto).toMatchObject({ outcome: 'succeeded', lastOf500AppsSeconds: expect.any(Number) });
    expect(results.rto.oneAppSeconds).toBeGreaterThan(0);
    expect(results.rto.criticalPath[0]).toBe('AcquireLock');
    expect(results.rto.criticalPath.at(-1)).toBe('ReleaseLock');
    expect(results.coldStart.map((c) => c.function)).toEqual(['alarmTrigger', 'preflight']);
    for (const c of results.coldStart) {
      expect(c.bundleBytes).toBeGreaterThan(10_000);
      expect(c.initMs).toBeGreaterThan(0);
      expect(c.baselineInitMs).toBeGreaterThan(0);
    }
    // the lean bundles: no trigger talks to a cluster
    expect(results.coldStart.find((c) => c.function === 'alarmTrigger')!.sdkImports).not.toContain('@aws-sdk/client-eks');
    expect(results.machine.node).toBe(process.version);
    expect(table(results)).toContain('trigger latency');
  }, 180_000);

  it('reports the median of repeated runs, with every run\'s figure in run order', async () => {
    // arrange
    const figures = [5.2, 3.1, 4.4, 9.9];
    let call = 0;
    const measure = async () => ({ run: call, p99Ms: figures[call++]! });

    // act
    const three = await medianRun(3, measure, (r) => r.p99Ms);
    call = 0;
    const four = await medianRun(4, measure, (r) => r.p99Ms);

    // assert
    expect(three).toEqual({ run: 2, p99Ms: 4.4, figureOfEachRun: [5.2, 3.1, 4.4] });
    expect(four).toMatchObject({ run: 2, p99Ms: 4.4, figureOfEachRun: [5.2, 3.1, 4.4, 9.9] }); // the lower median
  });

  it('finds the critical path through the parallel branches: the slower one gated the shift', () => {
    // arrange
    const at = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
    const steps = [
      { name: 'Preflight', status: 'succeeded', start: at(0), end: at(1) },
      { name: 'PromoteNodegroups', status: 'succeeded', start: at(1), end: at(30) },
      { name: 'StartRestore', status: 'succeeded', start: at(1), end: at(2) },
      { name: 'AwaitRestore', status: 'succeeded', start: at(2), end: at(20) },
      { name: 'ShiftTraffic', status: 'succeeded', start: at(30), end: at(31) },
    ] as Parameters<typeof criticalPath>[0];

    // act / assert
    expect(criticalPath(steps)).toEqual(['Preflight', 'PromoteNodegroups', 'ShiftTraffic']);
  });
});
