import { describe, expect, it } from '@jest/globals';
import { verifyChain } from '../../src/domain/audit-chain.js';
import { SCENARIO_SPECS, SCENARIOS, simulate, type Scenario, type SimulationReport } from '../../src/local/simulate.js';
import type { SimulatedWorld } from '../../src/local/world.js';
import type { AuditRecord } from '../../src/ports/audit.js';
import { exampleConfig } from '../support/world.js';

/*
 * Each chaos scenario of `lifeboat simulate --scenario NAME`, through the real trigger, the real
 * state machine and the real handlers: it must end in its documented safe state, and the world,
 * the audit trail and Slack must show it.
 */

interface Observed {
  report: SimulationReport;
  trail: AuditRecord[];
  receipts: AuditRecord[];
  slack: string[];
  executions: number;
  world: {
    nodegroups: Record<string, unknown>;
    restores: number;
  };
}

async function play(scenario: Scenario): Promise<Observed> {
  let seen: Omit<Observed, 'report'> | undefined;
  const report = await simulate({
    config: exampleConfig(),
    scenario,
    inspect: async (world: SimulatedWorld, r) => {
      const app = world.app(r.app!);
      seen = {
        trail: r.incidentId ? await world.auditTrail(r.incidentId) : [],
        receipts: r.incidentId ? await world.receipts(r.incidentId) : [],
        slack: world.slack.messages.map((m) => `${m.text}\n${JSON.stringify(m.blocks)}`),
        executions: world.sfn.list().length,
        world: {
          nodegroups: Object.fromEntries(app.regions.map((region) => [region.name, world.eks.scalingOf(region.name, region.eks.cluster, region.eks.nodegroups[0]!.name)])),
          restores: r.sideEffects.restoresCreated,
        },
      };
    },
  });
  return { report, ...seen! };
}

