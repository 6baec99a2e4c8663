import { describe, expect, it } from '@jest/globals';
import { simulate } from '../../src/local/simulate.js';
import { exampleConfig } from '../support/world.js';

/*
 * Never make an outage worse: the checks right before a change, and compensation when the target
 * fails after traffic moved.
 */

describe('safety', () => {
  it('moves traffic back when the target fails verification after the shift (target-degrades), leaving the promoted cluster up', async () => {
    let trail: { step: string; outcome: string }[] = [];
    let slack: string[] = [];
    let nodegroup: unknown;
    const report = await simulate({
      config: exampleConfig(),
      scenario: 'target-degrades',
      inspect: async (world, r) => {
        trail = await world.auditTrail(r.incidentId!);
        slack = world.slack.messages.map((m) => JSON.stringify(m.blocks));
        nodegroup = world.eks.scalingOf('us-west-2', 'payments-usw2', 'payments-workers');
      },
    });
    expect(report.outcome).toBe('compensated');
    expect(report.weights).toEqual({ before: { 'payments-us-east-1': 100, 'payments-us-west-2': 0 }, after: { 'payments-us-east-1': 100, 'payments-us-west-2': 0 } });
    expect(report.sideEffects.route53Changes).toBe(2);
    expect(nodegroup).toEqual({ minSize: 3, desiredSize: 6, maxSize: 12 });
    expect(trail.find((r) => r.step === 'CompensateTraffic')).toMatchObject({ outcome: 'Compensated' });
    expect(slack.at(-1)).toContain('Traffic was moved back to the last good weights');
  });

  it('refuses to move traffic to a target whose health check failed after Preflight: nothing moves', async () => {
    const report = await simulate({
      config: exampleConfig(),
      prepare: (world) => world.afterStep('ScaleDeployments', () => void world.route53.setHealthCheck(world.app('payments').regions[1]!.route53.healthCheckId, false)),
    });
    expect(report.outcome).toBe('refused');
    expect(report.error).toMatch(/^InvariantViolatedError: target health check .* is failing/);
    expect(report.sideEffects.route53Changes).toBe(0);
    expect(report.weights.after).toEqual(report.weights.before);
  });
});
