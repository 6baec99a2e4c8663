import type { CompositeAlarm, MetricAlarm } from '@aws-sdk/client-cloudwatch';
import type { AlarmStateChange } from './aws/fake-cloudwatch.js';

/*
 * The three ways CloudWatch delivers an alarm state change, built from a fake alarm's change in the
 * shapes AWS documents (test/fixtures/alarm-events holds the published samples they follow).
 */

/** CloudWatch writes alarm timestamps as `2019-10-02T17:04:40.989+0000`. */
function cloudWatchTime(date: Date): string {
  return date.toISOString().replace('Z', '+0000');
}

function configurationOf(alarm: MetricAlarm | CompositeAlarm): Record<string, unknown> {
  if ('AlarmRule' in alarm && alarm.AlarmRule) return { alarmRule: alarm.AlarmRule, description: alarm.AlarmDescription };
  const metric = alarm as MetricAlarm;
  return {
    description: metric.AlarmDescription,
    metrics: [
      {
        id: 'm1',
        metricStat: {
          metric: {
            namespace: metric.Namespace,
            name: metric.MetricName,
            dimensions: Object.fromEntries((metric.Dimensions ?? []).map((d) => [d.Name, d.Value])),
          },
          period: metric.Period,
          stat: metric.Statistic,
        },
        returnData: true,
      },
    ],
  };
}

function detailOf(change: AlarmStateChange) {
  return {
    alarmName: change.alarmName,
    state: { value: change.state.value, reason: change.state.reason, reasonData: change.state.reasonData, timestamp: cloudWatchTime(change.state.timestamp) },
    previousState: {
      value: change.previousState.value,
      reason: change.previousState.reason,
      reasonData: change.previousState.reasonData,
      timestamp: cloudWatchTime(change.previousState.timestamp),
    },
    configuration: configurationOf(change.alarm),
  };
}

/** The EventBridge "CloudWatch Alarm State Change" event. */
export function eventBridgeAlarmEvent(change: AlarmStateChange, id = '00000000-0000-4000-8000-000000000000') {
  return {
    version: '0',
    id,
    'detail-type': 'CloudWatch Alarm State Change',
    source: 'aws.cloudwatch',
    account: change.accountId,
    time: change.time.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    region: change.region,
    resources: [change.alarmArn],
    detail: detailOf(change),
  };
}

/** The payload CloudWatch sends when an alarm action invokes a Lambda function directly. */
export function lambdaActionAlarmEvent(change: AlarmStateChange) {
  return {
    source: 'aws.cloudwatch',
    alarmArn: change.alarmArn,
    accountId: change.accountId,
    time: cloudWatchTime(change.time),
    region: change.region,
    alarmData: detailOf(change),
  };
}

/** An SNS notification of the alarm, as delivered to a subscribed Lambda function. */
export function snsAlarmEvent(change: AlarmStateChange) {
  const alarm = change.alarm as MetricAlarm & CompositeAlarm;
  const message = {
    AlarmName: change.alarmName,
    AlarmDescription: alarm.AlarmDescription ?? null,
    AWSAccountId: change.accountId,
    AlarmConfigurationUpdatedTimestamp: cloudWatchTime(change.time),
    NewStateValue: change.state.value,
    NewStateReason: change.state.reason,
    StateChangeTime: cloudWatchTime(change.state.timestamp),
    Region: change.region,
    AlarmArn: change.alarmArn,
    OldStateValue: change.previousState.value,
    ...(alarm.AlarmRule
      ? { AlarmRule: alarm.AlarmRule, TriggeringChildren: [] }
      : {
          Trigger: {
            MetricName: alarm.MetricName,
            Namespace: alarm.Namespace,
            StatisticType: 'Statistic',
            Statistic: String(alarm.Statistic ?? 'Average').toUpperCase(),
            Unit: null,
            Dimensions: (alarm.Dimensions ?? []).map((d) => ({ name: d.Name, value: d.Value })),
            Period: alarm.Period,
            EvaluationPeriods: alarm.EvaluationPeriods,
            ComparisonOperator: alarm.ComparisonOperator,
            Threshold: alarm.Threshold,
            TreatMissingData: alarm.TreatMissingData ?? 'missing',
          },
        }),
  };
  const topicArn = `arn:aws:sns:${change.region}:${change.accountId}:lifeboat-alarms`;
  return {
    Records: [
      {
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `${topicArn}:00000000-0000-4000-8000-000000000001`,
        Sns: {
          Type: 'Notification',
          MessageId: '00000000-0000-4000-8000-000000000002',
          TopicArn: topicArn,
          Subject: `ALARM: "${change.alarmName}" in ${change.region}`,
          Message: JSON.stringify(message),
          Timestamp: change.time.toISOString(),
          SignatureVersion: '1',
          Signature: 'EXAMPLE',
          SigningCertUrl: 'EXAMPLE',
          UnsubscribeUrl: 'EXAMPLE',
          MessageAttributes: {},
        },
      },
    ],
  };
}
