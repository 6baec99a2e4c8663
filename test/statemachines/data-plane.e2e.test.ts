import { describe, expect, it } from '@jest/globals';
import type { LifeboatConfig } from '../../src/domain/config.js';
import { parseConfig } from '../../src/domain/config-yaml.js';
import { eventBridgeAlarmEvent } from '../../src/local/alarm-event-builders.js';
import { exampleConfig, exampleConfigText, invoke, withWorld } from '../support/world.js';

/*
 * Data-plane failover (docs/data-plane.md): payments' weighted records are bound to health-check
 * gates (CALCULATED checks over each region's endpoint check). When ChangeResourceRecordSets keeps
 * failing, or when the app's strategy says so, traffic moves by opening and closing gates, and
 * Route 53's answers (the fake's trafficShare) follow health while the weights stay as they were.
 */

const GATES = { 'us-east-1': '0f2a4c6e-1111-4a5b-8c9d-0000000000a1', 'us-west-2': '0f2a4c6e-1111-4a5b-8c9d-0000000000a2' } as Record<string, string>;

function withGates(strategy: 'records' | 'health-checks' = 'records') {
  return exampleConfig((config: LifeboatConfig) => {
    const payments = config.apps.find((app) => app.name === 'payments')!;
    payments.route53 = { strategy };
    for (const region of payments.regions) region.route53.gateHealthCheckId = GATES[region.name];
  });
}

describe('data-plane failover through health-check gates', () => {
  it('moves traffic through the gates when ChangeResourceRecordSets keeps failing, and the audit trail says so', async () => {
    await withWorld(async (world) => {
      // arrange: Route 53's record API throttles every change for the whole run
      world.inject({ kind: 'route53', error: 'Throttling', times: 100 });
      expect(world.traffic('payments')).toEqual({ 'payments-us-east-1': 1, 'payments-us-west-2': 0 });

      // act
      const started = (await invoke('alarmTrigger', eventBridgeAlarmEvent(world.failRegion('payments', 'us-east-1')))) as { started: { executionName: string }[] };
      const [outcome] = await world.sfn.settle();

      // assert: the failover completed, DNS answers go to us-west-2, no record was changed
      expect(outcome?.status).toBe('SUCCEEDED');
      expect(outcome?.steps.map((s) => s.name)).toEqual(expect.arrayContaining(['ShiftTraffic', 'ShiftTrafficDataPlane', 'Verify']));
      expect(world.traffic('payments')).toEqual({ 'payments-us-east-1': 0, 'payments-us-west-2': 1 });
      expect(world.weights('payments')).toEqual({ 'payments-us-east-1': 100, 'payments-us-west-2': 0 });
      expect(world.sideEffects().route53Changes).toBe(0);
      expect(world.route53.calls.filter((c) => c.operation === 'ChangeResourceRecordSets').length).toBeGreaterThanOrEqual(7); // ShiftTraffic's whole retry budget
      // the target's gate first (never every record unhealthy at once), then the failing region's
      expect(world.route53.calls.filter((c) => c.operation === 'UpdateHealthCheck' && !c.error).map((c) => c.input)).toEqual([
        expect.objectContaining({ HealthCheckId: GATES['us-west-2'], HealthThreshold: 1 }),
        expect.objectContaining({ HealthCheckId: GATES['us-east-1'], HealthThreshold: 2 }),
      ]);
      const trail = await world.auditTrail(started.started[0]!.executionName);
      const dataPlane = trail.find((r) => r.step === 'ShiftTrafficDataPlane');
      expect(dataPlane).toMatchObject({
        outcome: 'ChangeRequested',
        intent: expect.stringMatching(/through the data plane \(health-check gates\): ChangeResourceRecordSets kept failing \(ThrottledError: route53:ChangeResourceRecordSets .* Throttling/),
        before: { weights: { 'payments-us-east-1': 100, 'payments-us-west-2': 0 } },
        after: { gates: { 'payments-us-east-1': false, 'payments-us-west-2': true } },
        change: { via: 'health-checks', gates: { 'payments-us-east-1': { healthCheckId: GATES['us-east-1'], open: false } } },
      });
    }, withGates());
  });

  it('with route53.strategy health-checks, flips the gates and never changes a record', async () => {
    await withWorld(async (world) => {
      await invoke('alarmTrigger', eventBridgeAlarmEvent(world.failRegion('payments', 'us-east-1')));
      const [outcome] = await world.sfn.settle();
      expect(outcome?.status).toBe('SUCCEEDED');
      expect(world.traffic('payments')).toEqual({ 'payments-us-east-1': 0, 'payments-us-west-2': 1 });
      expect(world.route53.calls.filter((c) => c.operation === 'ChangeResourceRecordSets')).toEqual([]);
    }, withGates('health-checks'));
  });

  it('without gates, a persistent record-API failure moves nothing and fails loudly, naming why', async () => {
    await withWorld(async (world) => {
      world.inject({ kind: 'route53', error: 'Throttling', times: 100 });
      const started = (await invoke('alarmTrigger', eventBridgeAlarmEvent(world.failRegion('payments', 'us-east-1')))) as { started: { executionName: string }[] };
      const [outcome] = await world.sfn.settle();
      expect(outcome?.status).toBe('FAILED');
      expect(world.weights('payments')).toEqual({ 'payments-us-east-1': 100, 'payments-us-west-2': 0 });
      const trail = await world.auditTrail(started.started[0]!.executionName);
      expect(trail.find((r) => r.step === 'ShiftTrafficDataPlane')).toMatchObject({ outcome: 'Refused', error: expect.stringContaining('payments has no gateHealthCheckId for us-west-2') });
    });
  });

  it('refuses a configuration that asks for the health-checks strategy without gates, naming each region', () => {
    const text = exampleConfigText.replace('  - name: payments\n', '  - name: payments\n    route53: { strategy: health-checks }\n');
    expect(() => parseConfig(text)).toThrow(/apps\[0\]\.regions\[0\]\.route53\.gateHealthCheckId: required when route53\.strategy is health-checks/);
    expect(() => parseConfig(text)).toThrow(/apps\[0\]\.regions\[1\]\.route53\.gateHealthCheckId: required/);
  });
});
