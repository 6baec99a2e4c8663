import { describe, expect, it } from '@jest/globals';
import { parseAlarmEvent, type AlarmTransition } from '../../src/domain/alarm-event.js';
import { alarmFixture, alarmFixtureFiles, alarmFixtureSources } from '../fixtures/alarm-events/load.js';

type Expected = Pick<
  AlarmTransition,
  'delivery' | 'kind' | 'alarmName' | 'state' | 'previousState' | 'stateChangeTime'
>;

const EXPECTED: Record<string, Expected> = {
  'eventbridge-metric.json': {
    delivery: 'eventbridge', kind: 'metric', alarmName: 'ServerCpuTooHigh',
    state: 'ALARM', previousState: 'OK', stateChangeTime: '2019-10-02T17:04:40.989Z',
  },
  'eventbridge-metric-math.json': {
    delivery: 'eventbridge', kind: 'metric-math', alarmName: 'TotalNetworkTrafficTooHigh',
    state: 'ALARM', previousState: 'INSUFFICIENT_DATA', stateChangeTime: '2019-10-02T17:20:48.554Z',
  },
  'eventbridge-metric-math-multi-time-series.json': {
    delivery: 'eventbridge', kind: 'metric-math', alarmName: 'DynamoDBInsightsAlarm',
    state: 'ALARM', previousState: 'INSUFFICIENT_DATA', stateChangeTime: '2025-12-01T13:42:04.919Z',
  },
  'eventbridge-anomaly-detection.json': {
    delivery: 'eventbridge', kind: 'anomaly-detection', alarmName: 'EC2 CPU Utilization Anomaly',
    state: 'ALARM', previousState: 'OK', stateChangeTime: '2019-10-03T16:00:04.653Z',
  },
  'eventbridge-composite.json': {
    delivery: 'eventbridge', kind: 'composite', alarmName: 'ServiceAggregatedAlarm',
    state: 'ALARM', previousState: 'OK', stateChangeTime: '2022-07-22T15:57:45.394Z',
  },
  'eventbridge-route53-health-check.json': {
    delivery: 'eventbridge', kind: 'metric', alarmName: 'primary-eu-west-1-health',
    state: 'ALARM', previousState: 'OK', stateChangeTime: '2024-03-14T09:13:21.121Z',
  },
  'lambda-action-metric.json': {
    delivery: 'lambda-action', kind: 'metric', alarmName: 'lambda-demo-metric-alarm',
    state: 'ALARM', previousState: 'INSUFFICIENT_DATA', stateChangeTime: '2023-08-04T12:36:15.490Z',
  },
  'lambda-action-metric-math.json': {
    delivery: 'lambda-action', kind: 'metric-math', alarmName: 'TotalNetworkTrafficTooHigh',
    state: 'ALARM', previousState: 'INSUFFICIENT_DATA', stateChangeTime: '2019-10-02T17:20:48.554Z',
  },
  'lambda-action-anomaly-detection.json': {
    delivery: 'lambda-action', kind: 'anomaly-detection', alarmName: 'EC2 CPU Utilization Anomaly',
    state: 'ALARM', previousState: 'OK', stateChangeTime: '2019-10-03T16:00:04.653Z',
  },
  'lambda-action-composite.json': {
    delivery: 'lambda-action', kind: 'composite', alarmName: 'CompositeDemo.Main',
    state: 'ALARM', previousState: 'ALARM', stateChangeTime: '2023-08-04T12:56:46.138Z',
  },
  'sns-metric.json': {
    delivery: 'sns', kind: 'metric', alarmName: 'DBMigrationRequired',
    state: 'OK', previousState: 'ALARM', stateChangeTime: '2019-02-12T15:45:24.006Z',
  },
  'sns-metric-math.json': {
    delivery: 'sns', kind: 'metric-math', alarmName: 'EXAMPLE',
    state: 'ALARM', previousState: 'INSUFFICIENT_DATA', stateChangeTime: '2015-06-03T17:43:27.123Z',
  },
  'sns-anomaly-detection.json': {
    delivery: 'sns', kind: 'anomaly-detection', alarmName: 'ContainerInsight-pod_cpu_utilization',
    state: 'OK', previousState: 'ALARM', stateChangeTime: '2021-06-27T13:53:39.351Z',
  },
  'sns-composite.json': {
    delivery: 'sns', kind: 'composite', alarmName: 'if-sim-app_427809481713_us-east-1-test_node_monitor',
    state: 'ALARM', previousState: 'OK', stateChangeTime: '2021-11-10T02:45:55.640Z',
  },
  'sns-route53-health-check.json': {
    delivery: 'sns', kind: 'metric', alarmName: 'api-jideola domain alarm',
    state: 'OK', previousState: 'ALARM', stateChangeTime: '2023-02-18T16:43:21.231Z',
  },
};

