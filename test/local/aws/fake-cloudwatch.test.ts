import { describe, expect, it } from '@jest/globals';
import {
  CloudWatchClient,
  DescribeAlarmsCommand,
  InvalidFormatFault,
  ResourceNotFound,
  SetAlarmStateCommand,
  ValidationException,
} from '@aws-sdk/client-cloudwatch';
import { attachFake } from '../../../src/local/aws/attach-fake.js';
import { FakeCloudWatch, type AlarmStateChange } from '../../../src/local/aws/fake-cloudwatch.js';
import { VirtualClock } from '../../../src/local/virtual-clock.js';

const REGION = 'eu-west-1';

function setup() {
  const clock = new VirtualClock('2026-03-01T12:00:00.000Z');
  const fake = new FakeCloudWatch(clock)
    .addMetricAlarm(REGION, {
      name: 'api-5xx',
      namespace: 'AWS/ApplicationELB',
      metricName: 'HTTPCode_Target_5XX_Count',
      dimensions: { LoadBalancer: 'app/api/123' },
      threshold: 10,
      state: 'OK',
      reason: 'Threshold Crossed: no datapoints were above the threshold',
    })
    .addMetricAlarm(REGION, { name: 'api-latency', namespace: 'AWS/ApplicationELB', metricName: 'TargetResponseTime' })
    .addCompositeAlarm(REGION, { name: 'region-unhealthy', rule: 'ALARM("api-5xx") OR ALARM(api-latency)' });
  const client = new CloudWatchClient({ region: REGION });
  attachFake(client, fake);
  return { clock, fake, client };
}

describe('FakeCloudWatch DescribeAlarms, through the real CloudWatchClient', () => {
  it('allows 9 DescribeAlarms a second per region, its default quota, and throttles the rest until tokens come back', async () => {
    const { client, clock } = setup();
    const describe = () => client.send(new DescribeAlarmsCommand({ AlarmNames: ['api-5xx'] }));
    const burst = await Promise.allSettled(Array.from({ length: 10 }, describe));
    expect(burst.filter((r) => r.status === 'fulfilled')).toHaveLength(9);
    expect(burst.find((r) => r.status === 'rejected')).toMatchObject({ reason: { name: 'Throttling', $metadata: { httpStatusCode: 400 } } });
    clock.advance(112); // one token back (9 a second)
    await expect(describe()).resolves.toBeDefined();
    await expect(describe()).rejects.toMatchObject({ name: 'Throttling' });
  });

  it('returns only metric alarms when AlarmTypes is absent, as CloudWatch does', async () => {
    const { client } = setup();
    const output = await client.send(new DescribeAlarmsCommand({ AlarmNames: ['api-5xx', 'region-unhealthy'] }));
    expect(output.MetricAlarms?.map((alarm) => alarm.AlarmName)).toEqual(['api-5xx']);
    expect(output.CompositeAlarms).toEqual([]);
  });

  it('returns both kinds when asked, with state, reason, timestamps and ARN', async () => {
    const { client } = setup();
    const output = await client.send(
      new DescribeAlarmsCommand({ AlarmNames: ['api-5xx', 'region-unhealthy'], AlarmTypes: ['MetricAlarm', 'CompositeAlarm'] }),
    );
    expect(output.MetricAlarms?.[0]).toMatchObject({
      AlarmName: 'api-5xx',
      AlarmArn: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:api-5xx',
      StateValue: 'OK',
      StateReason: 'Threshold Crossed: no datapoints were above the threshold',
      StateUpdatedTimestamp: new Date('2026-03-01T12:00:00.000Z'),
      Namespace: 'AWS/ApplicationELB',
      Dimensions: [{ Name: 'LoadBalancer', Value: 'app/api/123' }],
    });
    expect(output.CompositeAlarms?.[0]).toMatchObject({
      AlarmName: 'region-unhealthy',
      AlarmRule: 'ALARM("api-5xx") OR ALARM(api-latency)',
      StateValue: 'OK',
    });
  });

  it('filters by StateValue and leaves out names it does not know', async () => {
    const { client } = setup();
    const output = await client.send(new DescribeAlarmsCommand({ AlarmNames: ['api-5xx', 'api-latency', 'ghost'], StateValue: 'INSUFFICIENT_DATA' }));
    expect(output.MetricAlarms?.map((alarm) => alarm.AlarmName)).toEqual(['api-latency']);
  });

  it('refuses more than 100 alarm names', async () => {
    const { client } = setup();
    const names = Array.from({ length: 101 }, (_, index) => `alarm-${index}`);
    const error = await client.send(new DescribeAlarmsCommand({ AlarmNames: names })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationException);
    expect((error as Error).message).toMatch(/at 'alarmNames' failed to satisfy constraint: Member must have length less than or equal to 100/);
  });

  it('pages with MaxRecords and NextToken', async () => {
    const { client, fake } = setup();
    for (const name of ['a', 'b', 'c']) fake.addMetricAlarm(REGION, { name, namespace: 'N', metricName: 'M' });
    const first = await client.send(new DescribeAlarmsCommand({ AlarmNamePrefix: '', MaxRecords: 2 }));
    const second = await client.send(new DescribeAlarmsCommand({ AlarmNamePrefix: '', MaxRecords: 2, NextToken: first.NextToken }));
    const third = await client.send(new DescribeAlarmsCommand({ AlarmNamePrefix: '', MaxRecords: 2, NextToken: second.NextToken }));
    expect([first, second, third].flatMap((page) => page.MetricAlarms?.map((alarm) => alarm.AlarmName))).toEqual([
      'a',
      'api-5xx',
      'api-latency',
      'b',
      'c',
    ]);
    expect(third.NextToken).toBeUndefined();
  });
});

