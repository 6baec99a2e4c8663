import { describe, expect, it } from '@jest/globals';
import { verifyChain } from '../../src/domain/audit-chain.js';
import { buildDrillReport, slackReportMessage } from '../../src/report/index.js';
import type { DrillSummary } from '../../src/steps/drill-report.js';
import { invoke, withWorld } from '../support/world.js';

/*
 * A DR drill end to end in the embedded runtime: the drill state machine nests the real failover
 * (approved by an operator, since payments' drills need approval) and failback state machines,
 * holds on the standby while verifying, and posts the report built from the audit trail.
 */

const DRILL = 'drill-payments-2026-q1';

describe('the drill state machine, end to end', () => {
  it('fails over, holds 15 minutes verifying, fails back in steps, scales the standby down and posts a report whose numbers are the trail\'s', async () => {
    await withWorld(async (world) => {
      // arrange
      const usw2 = world.app('payments').regions[1]!;
      const drill = world.sfn.startNested(world.workflowArns.drill, DRILL, { app: 'payments', actor: 'alice', reason: 'quarterly DR drill' });
      const approval = world.scheduler.run(async () => {
        await world.scheduler.sleep(60_000);
        return invoke('slackInteraction', { actor: 'arn:aws:iam::000000000000:user/bob', incidentId: DRILL, decision: 'approve' });
      });

      // act
      const outcome = await drill.done;

      // assert: the drill and its two nested executions succeeded, traffic is back on the primary
      expect(await approval).toMatchObject({ outcome: 'approved' });
      expect(outcome.status).toBe('SUCCEEDED');
      expect(world.sfn.list().map((e) => [e.name, e.status])).toEqual([
        [DRILL, 'SUCCEEDED'],
        [`${DRILL}-failover`, 'SUCCEEDED'],
        [`${DRILL}-failback`, 'SUCCEEDED'],
      ]);
      expect(world.weights('payments')).toEqual({ 'payments-us-east-1': 100, 'payments-us-west-2': 0 });
      // scaleDownStandby: the standby is back at the sizes it had before the drill promoted it
      expect(world.eks.scalingOf('us-west-2', usw2.eks.cluster, 'payments-workers')).toEqual({ minSize: 1, desiredSize: 1, maxSize: 12 });
      expect(usw2.eks.deployments.map((d) => world.cluster(usw2).deployment(d.namespace, d.name)?.spec.replicas)).toEqual([1, 1]);

      // one incident: the whole drill is in the drill's trail, in order
      const trail = await world.auditTrail(DRILL);
      expect(verifyChain(trail, DRILL)).toEqual([]);
      const steps = [...new Set(trail.map((r) => r.step))];
      for (const [earlier, later] of [['AwaitApproval', 'ShiftTraffic'], ['ShiftTraffic', 'HoldVerify'], ['HoldVerify', 'FailbackShift'], ['FailbackShift', 'ScaleDownStandby'], ['ScaleDownStandby', 'DrillReport']]) {
        expect(steps.indexOf(earlier!)).toBeLessThan(steps.indexOf(later!));
      }
      const hold = trail.filter((r) => r.step === 'HoldVerify');
      expect(Date.parse(hold.at(-1)!.at) - Date.parse(hold[0]!.at)).toBeGreaterThanOrEqual(15 * 60_000);
      expect(hold.at(-1)).toMatchObject({ outcome: 'Passed' });

      // the report posted is the one the trail gives, and its numbers are the trail's
      const reportRecord = trail.at(-1)!;
      expect(reportRecord).toMatchObject({ step: 'DrillReport', outcome: 'Notified' });
      const shown = trail.slice(0, -1);
      const report = buildDrillReport({ incidentId: DRILL, records: shown, verification: { breaks: [], receipts: { count: 0, unsealed: 0 } }, targets: { rpoMinutes: 60, rtoMinutes: 30 }, generatedAt: new Date(reportRecord.at) });
      const posted = world.slack.messages.at(-1)!;
      expect(posted.text).toBe(slackReportMessage(report).text);
      expect(posted.blocks).toEqual(slackReportMessage(report).blocks);
      const requested = Date.parse((trail[0]!.change as { request: { requestedAt: string } }).request.requestedAt);
      const verified = Date.parse(trail.find((r) => r.step === 'Verify' && r.outcome === 'Passed')!.at);
      expect(report.rto.seconds).toBe((verified - requested) / 1000);
      expect(report.outcome).toBe('succeeded');
      expect(reportRecord.after as DrillSummary).toEqual({ outcome: 'succeeded', rtoSeconds: report.rto.seconds, rpoSeconds: report.rpo.seconds, chainIntact: true, records: shown.length });
    });
  });

  it('reports and fails when the drill is denied: nothing moves, no failback', async () => {
    await withWorld(async (world) => {
      const drill = world.sfn.startNested(world.workflowArns.drill, 'drill-denied', { app: 'payments', actor: 'alice', reason: 'drill' });
      const deny = world.scheduler.run(async () => {
        await world.scheduler.sleep(30_000);
        return invoke('slackInteraction', { actor: 'arn:aws:iam::000000000000:user/bob', incidentId: 'drill-denied', decision: 'deny' });
      });
      const outcome = await drill.done;
      await deny;
      expect(outcome).toMatchObject({ status: 'FAILED', error: 'DrillFailed' });
      expect(world.weights('payments')).toEqual({ 'payments-us-east-1': 100, 'payments-us-west-2': 0 });
      expect(world.sfn.list().map((e) => e.name)).toEqual(['drill-denied', 'drill-denied-failover']);
      expect((await world.auditTrail('drill-denied')).at(-1)).toMatchObject({ step: 'DrillReport', outcome: 'Notified' });
    });
  });
});
