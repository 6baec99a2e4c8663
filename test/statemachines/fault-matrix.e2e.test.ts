import { afterAll, describe, expect, it } from '@jest/globals';
import { verifyChain } from '../../src/domain/audit-chain.js';
import { allStates, loadDefinition } from '../../src/local/asl.js';
import { CRASH_POINTS, type CrashPoint, type Fault } from '../../src/local/faults.js';
import { simulate } from '../../src/local/simulate.js';
import { FAILOVER_DEFINITION, type SimulatedWorld } from '../../src/local/world.js';
import { auditTrail, stepDeps } from '../../src/runtime/container.js';
import { exampleConfig } from '../support/world.js';

/*
 * The fault matrix: every Task of the failover state machine crashed at every point, and every
 * dependency failing the way it really does, run through the real state machine. Each run must end
 * in the same world as a fault-free run, with each external side effect made exactly once and an
 * audit chain that verifies.
 */

interface FinalState {
  outcome: string;
  weights: Record<string, number>;
  nodegroup: unknown;
  deployments: (number | undefined)[];
  restores: number;
  lockHeld: boolean;
  cooldown: boolean;
  sideEffects: Record<string, number>;
  auditBreaks: unknown[];
  crashesFired: number;
}

async function runWith(faults: Fault[], setUp?: (world: SimulatedWorld) => void): Promise<FinalState> {
  tally.runs += 1;
  let final: FinalState | undefined;
  await simulate({
    config: exampleConfig(),
    prepare: (world) => {
      setUp?.(world);
      faults.forEach((fault) => world.inject(fault));
    },
    inspect: async (world: SimulatedWorld, report) => {
      const target = world.app('payments').regions[1]!;
      const cluster = world.cluster(target);
      const now = world.clock.now();
      const { locks } = await stepDeps();
      final = {
        outcome: report.outcome,
        weights: report.weights.after,
        nodegroup: world.eks.scalingOf(target.name, target.eks.cluster, 'payments-workers'),
        deployments: target.eks.deployments.map((d) => cluster.deployment(d.namespace, d.name)?.spec?.replicas),
        restores: cluster.restores().length,
        lockHeld: (await locks.current('payments', now)) !== undefined,
        cooldown: (await locks.cooldown('payments', now)) !== undefined,
        sideEffects: report.sideEffects,
        auditBreaks: verifyChain(await auditTrail().read(report.incidentId!)),
        crashesFired: world.crashes.fired.length,
      };
    },
  });
  return final!;
}

const EXPECTED: Omit<FinalState, 'crashesFired'> = {
  outcome: 'succeeded',
  weights: { 'payments-us-east-1': 0, 'payments-us-west-2': 100 },
  nodegroup: { minSize: 3, desiredSize: 6, maxSize: 12 },
  deployments: [6, 3],
  restores: 1,
  lockHeld: false,
  cooldown: true,
  sideEffects: { route53Changes: 1, nodegroupUpdates: 1, deploymentsScaled: 2, restoresCreated: 1, slackMessages: 2 },
  auditBreaks: [],
};

const tasks = allStates(loadDefinition(FAILOVER_DEFINITION))
  .filter(([, state]) => state.Type === 'Task')
  .map(([name]) => name);
/** Tasks only a failed run reaches; they get their own runs below. */
const FAILURE_PATH = new Set(['NotifyFailed', 'ReleaseLockAfterFailure', 'CompensateTraffic']);
/** Tasks of the approval gate, which an automatic failover never enters (test/statemachines/approval.e2e.test.ts runs them). */
const APPROVAL_PATH = new Set(['OpenApproval', 'AwaitApproval', 'ApprovalTimedOut']);
/**
 * The data-plane fallback, which only a run whose record changes keep failing enters, for an app
 * with health-check gates (the example has none): test/statemachines/data-plane.e2e.test.ts runs it.
 */
const DATA_PLANE_PATH = new Set(['ShiftTrafficDataPlane']);
/** Tasks that change something; a mid-step timeout needs a side effect to happen after. */
const WRITING_TASKS = new Set(['AcquireLock', 'NotifyStarted', 'PromoteNodegroups', 'ScaleDeployments', 'StartRestore', 'ShiftTraffic', 'NotifySucceeded', 'ReleaseLock']);
const crashCases = tasks.filter((state) => !FAILURE_PATH.has(state) && !APPROVAL_PATH.has(state) && !DATA_PLANE_PATH.has(state)).flatMap((state) => CRASH_POINTS.filter((point) => point !== 'timeout' || WRITING_TASKS.has(state)).map((point) => [state, point] as [string, CrashPoint]));

const tally = { runs: 0, passed: 0 };
afterAll(() => {
  process.stdout.write(`fault matrix: ${crashCases.length} crash cases (${tasks.length} tasks × ${CRASH_POINTS.join('/')}) + failure-path crashes + dependency faults; ${tally.passed}/${tally.runs} runs reached the expected world (the fault-free one, or a clean refusal on the failure path)\n`);
});