describe('chaos scenarios', () => {
  it('documents a safe end state and an outcome for every scenario', () => {
    expect(SCENARIOS).toEqual(['region-outage', 'target-degrades', 'primary-recovers', 'slack-down', 'dynamodb-throttled', 'two-regions-fail', 'stale-backup', 'all-regions-fail']);
    for (const name of SCENARIOS) expect(SCENARIO_SPECS[name].safeState.length).toBeGreaterThan(20);
  });

  it('primary-recovers: a flapping primary neither starts a second failover nor moves traffic back; each flap is in the trail', async () => {
    const { report, trail, receipts, executions } = await play('primary-recovers');
    expect(report.outcome).toBe(SCENARIO_SPECS['primary-recovers'].outcome);
    expect(executions).toBe(1);
    expect(report.weights.after).toEqual({ 'payments-us-east-1': 0, 'payments-us-west-2': 100 });
    expect(report.sideEffects.route53Changes).toBe(1);
    // the OK transition is ignored and the new ALARM collapses into the running incident, both on its record
    expect(report.ignored.map((i) => i.reason)).toEqual([expect.stringMatching(/^transition to OK/), expect.stringMatching(/^collapsed into incident/)]);
    expect(report.ignored.every((i) => i.incidentId === report.incidentId)).toBe(true);
    expect(receipts.map((r) => r.outcome).sort()).toEqual(['Collapsed', 'Ignored']);
    expect(verifyChain(trail)).toEqual([]);
  });

  it('slack-down: the failover completes without Slack; every failed notification attempt is in the audit trail', async () => {
    const { report, trail, slack } = await play('slack-down');
    expect(report.outcome).toBe('succeeded');
    expect(report.weights.after).toEqual({ 'payments-us-east-1': 0, 'payments-us-west-2': 100 });
    expect(slack).toEqual([]);
    // started and succeeded, each tried four times (the first try and three retries)
    expect(report.notifications).toEqual({ delivered: 0, failedAttempts: 8 });
    expect(report.faultsFired.slack).toBe(8);
    const failures = trail.filter((r) => r.step === 'Notify');
    expect(failures).toHaveLength(8);
    expect(failures.every((r) => r.outcome === 'Failed' && r.error === 'Slack answered HTTP 503')).toBe(true);
    expect(verifyChain(trail)).toEqual([]);
  });

  it('dynamodb-throttled: throttled lock and audit writes are retried; one failover, an intact chain', async () => {
    const { report, trail } = await play('dynamodb-throttled');
    expect(report.outcome).toBe('succeeded');
    expect(report.faultsFired.dynamodb).toBe(8);
    expect(report.sideEffects).toMatchObject({ route53Changes: 1, nodegroupUpdates: 1, restoresCreated: 1 });
    expect(verifyChain(trail)).toEqual([]);
    expect(trail.filter((r) => r.step === 'ShiftTraffic' && r.outcome === 'ChangeRequested')).toHaveLength(1);
  });

  it('two-regions-fail: preflight passes over the failing first standby and moves traffic to the third region', async () => {
    const { report, trail, executions } = await play('two-regions-fail');
    expect(report.outcome).toBe('succeeded');
    expect(report.app).toBe('checkout');
    expect(report.to).toBe('eu-west-1');
    expect(executions).toBe(1);
    expect(report.weights.after).toEqual({ 'checkout-us-east-1': 0, 'checkout-us-west-2': 0, 'checkout-eu-west-1': 100 });
    expect(report.passedOver).toEqual([{ region: 'us-west-2', reasons: expect.stringMatching(/^us-west-2 is unreachable/) }]);
    // the failing standby's own alarm starts nothing: it is not serving the app
    expect(report.ignored).toEqual([expect.objectContaining({ alarmName: 'checkout-usw2-errors', reason: 'us-west-2 is not serving checkout (its traffic is in us-east-1)' })]);
    const preflight = trail.filter((r) => r.step === 'Preflight').map((r) => [r.intent, r.outcome]);
    // three attempts find us-west-2's control plane down (the workflow retries between them), then it is passed over
    expect(preflight).toEqual([
      ['check us-west-2 can take over from us-east-1', 'Failed'],
      ['check us-west-2 can take over from us-east-1', 'Failed'],
      ['check us-west-2 can take over from us-east-1', 'Failed'],
      ['check us-west-2 can take over from us-east-1', 'Refused'],
      ['check eu-west-1 can take over from us-east-1', 'Passed'],
    ]);
    expect(trail.find((r) => r.step === 'ShiftTraffic' && r.outcome === 'ChangeRequested')?.intent).toBe('shift cart.checkout.example.com CNAME from us-east-1 to eu-west-1');
  });

  it('stale-backup: refused before any change; the notification names the backup and its age', async () => {
    const { report, slack, world } = await play('stale-backup');
    expect(report.outcome).toBe('refused');
    expect(report.error).toMatch(/newest Completed backup payments-hourly-\d+ is 205 min old, over the RPO limit of 60 min/);
    expect(report.sideEffects).toEqual({ route53Changes: 0, nodegroupUpdates: 0, deploymentsScaled: 0, restoresCreated: 0, slackMessages: 1 });
    expect(report.weights.after).toEqual(report.weights.before);
    expect(world.nodegroups['us-west-2']).toEqual({ minSize: 1, desiredSize: 1, maxSize: 12 });
    expect(slack[0]).toMatch(/205 min old/);
  });

  it('all-regions-fail: nothing moves, and the notification gives each region\'s reasons', async () => {
    const { report, slack, trail } = await play('all-regions-fail');
    expect(report.outcome).toBe('refused');
    expect(report.app).toBe('checkout');
    expect(report.passedOver.map((p) => p.region)).toEqual(['us-west-2', 'eu-west-1']);
    expect(report.sideEffects).toMatchObject({ route53Changes: 0, nodegroupUpdates: 0, deploymentsScaled: 0, restoresCreated: 0 });
    expect(report.weights.after).toEqual({ 'checkout-us-east-1': 100, 'checkout-us-west-2': 0, 'checkout-eu-west-1': 0 });
    expect(slack).toHaveLength(1);
    expect(slack[0]).toMatch(/us-west-2: us-west-2 is unreachable \(3 attempts\)/);
    expect(slack[0]).toMatch(/eu-west-1: eu-west-1 is unreachable \(3 attempts\)/);
    expect(slack[0]).toMatch(/no region of checkout can take over from us-east-1: nothing was moved/);
    const preflight = trail.filter((r) => r.step === 'Preflight');
    expect(preflight.filter((r) => r.outcome === 'Refused').map((r) => r.intent)).toEqual(['check us-west-2 can take over from us-east-1', 'check eu-west-1 can take over from us-east-1']);
    expect(preflight.some((r) => r.outcome === 'Passed')).toBe(false);
  });

  it('target-degrades and region-outage end in their documented outcomes', async () => {
    for (const scenario of ['region-outage', 'target-degrades'] as const) {
      const { report } = await play(scenario);
      expect(report.outcome).toBe(SCENARIO_SPECS[scenario].outcome);
      expect(report.scenario).toEqual({ name: scenario, safeState: SCENARIO_SPECS[scenario].safeState, expectedOutcome: SCENARIO_SPECS[scenario].outcome });
    }
  });
});
