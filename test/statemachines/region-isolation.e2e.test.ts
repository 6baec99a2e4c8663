import { describe, expect, it } from '@jest/globals';
import { eventBridgeAlarmEvent } from '../../src/local/alarm-event-builders.js';
import type { AlarmTriggerResult } from '../../src/triggers/on-alarm.js';
import { invoke, withWorld } from '../support/world.js';

/*
 * Survive the region you fail away from: us-east-1 goes completely dark (EKS, its clusters'
 * Kubernetes APIs, CloudWatch, its DynamoDB replica of the global tables, its Step Functions,
 * Secrets Manager and SSM), and the failover runs from the us-west-2 stack. Every call to an
 * endpoint of us-east-1 is logged by the world, failed or not, so the test sees exactly what the
 * run needed from the failing region: nothing but what Route 53 keeps in us-east-1's CloudWatch.
 */

describe('a failover from a region that is completely unreachable', () => {
  it('completes from the target region and never calls the failing region\'s EKS, Kubernetes, DynamoDB, Step Functions or secrets', async () => {
    await withWorld(async (world) => {
      // arrange: the outage, and the rest of us-east-1 off the network too
      const change = world.failRegion('payments', 'us-east-1');
      world.isolateRegion('us-east-1');
      expect(world.homeRegion).toBe('us-west-2'); // the stack that acts (the first healthy other region)

      // act
      const result = (await invoke('alarmTrigger', eventBridgeAlarmEvent(change))) as AlarmTriggerResult;
      const [outcome] = await world.sfn.settle();

      // assert: done, from us-west-2
      expect(result.started).toEqual([expect.objectContaining({ app: 'payments', from: 'us-east-1', to: 'us-west-2' })]);
      expect(outcome?.status).toBe('SUCCEEDED');
      expect(world.weights('payments')).toEqual({ 'payments-us-east-1': 0, 'payments-us-west-2': 100 });
      const east = world.callsInto('us-east-1');
      expect(east).toEqual({ eks: [], kubernetes: [], cloudwatch: expect.any(Array), dynamodb: [], stepFunctions: [], secretsManager: [], ssm: [] });
      // The only calls into us-east-1 are to what Route 53 keeps there, in CloudWatch: the trigger
      // reading the candidates' HealthCheckStatus metric (it falls back to Route 53's own
      // GetHealthCheckStatus), and Verify reading the target's health-check alarm (recorded
      // UNAVAILABLE; the health check itself speaks for the target).
      expect(east.cloudwatch.length).toBeGreaterThan(0);
      expect(new Set(east.cloudwatch)).toEqual(new Set(['GetMetricData (InternalServiceFault)', 'DescribeAlarms (InternalServiceFault)']));
      // and the run did use the target region's endpoints
      const west = world.callsInto('us-west-2');
      expect(west.stepFunctions).toContain('StartExecution');
      expect(west.dynamodb).toEqual(expect.arrayContaining(['PutItem', 'Query']));
      expect(west.secretsManager).toContain('GetSecretValue');
    });
  });

  it('makes a stray call into the failing region visible: a stack there stands down before touching its unreachable replica', async () => {
    await withWorld(async (world) => {
      const change = world.failRegion('payments', 'us-east-1');
      world.isolateRegion('us-east-1');
      world.actIn('us-east-1'); // as if the failing region's own stack still received the alarm
      const result = (await invoke('alarmTrigger', eventBridgeAlarmEvent(change))) as AlarmTriggerResult;
      expect(result.ignored[0]?.reason).toMatch(/^the us-west-2 stack acts on payments failing in us-east-1/);
      expect(world.callsInto('us-east-1').dynamodb).toEqual([]);
      // whereas a manual request sent there does reach for it, and the log shows it
      await expect(invoke('manualTrigger', { actor: 'alice', app: 'payments', to: 'us-east-1', from: 'us-west-2', mode: 'drill', reason: 'stray' })).rejects.toThrow();
      expect(world.callsInto('us-east-1').dynamodb.length).toBeGreaterThan(0);
      expect(world.callsInto('us-east-1').dynamodb.every((call) => call.endsWith('(ECONNREFUSED)'))).toBe(true);
    });
  });
});