describe('parseAlarmEvent on the published samples', () => {
  it('has an expectation for every fixture, and SOURCES.md names where each came from', () => {
    // arrange
    const files = alarmFixtureFiles();
    const sources = alarmFixtureSources();

    // assert
    expect(files).toEqual(Object.keys(EXPECTED).sort());
    for (const file of files) expect(sources).toContain(`\`${file}\``);
  });

  it.each(Object.entries(EXPECTED))('reads %s', (file, expected) => {
    // act
    const transitions = parseAlarmEvent(alarmFixture(file));

    // assert
    expect(transitions.length).toBeGreaterThan(0);
    for (const transition of transitions) expect(transition).toMatchObject(expected);
  });

  it.each(['eventbridge-route53-health-check.json', 'sns-route53-health-check.json'])(
    'shows the Route 53 health check behind %s',
    (file) => {
      // act
      const [transition] = parseAlarmEvent(alarmFixture(file));

      // assert
      expect(transition?.alarmRegion).toBe('us-east-1');
      expect(transition?.metric).toEqual({
        namespace: 'AWS/Route53',
        name: 'HealthCheckStatus',
        dimensions: { HealthCheckId: 'afdf0e5a-b5ec-4eb0-8140-4fb83e928df6' },
      });
    },
  );

  it('reports the single metric of metric and anomaly detection alarms, but none for math over several metrics', () => {
    // act
    const [metric] = parseAlarmEvent(alarmFixture('eventbridge-metric.json'));
    const [anomaly] = parseAlarmEvent(alarmFixture('sns-anomaly-detection.json'));
    const [math] = parseAlarmEvent(alarmFixture('eventbridge-metric-math.json'));
    const [composite] = parseAlarmEvent(alarmFixture('eventbridge-composite.json'));

    // assert
    expect(metric?.metric).toEqual({
      namespace: 'AWS/EC2',
      name: 'CPUUtilization',
      dimensions: { InstanceId: 'i-12345678901234567' },
    });
    expect(anomaly?.metric).toEqual({
      namespace: 'ContainerInsights',
      name: 'pod_cpu_utilization',
      dimensions: { ClusterName: 'cloudone-dev-v1-eks-cluster' },
    });
    expect(math?.metric).toBeUndefined();
    expect(composite?.metric).toBeUndefined();
  });

  it('recognises an SNS anomaly detection alarm by its ThresholdMetricId alone', () => {
    // arrange
    const event = alarmFixture('sns-anomaly-detection.json');
    const message = JSON.parse(event.Records[0].Sns.Message);
    message.Trigger.Metrics[1].Expression = 'band';
    event.Records[0].Sns.Message = JSON.stringify(message);

    // act
    const [transition] = parseAlarmEvent(event);

    // assert
    expect(transition?.kind).toBe('anomaly-detection');
  });

  it('returns one transition per SNS record, in record order', () => {
    // arrange
    const records = ['sns-composite.json', 'sns-route53-health-check.json', 'sns-metric.json'].map(
      (file) => alarmFixture(file).Records[0],
    );

    // act
    const transitions = parseAlarmEvent({ Records: records });

    // assert
    expect(transitions.map((transition) => transition.alarmName)).toEqual([
      'if-sim-app_427809481713_us-east-1-test_node_monitor',
      'api-jideola domain alarm',
      'DBMigrationRequired',
    ]);
    expect(parseAlarmEvent(alarmFixture('sns-metric-math.json'))).toHaveLength(2);
  });

  it('gives the same transition the same identity whether it came by EventBridge or a Lambda action', () => {
    // act
    const [viaEventBridge] = parseAlarmEvent(alarmFixture('eventbridge-metric-math.json'));
    const [viaAction] = parseAlarmEvent(alarmFixture('lambda-action-metric-math.json'));

    // assert
    const { delivery: _eventBridge, actionsSuppressed: _muted, ...fromEventBridge } = viaEventBridge ?? {};
    const { delivery: _action, ...fromAction } = viaAction ?? {};
    expect(fromEventBridge).toEqual(fromAction);
    expect(fromAction).toHaveProperty('stateChangeTime', '2019-10-02T17:20:48.554Z');
  });

  it.each([
    // The published sample pairs a 2019 transition with a 2026 mute window: outside it, not muted.
    ['eventbridge-metric.json', undefined],
    ['eventbridge-composite.json', { cause: 'actions-suppressor', detail: 'WaitPeriod' }],
    ['eventbridge-route53-health-check.json', undefined],
    ['lambda-action-composite.json', undefined],
  ])('tells whether CloudWatch held back the actions of %s', (file, expected) => {
    // act
    const [transition] = parseAlarmEvent(alarmFixture(file));

    // assert
    expect(transition?.actionsSuppressed).toEqual(expected);
  });

  it('reports a mute rule whose window covers the transition', () => {
    // arrange
    const event = alarmFixture('eventbridge-metric.json') as { detail: { muteDetail: Record<string, string> } };
    event.detail.muteDetail.muteWindowStart = '2019-10-02T17:00:00.000+0000';
    event.detail.muteDetail.muteWindowEnd = '2019-10-02T18:00:00.000+0000';

    // act
    const [transition] = parseAlarmEvent(event);

    // assert
    expect(transition?.actionsSuppressed).toEqual({ cause: 'mute-rule', detail: 'arn:aws:cloudwatch:us-east-1:1234567890:alarm-mute-rule:testMute' });
  });

  it.each([
    ['sns-composite.json', { accountId: '427809481713', alarmRegion: 'us-east-1' }],
    ['sns-metric-math.json', { accountId: 'EXAMPLE', alarmRegion: undefined }],
    ['sns-metric.json', { accountId: '735598076380', alarmRegion: undefined }],
    ['lambda-action-composite.json', { accountId: '111122223333', alarmRegion: 'us-east-1' }],
  ])('takes the region code of %s from the alarm ARN only, never from a display name', (file, expected) => {
    // act
    const [transition] = parseAlarmEvent(alarmFixture(file));

    // assert
    expect({ accountId: transition?.accountId, alarmRegion: transition?.alarmRegion }).toEqual(expected);
  });
});

