import { describe, expect, it } from '@jest/globals';
import { CloudWatchClient, type DescribeAlarmsInput } from '@aws-sdk/client-cloudwatch';
import { DependencyUnavailableError, ThrottledError } from '../../../src/domain/errors.js';
import { CloudWatchAlarms } from '../../../src/adapters/aws/cloudwatch-alarms.js';
import { FakeCloudWatch } from '../../../src/local/aws/fake-cloudwatch.js';
import { fakeDecorator } from '../../../src/local/aws/fake-decorator.js';
import { VirtualClock } from '../../../src/local/virtual-clock.js';
import { regionalClients } from '../../support/regional-clients.js';

const REGION = 'eu-west-1';

function setup() {
  const clock = new VirtualClock('2026-03-01T12:00:00.000Z');
  const fake = new FakeCloudWatch(clock)
    .addMetricAlarm(REGION, { name: 'api-5xx', namespace: 'AWS/ApplicationELB', metricName: 'HTTPCode_Target_5XX_Count', state: 'OK', reason: 'fine' })
    .addMetricAlarm(REGION, { name: 'api-latency', namespace: 'AWS/ApplicationELB', metricName: 'TargetResponseTime' })
    .addCompositeAlarm(REGION, { name: 'region-unhealthy', rule: 'ALARM(api-5xx) OR ALARM(api-latency)' });
  const alarms = new CloudWatchAlarms({ cloudwatch: regionalClients((region) => new CloudWatchClient({ region }), fakeDecorator({ cloudwatch: fake })) });
  return { clock, fake, alarms };
}

describe('CloudWatchAlarms.states', () => {
  it('reads metric and composite alarms, in the order asked, leaving out unknown names', async () => {
    const { alarms, fake, clock } = setup();
    clock.advanceSeconds(90);
    fake.transition(REGION, 'api-5xx', 'ALARM', 'Threshold Crossed: 3 datapoints were greater than the threshold (10.0)');
    const states = await alarms.states(REGION, ['region-unhealthy', 'ghost', 'api-5xx', 'api-latency']);
    expect(states).toEqual([
      {
        name: 'region-unhealthy',
        state: 'ALARM',
        reason: expect.stringContaining('alarm:api-5xx transitioned to ALARM'),
        updatedAt: new Date('2026-03-01T12:01:30.000Z'),
      },
      {
        name: 'api-5xx',
        state: 'ALARM',
        reason: 'Threshold Crossed: 3 datapoints were greater than the threshold (10.0)',
        updatedAt: new Date('2026-03-01T12:01:30.000Z'),
      },
      { name: 'api-latency', state: 'INSUFFICIENT_DATA', reason: 'Unchecked: Initial alarm creation', updatedAt: new Date('2026-03-01T12:00:00.000Z') },
    ]);
  });

  it('asks for at most 100 names per call', async () => {
    const { alarms, fake } = setup();
    const names = Array.from({ length: 250 }, (_, index) => `alarm-${String(index).padStart(3, '0')}`);
    for (const name of names) fake.addMetricAlarm(REGION, { name, namespace: 'N', metricName: 'M' });
    const states = await alarms.states(REGION, names);
    expect(states).toHaveLength(250);
    const sizes = fake.calls.map((call) => (call.input as DescribeAlarmsInput).AlarmNames?.length);
    expect(sizes).toEqual([100, 100, 50]);
  });

  it('makes no call for no names', async () => {
    const { alarms, fake } = setup();
    expect(await alarms.states(REGION, [])).toEqual([]);
    expect(fake.callCount()).toBe(0);
  });

  it.each([
    ['Throttling', 'ThrottledError', ThrottledError],
    ['InternalServiceFault', 'DependencyUnavailableError', DependencyUnavailableError],
  ])('turns an injected %s into %s', async (fault, _name, DomainError) => {
    const { alarms, fake } = setup();
    fake.failNext('DescribeAlarms', fault);
    await expect(alarms.states(REGION, ['api-5xx'])).rejects.toBeInstanceOf(DomainError);
  });
});