describe('the fault matrix', () => {
  it('starts from a fault-free run that reaches the expected world', async () => {
    expect(await runWith([])).toEqual({ ...EXPECTED, crashesFired: 0 });
    tally.passed += 1;
  });

  it.each(crashCases)('crash in %s (%s): same final world, every side effect once', async (state, point) => {
    const final = await runWith([{ kind: 'crash', state, point }]);
    expect(final.crashesFired).toBe(1);
    if (point === 'timeout' && state.startsWith('Notify')) {
      // Killed between the webhook post and recording it: Slack has no idempotency key, so this one
      // window is at-least-once (the only duplicate the matrix allows).
      expect(final).toEqual({ ...EXPECTED, sideEffects: { ...EXPECTED.sideEffects, slackMessages: 3 }, crashesFired: 1 });
    } else {
      expect(final).toEqual({ ...EXPECTED, crashesFired: 1 });
    }
    tally.passed += 1;
  });

  it('still waits for the Route 53 change to be INSYNC when ShiftTraffic crashed after making it', async () => {
    let polled = 0;
    await simulate({
      config: exampleConfig(),
      prepare: (world) => world.inject({ kind: 'crash', state: 'ShiftTraffic', point: 'after' }),
      inspect: (world) => void (polled = world.route53.callCount('GetChange')),
    });
    expect(polled).toBeGreaterThan(1);
  });

  // A refused failover (unhealthy target) takes the failure path: notified once, nothing changed, lock released.
  const unhealthyTarget = (world: SimulatedWorld) => world.route53.setHealthCheck(world.app('payments').regions[1]!.route53.healthCheckId, false);
  const REFUSED: Omit<FinalState, 'crashesFired'> = {
    ...EXPECTED,
    outcome: 'refused',
    weights: { 'payments-us-east-1': 100, 'payments-us-west-2': 0 },
    nodegroup: { minSize: 1, desiredSize: 1, maxSize: 12 },
    deployments: [1, 1],
    restores: 0,
    cooldown: false,
    sideEffects: { route53Changes: 0, nodegroupUpdates: 0, deploymentsScaled: 0, restoresCreated: 0, slackMessages: 1 },
  };

  it.each(['NotifyFailed', 'ReleaseLockAfterFailure'].flatMap((state) => CRASH_POINTS.map((point) => [state, point] as [string, CrashPoint])))(
    'crash in %s (%s) on the failure path: still refused, notified once, nothing changed',
    async (state, point) => {
      const final = await runWith([{ kind: 'crash', state, point }], unhealthyTarget);
      expect(final.crashesFired).toBe(1);
      const duplicateWindow = point === 'timeout' && state === 'NotifyFailed';
      expect(final).toEqual({ ...REFUSED, sideEffects: { ...REFUSED.sideEffects, slackMessages: duplicateWindow ? 2 : 1 }, crashesFired: 1 });
      tally.passed += 1;
    },
  );

  // The target fails verification after traffic moved: compensation puts the weights back, the
  // promoted cluster stays up, a cooldown starts, and the app stays active where it was.
  const COMPENSATED: Omit<FinalState, 'crashesFired'> = {
    ...EXPECTED,
    outcome: 'compensated',
    weights: { 'payments-us-east-1': 100, 'payments-us-west-2': 0 },
    sideEffects: { ...EXPECTED.sideEffects, route53Changes: 2 },
  };
  const targetDegrades = (world: SimulatedWorld) => world.afterStep('ShiftTraffic', () => world.cloudwatch.transition('us-west-2', 'payments-usw2-api-5xx', 'ALARM', 'errors'));

  it.each(CRASH_POINTS.map((point) => ['CompensateTraffic', point] as [string, CrashPoint]))(
    'crash in %s (%s): the weights still go back, once',
    async (state, point) => {
      const final = await runWith([{ kind: 'crash', state, point }], targetDegrades);
      expect(final).toEqual({ ...COMPENSATED, crashesFired: 1 });
      tally.passed += 1;
    },
  );

  it.each<[string, Fault]>([
    ['Route 53 Throttling', { kind: 'route53', error: 'Throttling', times: 3 }],
    ['Route 53 PriorRequestNotComplete', { kind: 'route53', error: 'PriorRequestNotComplete', times: 2 }],
    ['EKS ResourceInUseException', { kind: 'eks', error: 'ResourceInUseException', times: 2 }],
    ['Kubernetes 409', { kind: 'kubernetes', status: 409, times: 2 }],
    ['Kubernetes 429', { kind: 'kubernetes', status: 429, times: 3 }],
    ['Kubernetes 500', { kind: 'kubernetes', status: 500, times: 2 }],
    ['DynamoDB throttling', { kind: 'dynamodb', error: 'ThrottlingException', times: 3 }],
    ['DynamoDB ProvisionedThroughputExceeded', { kind: 'dynamodb', error: 'ProvisionedThroughputExceededException', times: 2 }],
    ['Slack 5xx', { kind: 'slack', failure: 503, times: 2 }],
    ['Slack hanging up', { kind: 'slack', failure: 'hangup', times: 1 }],
  ])('%s is retried to the same final world', async (_name, fault) => {
    expect(await runWith([fault])).toEqual({ ...EXPECTED, crashesFired: 0 });
    tally.passed += 1;
  });
});