describe('parseAlarmEvent on transitions the caller may ignore', () => {
  it.each(['OK', 'INSUFFICIENT_DATA'] as const)('reads a transition to %s from every delivery', (state) => {
    // arrange
    const eventBridge = alarmFixture('eventbridge-metric.json');
    eventBridge.detail.state.value = state;
    const action = alarmFixture('lambda-action-metric.json');
    action.alarmData.state.value = state;
    const sns = alarmFixture('sns-composite.json');
    sns.Records[0].Sns.Message = JSON.stringify({ ...JSON.parse(sns.Records[0].Sns.Message), NewStateValue: state });

    // act
    const states = [eventBridge, action, sns].map((event) => parseAlarmEvent(event)[0]?.state);

    // assert
    expect(states).toEqual([state, state, state]);
  });

  it('reads a transition without a previous state', () => {
    // arrange
    const event = alarmFixture('eventbridge-metric.json');
    delete event.detail.previousState;

    // act
    const [transition] = parseAlarmEvent(event);

    // assert
    expect(transition?.previousState).toBeUndefined();
    expect(transition?.state).toBe('ALARM');
  });
});

describe('the state change time', () => {
  it.each([
    ['2019-10-02T17:04:40.989+0000', '2019-10-02T17:04:40.989Z'],
    ['2019-10-02T17:04:40Z', '2019-10-02T17:04:40.000Z'],
    ['2019-10-02T19:04:40.5+02:00', '2019-10-02T17:04:40.500Z'],
    ['2019-10-02T12:04:40.989-0500', '2019-10-02T17:04:40.989Z'],
    ['2019-10-02T17:04:40.123456789Z', '2019-10-02T17:04:40.123Z'],
    ['2019-12-31T23:30:00.000-0100', '2020-01-01T00:30:00.000Z'],
  ])('is normalised from %s to %s', (given, expected) => {
    // arrange
    const event = alarmFixture('lambda-action-metric.json');
    event.alarmData.state.timestamp = given;

    // act
    const [transition] = parseAlarmEvent(event);

    // assert
    expect(transition?.stateChangeTime).toBe(expected);
  });
});