describe('FakeCloudWatch SetAlarmState', () => {
  it('changes the state, and composite alarms follow their rule', async () => {
    const { client, clock, fake } = setup();
    clock.advanceSeconds(30);
    await client.send(
      new SetAlarmStateCommand({ AlarmName: 'api-5xx', StateValue: 'ALARM', StateReason: 'Threshold Crossed', StateReasonData: '{"version":"1.0"}' }),
    );
    expect(fake.stateOf(REGION, 'api-5xx')).toEqual({
      value: 'ALARM',
      reason: 'Threshold Crossed',
      reasonData: '{"version":"1.0"}',
      timestamp: new Date('2026-03-01T12:00:30.000Z'),
    });
    expect(fake.stateOf(REGION, 'region-unhealthy')).toMatchObject({
      value: 'ALARM',
      reason: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:api-5xx transitioned to ALARM at Sunday 01 March, 2026 12:00:30 UTC',
    });
  });

  it('answers ResourceNotFound for an unknown alarm and InvalidFormatFault for reason data that is not JSON', async () => {
    const { client } = setup();
    await expect(client.send(new SetAlarmStateCommand({ AlarmName: 'ghost', StateValue: 'ALARM', StateReason: 'x' }))).rejects.toBeInstanceOf(
      ResourceNotFound,
    );
    await expect(
      client.send(new SetAlarmStateCommand({ AlarmName: 'api-5xx', StateValue: 'ALARM', StateReason: 'x', StateReasonData: 'not json' })),
    ).rejects.toBeInstanceOf(InvalidFormatFault);
  });

  it('tells subscribers about each transition with previous and new state and the alarm', async () => {
    const { client, fake } = setup();
    const heard: AlarmStateChange[] = [];
    const unsubscribe = fake.onStateChange((change) => heard.push(change));
    await client.send(new SetAlarmStateCommand({ AlarmName: 'api-5xx', StateValue: 'ALARM', StateReason: 'breach' }));
    await client.send(new SetAlarmStateCommand({ AlarmName: 'api-5xx', StateValue: 'ALARM', StateReason: 'still breaching' }));
    unsubscribe();
    fake.transition(REGION, 'api-5xx', 'OK', 'recovered');

    expect(heard.map((change) => `${change.alarmName}: ${change.previousState.value} -> ${change.state.value}`)).toEqual([
      'api-5xx: OK -> ALARM',
      'region-unhealthy: OK -> ALARM',
    ]);
    expect(heard[0]).toMatchObject({
      region: REGION,
      accountId: '123456789012',
      alarmType: 'MetricAlarm',
      state: { value: 'ALARM', reason: 'breach' },
      alarm: { MetricName: 'HTTPCode_Target_5XX_Count', Threshold: 10 },
    });
  });
});

