import { describe, expect, it } from '@jest/globals';
import { verifyChain } from '../../src/domain/audit-chain.js';
import { regionFleetConfig } from '../../src/local/evacuation-config.js';
import { simulateEvacuation } from '../../src/local/evacuate.js';
import { planEvacuation } from '../../src/domain/evacuation.js';
import { evacuationStateBytes } from '../../src/domain/evacuation-capacity.js';
import { onEvacuationRequest } from '../../src/triggers/evacuate.js';

/*
 * End to end: the real evacuation ASL run locally, every Task bound to the real handler, against the
 * simulated world with Route 53's real limits on (5 requests a second, 100 changes a request, one
 * change in flight per zone), on virtual time. 20 apps primary in eu-west-1, records in 3 zones.
 */

const FAST = { route53SyncSeconds: 60, nodegroupUpdateSeconds: 30, restoreSeconds: 30, deploymentReadySeconds: 10 };
const config = regionFleetConfig(20, { zones: 3 });
const targetOf = (app: number) => config.apps[app]!.regions[1]!;

describe('the evacuation state machine, end to end', () => {
  it('moves every app out of a failing region in one incident, batching Route 53 per zone, without throttling', async () => {
    // act
    const report = await simulateEvacuation({
      config,
      region: 'eu-west-1',
      latencies: FAST,
      inspect: async (world) => {
        // assert: every app at its target, and each app's own trail tells its whole story
        for (const app of config.apps) {
          expect(world.weights(app.name)).toEqual({ [`${app.name}-eu-west-1`]: 0, [`${app.name}-eu-central-1`]: 100 });
        }
        const changeIds = new Set<string>();
        for (const app of config.apps) {
          const trail = await world.auditTrail(`${world.sfn.list()[0]!.name}--${app.name}`);
          expect(verifyChain(trail)).toEqual([]);
          expect(trail.map((r) => `${r.step}:${r.outcome}`)).toEqual(
            expect.arrayContaining(['AcquireLock:LockAcquired', 'Preflight:Passed', 'ShiftTraffic:ChangeRequested', 'AwaitTrafficSync:Converged', 'Verify:Passed', 'Notify:Notified', 'ReleaseLock:LockReleased']),
          );
          const shift = trail.find((r) => r.step === 'ShiftTraffic')!;
          changeIds.add((shift.change as { changeId: string }).changeId);
          expect(trail.filter((r) => r.step === 'ShiftTraffic')).toHaveLength(1);
        }
        // one change per zone, shared by the apps of that zone
        expect(changeIds.size).toBe(3);
        // Route 53 per zone, never per app: one snapshot read and one pre-change read per zone, health from CloudWatch
        expect(world.route53.callCount('ListResourceRecordSets')).toBe(6);
        expect(world.route53.callCount('GetHealthCheckStatus')).toBe(0);
        expect(world.cloudwatch.callCount('GetMetricData')).toBeLessThanOrEqual(1 + 1 + 20 * 8);
        // nothing was asked of the failing region
        expect(world.eks.calls.filter((c) => c.region === 'eu-west-1')).toEqual([]);
        const evacuationTrail = await world.auditTrail(world.sfn.list()[0]!.name);
        expect(verifyChain(evacuationTrail)).toEqual([]);
        expect(evacuationTrail.at(-2)).toMatchObject({ step: 'Evacuate', outcome: 'Converged' });
      },
    });

    // assert
    expect(report).toMatchObject({ outcome: 'succeeded', status: 'SUCCEEDED' });
    expect(report.summary?.counts).toEqual({ apps: 20, succeeded: 20, failed: 0, notPrepared: 0, skipped: 0 });
    expect(report.route53).toMatchObject({ changeCalls: 3, throttled: 0, priorRequestNotComplete: 0 });
    expect(report.sideEffects).toMatchObject({ route53Changes: 3, nodegroupUpdates: 20, restoresCreated: 20, slackMessages: 21 });
  }, 120_000);

  it('verifies 120 apps from one bulk read of their targets\' health and alarms: no per-app GetMetricData or DescribeAlarms, nothing throttled', async () => {
    // arrange: more apps than CloudWatch answers GetMetricData (50) and DescribeAlarms (9) a second, verified side by side
    const fleet = regionFleetConfig(120, { zones: 5 });

    // act
    const report = await simulateEvacuation({
      config: fleet,
      region: 'eu-west-1',
      latencies: FAST,
      maxConcurrency: 120,
      inspect: async (world) => {
        // assert: AwaitSyncAll read every target in one request; each Verify used it
        const reads = world.cloudwatch.calls.filter((call) => call.operation === 'GetMetricData');
        expect(reads.filter((call) => call.state === 'AwaitSyncAll')).toHaveLength(1);
        expect(reads.filter((call) => call.state === 'EvacuationVerify')).toEqual([]);
        expect(reads.filter((call) => call.error)).toEqual([]);
        // 120 alarm names in each of two regions: two requests (of up to 100 names) per region
        const describes = world.cloudwatch.calls.filter((call) => call.operation === 'DescribeAlarms');
        expect(describes.map((call) => `${call.state} ${call.region}${call.error ? ` ${call.error}` : ''}`).sort()).toEqual([
          'AwaitSyncAll eu-central-1', 'AwaitSyncAll eu-central-1', 'AwaitSyncAll us-east-1', 'AwaitSyncAll us-east-1',
        ]);
        const trail = await world.auditTrail(`${world.sfn.list()[0]!.name}--${fleet.apps[0]!.name}`);
        expect(trail.find((r) => r.step === 'AwaitTrafficSync')).toMatchObject({ after: { target: { healthy: true, alarms: [{ state: 'OK' }, { state: 'OK' }] } } });
        expect(trail.find((r) => r.step === 'Verify')).toMatchObject({ outcome: 'Passed', after: { healthCheck: { healthy: true }, alarms: [{ state: 'OK' }, { state: 'OK' }] } });
      },
    });

    expect(report).toMatchObject({ outcome: 'succeeded', status: 'SUCCEEDED' });
    expect(report.summary?.counts).toMatchObject({ apps: 120, succeeded: 120, failed: 0 });
    expect(report.route53).toMatchObject({ throttled: 0 });
  }, 120_000);

  it('reads live in Verify only for the app whose target alarm was firing at the bulk read, and passes it once the alarm clears', async () => {
    // arrange: app3's target alarm is in ALARM until its own Verify first reads it, then clears
    const alarm = targetOf(3).alarms[0]!.name;
    const report = await simulateEvacuation({
      config,
      region: 'eu-west-1',
      latencies: FAST,
      prepare: (world) => {
        world.cloudwatch.transition('eu-central-1', alarm, 'ALARM', 'Threshold Crossed: p99 latency above 2 s');
        const describe = world.cloudwatch.DescribeAlarms.bind(world.cloudwatch);
        world.cloudwatch.DescribeAlarms = (input, context) => {
          const output = describe(input, context);
          if (world.cloudwatch.calls.at(-1)?.state === 'EvacuationVerify' && input.AlarmNames?.includes(alarm)) {
            world.cloudwatch.transition('eu-central-1', alarm, 'OK', 'Threshold Crossed: p99 latency back under 2 s');
          }
          return output;
        };
      },
      inspect: async (world) => {
        // assert: the bulk read saw the alarm firing; only app3's Verify asked CloudWatch itself
        const name = world.sfn.list()[0]!.name;
        const trail = await world.auditTrail(`${name}--app3`);
        expect(trail.find((r) => r.step === 'AwaitTrafficSync')).toMatchObject({ after: { target: { alarms: expect.arrayContaining([{ name: alarm, region: 'eu-central-1', state: 'ALARM' }]) } } });
        expect(trail.find((r) => r.step === 'Verify')).toMatchObject({ outcome: 'Passed', after: { alarms: expect.arrayContaining([{ name: alarm, state: 'OK' }]) } });
        const verifyReads = world.cloudwatch.calls.filter((call) => call.operation === 'DescribeAlarms' && call.state === 'EvacuationVerify');
        expect(verifyReads.length).toBeGreaterThanOrEqual(2);
        expect(verifyReads.every((call) => JSON.stringify(call.input).includes('app3-'))).toBe(true);
        expect(world.weights('app3')).toEqual({ 'app3-eu-west-1': 0, 'app3-eu-central-1': 100 });
      },
    });

    expect(report).toMatchObject({ outcome: 'succeeded', status: 'SUCCEEDED' });
    expect(report.summary?.counts).toMatchObject({ apps: 20, succeeded: 20, failed: 0 });
  }, 120_000);

  it('carries 500 apps with 40-character names within Step Functions\' 256 KiB of state', async () => {
    // arrange: the longest app names the config allows make the longest record, cluster and alarm names
    const fleet = regionFleetConfig(500, { zones: 5, nameLength: 40 });

    // act
    const report = await simulateEvacuation({ config: fleet, region: 'eu-west-1', latencies: FAST });

    // assert: the local runner fails an execution with States.DataLimitExceeded past 256 KiB, as AWS
    // does; it must have carried every app to its summary, each moved, within the limit. Nothing here
    // may depend on real time: on loaded CI machines a Lambda Task's TimeoutSeconds (now on virtual
    // time) and dynalite's keep-alive closes (now off) each once cost some of the 500 apps.
    expect(report.error ?? '').not.toMatch(/DataLimitExceeded/);
    expect(report.largestStateData?.bytes).toBeLessThan(256 * 1024);
    expect(report.summary?.counts).toMatchObject({ apps: 500, succeeded: 500 });
    // (should one fail, this names it and the step, rather than only a count)
    expect({ notSucceeded: report.apps.filter((app) => app.outcome !== 'succeeded').slice(0, 3), stepErrors: report.steps.filter((step) => step.error).slice(0, 3) }).toEqual({ notSucceeded: [], stepErrors: [] });
    expect(report.route53).toMatchObject({ changeCalls: 10, throttled: 0 });
  }, 180_000);

  it('carries on without an app that fails preflight, and never moves that app', async () => {
    // act
    const report = await simulateEvacuation({
      config,
      region: 'eu-west-1',
      latencies: FAST,
      prepare: (world) => void world.route53.setHealthCheck(targetOf(7).route53.healthCheckId, false),
      inspect: async (world) => {
        // assert
        expect(world.weights('app7')).toEqual({ 'app7-eu-west-1': 100, 'app7-eu-central-1': 0 });
        expect(world.route53.changesTo(`${targetOf(7).route53.recordName}.`, 'A', 'app7-eu-central-1')).toBe(0);
        expect(world.weights('app8')).toEqual({ 'app8-eu-west-1': 0, 'app8-eu-central-1': 100 });
        const trail = await world.auditTrail(`${world.sfn.list()[0]!.name}--app7`);
        expect(trail.find((r) => r.step === 'Preflight' && r.outcome === 'Refused')?.error).toMatch(/target health check .* is unhealthy/);
        expect(trail.at(-1)).toMatchObject({ step: 'ReleaseLock', outcome: 'LockReleased' });
        expect(trail.some((r) => r.step === 'ShiftTraffic')).toBe(false);
      },
    });

    // assert
    expect(report.outcome).toBe('partial');
    expect(report.status).toBe('FAILED');
    expect(report.summary?.counts).toMatchObject({ apps: 20, succeeded: 19, notPrepared: 1 });
    expect(report.apps.find((a) => a.app === 'app7')).toMatchObject({ outcome: 'not prepared', error: 'PreflightRefusedError' });
    expect(report.route53).toMatchObject({ changeCalls: 3, throttled: 0 });
  }, 120_000);

  it('changes nothing when the same evacuation runs again', async () => {
    await simulateEvacuation({
      config,
      region: 'eu-west-1',
      latencies: FAST,
      inspect: async (world) => {
        // arrange
        const [first] = world.sfn.list();
        const before = { effects: world.sideEffects(), changeCalls: world.route53.stats().changeCalls };

        // act: the execution replayed with the very same input
        world.sfn.handle('StartExecution', { stateMachineArn: world.evacuationStateMachineArnIn(world.homeRegion), name: 'replay', input: JSON.stringify(first!.input) }, { region: world.homeRegion, clientName: 'SFNClient' } as never);
        const outcomes = await world.sfn.settle();

        // assert
        expect(outcomes.at(-1)?.status).toBe('SUCCEEDED');
        expect(world.sideEffects()).toEqual(before.effects);
        expect(world.route53.stats().changeCalls).toBe(before.changeCalls);
        // (a replay at once may meet Route 53's rate still spent by the first run: throttled, retried, never changed)
      },
    });
  }, 180_000);

  it('evacuates us-east-1 when its CloudWatch is down too: target health from Route 53 itself, within its request rate', async () => {
    // arrange: Route 53's health-check metrics live in us-east-1, the region that fails here
    const east = regionFleetConfig(8, { zones: 2, primary: 'us-east-1', standby: 'us-west-2' });

    // act
    const report = await simulateEvacuation({
      config: east,
      region: 'us-east-1',
      latencies: FAST,
      inspect: async (world) => {
        const trail = await world.auditTrail(world.sfn.list()[0]!.name);
        expect(trail.find((r) => r.step === 'Snapshot' && r.outcome === 'Converged')?.after).toMatchObject({ healthSources: { route53: 8 }, cloudWatch: 'unavailable' });
        for (const app of east.apps) expect(world.weights(app.name)).toEqual({ [`${app.name}-us-east-1`]: 0, [`${app.name}-us-west-2`]: 100 });
      },
    });

    // assert: the snapshot's 8 GetHealthCheckStatus spread over two seconds, never throttled; the
    // per-app verifications that fall back all at once may be throttled, and retry
    expect(report).toMatchObject({ outcome: 'succeeded', status: 'SUCCEEDED' });
    expect(report.route53.changeCalls).toBe(2);
  }, 120_000);

  it('refuses, before starting anything, a region whose apps would not fit in one evacuation\'s 256 KiB of state', async () => {
    // arrange: 700 apps with 40-character names need more than Step Functions passes between states
    const fleet = regionFleetConfig(700, { zones: 5, nameLength: 40 });
    const started: string[] = [];
    const deps = {
      config: fleet,
      clock: { now: () => new Date('2026-03-14T09:00:00.000Z') },
      locks: { activeRegions: async () => new Map<string, string | undefined>() },
      executions: { start: async (_arn: string, name: string) => (started.push(name), { executionArn: `arn:${name}`, alreadyStarted: false }) },
      stateMachineArn: 'arn:aws:states:eu-west-1:111122223333:stateMachine:evacuation',
      log: () => undefined,
    };

    // act
    const refused = onEvacuationRequest(deps, { region: 'eu-west-1', mode: 'failover', reason: 'region down' }, 'oncall');

    // assert
    await expect(refused).rejects.toMatchObject({ name: 'InputValidationError', issues: [{ path: 'region', message: expect.stringMatching(/^700 apps to move out of eu-west-1 need about 3\d\d KiB of workflow state.*about 5\d\d apps of this fleet fit; nothing was started/) }] });
    expect(started).toEqual([]);
    // 500 of them fit, and start
    await expect(onEvacuationRequest({ ...deps, config: regionFleetConfig(500, { zones: 5, nameLength: 40 }) }, { region: 'eu-west-1', mode: 'failover', reason: 'region down' }, 'oncall')).resolves.toMatchObject({ alreadyStarted: false });
    expect(started).toHaveLength(1);
  });

  it('estimates the state of 500 apps with 40-character names at or above what the evacuation really carried', () => {
    // the estimate must not let through what the execution would then fail on
    const fleet = regionFleetConfig(500, { zones: 5, nameLength: 40 });
    const header = { evacuationId: 'evac-fo-eu-west-1-0123456789', region: 'eu-west-1', mode: 'failover' as const, requestedAt: '2026-03-14T09:00:00.000Z', trigger: { kind: 'manual' as const, actor: 'simulation', reason: 'simulated failover of eu-west-1' } };
    const input = { evacuation: header, maxConcurrency: 1000, ...planEvacuation(fleet, 'eu-west-1', header.evacuationId, new Map()) };
    // 203,343 bytes: the largest Task data of that evacuation (Snapshot's result), measured by the local runner
    expect(evacuationStateBytes(fleet, input)).toBeGreaterThanOrEqual(203_343);
    expect(evacuationStateBytes(fleet, input)).toBeLessThan(203_343 * 1.1);
  });

  it('refuses a region no app runs in, naming the field', async () => {
    await expect(
      simulateEvacuation({ config, region: 'ap-south-1', prepare: () => undefined }),
    ).rejects.toMatchObject({ name: 'InputValidationError' });
  }, 60_000);
});
