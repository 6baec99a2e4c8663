import { describe, expect, it } from '@jest/globals';
import { buildFailoverRequest, type FailoverRequest } from '../../src/domain/failover-request.js';
import { InputValidationError, NodegroupUpdateFailedError, NotConvergedError } from '../../src/domain/errors.js';
import type { SimulatedWorld } from '../../src/local/world.js';
import { invoke, withWorld } from '../support/world.js';

/** The request a trigger would build for a payments failover us-east-1 → us-west-2. */
function paymentsRequest(world: SimulatedWorld): FailoverRequest {
  const app = world.app('payments');
  return buildFailoverRequest({
    app,
    from: app.regions[0]!,
    to: app.regions[1]!,
    mode: 'failover',
    executionName: 'test-incident',
    requestedAt: world.clock.now(),
    trigger: { kind: 'manual', actor: 'test', reason: 'step test' },
  });
}

describe('each step converges and repeats nothing', () => {
  it('PromoteNodegroups asks EKS once, however often it is retried, and converges after the update', async () => {
    await withWorld(async (world) => {
      const request = paymentsRequest(world);
      await expect(invoke('promoteNodegroups', request)).rejects.toThrow(NotConvergedError);
      await expect(invoke('promoteNodegroups', request)).rejects.toThrow(NotConvergedError);
      world.clock.advanceSeconds(180);
      await expect(invoke('promoteNodegroups', request)).resolves.toEqual({ nodegroups: [{ name: 'payments-workers', scaling: { minSize: 3, desiredSize: 6, maxSize: 12 } }] });
      await invoke('promoteNodegroups', request);
      expect(world.eks.updatesCreated('us-west-2', 'payments-usw2', 'payments-workers')).toBe(1);
    });
  });

  it('PromoteNodegroups fails, naming the reason, when EKS fails the update', async () => {
    await withWorld(async (world) => {
      world.eks.failNextUpdate('us-west-2', 'payments-usw2', 'payments-workers', { errorCode: 'NodeCreationFailure', errorMessage: 'Instances failed to join the kubernetes cluster' });
      const request = paymentsRequest(world);
      await expect(invoke('promoteNodegroups', request)).rejects.toThrow(NotConvergedError);
      world.clock.advanceSeconds(180);
      await expect(invoke('promoteNodegroups', request)).rejects.toThrow(NodegroupUpdateFailedError);
    });
  });

  it('StartRestore finds its own Restore on a retry instead of creating a second', async () => {
    await withWorld(async (world) => {
      const request = paymentsRequest(world);
      const first = await invoke('startRestore', { request, backupName: 'payments-hourly-20260314083100' });
      const second = await invoke('startRestore', { request, backupName: 'payments-hourly-20260314083100' });
      expect(first).toMatchObject({ created: true });
      expect(second).toMatchObject({ created: false, restoreName: (first as { restoreName: string }).restoreName });
      expect(world.cluster(request.to).stats.restoresCreated).toBe(1);
    });
  });

  it('ShiftTraffic changes nothing when the weights already converged, and still knows its own change', async () => {
    await withWorld(async (world) => {
      const request = paymentsRequest(world);
      const first = (await invoke('shiftTraffic', request)) as { changeId: string | null };
      const second = (await invoke('shiftTraffic', request)) as { changeId: string | null; before: object; after: object };
      expect(first.changeId).toMatch(/^\/change\//);
      expect(second).toEqual({ changeId: first.changeId, before: { 'payments-us-east-1': 0, 'payments-us-west-2': 100 }, after: { 'payments-us-east-1': 0, 'payments-us-west-2': 100 } });
      expect(world.route53.changesTo('api.payments.example.com', 'A', 'payments-us-west-2')).toBe(1);
      expect((await world.auditTrail(request.incidentId)).filter((e) => e.step === 'ShiftTraffic').map((e) => e.outcome)).toEqual(['ChangeRequested', 'AlreadyConverged']);
    });
  });

  it('Verify waits while a target alarm is in ALARM', async () => {
    await withWorld(async (world) => {
      world.cloudwatch.transition('us-west-2', 'payments-usw2-api-5xx', 'ALARM', 'errors');
      await expect(invoke('verify', paymentsRequest(world))).rejects.toThrow(/alarms in ALARM: payments-usw2-api-5xx/);
    });
  });

  it.each([
    ['a missing target', (r: any) => delete r.to, 'to: required'],
    ['a hostile incident id', (r: any) => (r.incidentId = '../../etc/passwd'), 'incidentId: '],
    ['the same region twice', (r: any) => (r.to = r.from), 'to.name: must differ from from.name'],
    ['a weight out of range', (r: any) => (r.policy.activeWeight = 1000), 'policy.activeWeight: '],
  ])('rejects step input with %s, naming the field, before touching anything', async (_what, mutate, message) => {
    await withWorld(async (world) => {
      const request = structuredClone(paymentsRequest(world));
      mutate(request);
      await expect(invoke('shiftTraffic', request)).rejects.toThrow(InputValidationError);
      await expect(invoke('shiftTraffic', request)).rejects.toThrow(message);
      expect(world.route53.callCount()).toBe(0);
    });
  });
});