describe('FakeCloudWatch GetMetricData, through the real CloudWatchClient', () => {
  async function metrics() {
    const { GetMetricDataCommand } = await import('@aws-sdk/client-cloudwatch');
    const clock = new VirtualClock('2026-03-01T12:00:30.000Z');
    const fake = new FakeCloudWatch(clock).publishMetrics((region, namespace, name, dimensions) =>
      region === 'us-east-1' && namespace === 'AWS/Route53' && name === 'HealthCheckStatus' ? ({ hc1: 1, hc2: 0 } as Record<string, number>)[dimensions.HealthCheckId ?? ''] : undefined,
    );
    const client = (region: string) => {
      const c = new CloudWatchClient({ region });
      attachFake(c, fake);
      return c;
    };
    const query = (id: string, healthCheckId: string, period = 60) => ({
      Id: id,
      MetricStat: { Metric: { Namespace: 'AWS/Route53', MetricName: 'HealthCheckStatus', Dimensions: [{ Name: 'HealthCheckId', Value: healthCheckId }] }, Period: period, Stat: 'Minimum' },
    });
    const window = { StartTime: new Date('2026-03-01T11:55:00Z'), EndTime: new Date('2026-03-01T12:01:00Z') };
    const send = (region: string, queries: ReturnType<typeof query>[]) => client(region).send(new GetMetricDataCommand({ ...window, MetricDataQueries: queries }));
    return { send, query, clock };
  }

  it('answers each query with the metric its source publishes, stamped at the current period', async () => {
    const { send, query } = await metrics();
    const output = await send('us-east-1', [query('a', 'hc1'), query('b', 'hc2'), query('c', 'unknown')]);
    expect(output.MetricDataResults?.map(({ Id, Values, Timestamps, StatusCode }) => ({ Id, Values, Timestamps, StatusCode }))).toEqual([
      { Id: 'a', Values: [1], Timestamps: [new Date('2026-03-01T12:00:00Z')], StatusCode: 'Complete' },
      { Id: 'b', Values: [0], Timestamps: [new Date('2026-03-01T12:00:00Z')], StatusCode: 'Complete' },
      { Id: 'c', Values: [], Timestamps: [], StatusCode: 'Complete' },
    ]);
  });

  it('has Route 53 metrics only where Route 53 publishes them (us-east-1)', async () => {
    const { send, query } = await metrics();
    const output = await send('eu-west-1', [query('a', 'hc1')]);
    expect(output.MetricDataResults?.[0]?.Values).toEqual([]);
  });

  it('checks queries as the service does: count, Id pattern and uniqueness, period', async () => {
    const { send, query } = await metrics();
    await expect(send('us-east-1', Array.from({ length: 501 }, (_, i) => query(`q${i}`, 'hc1')))).rejects.toBeInstanceOf(ValidationException);
    await expect(send('us-east-1', [query('Upper', 'hc1')])).rejects.toBeInstanceOf(ValidationException);
    await expect(send('us-east-1', [query('a', 'hc1'), query('a', 'hc2')])).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
    await expect(send('us-east-1', [query('a', 'hc1', 45)])).rejects.toMatchObject({ name: 'InvalidParameterValueException' });
  });

  it('allows 50 requests a second per region, its default quota, and throttles the rest until tokens come back', async () => {
    const { send, query, clock } = await metrics();
    const burst = await Promise.allSettled(Array.from({ length: 51 }, () => send('us-east-1', [query('a', 'hc1')])));
    expect(burst.filter((r) => r.status === 'fulfilled')).toHaveLength(50);
    expect(burst.find((r) => r.status === 'rejected')).toMatchObject({ reason: { name: 'Throttling', $metadata: { httpStatusCode: 400 } } });
    await expect(send('eu-west-1', [query('a', 'hc1')])).resolves.toBeDefined(); // another region's quota
    clock.advance(20); // one token back (50 a second)
    await expect(send('us-east-1', [query('a', 'hc1')])).resolves.toBeDefined();
    await expect(send('us-east-1', [query('a', 'hc1')])).rejects.toMatchObject({ name: 'Throttling' });
  });
});
