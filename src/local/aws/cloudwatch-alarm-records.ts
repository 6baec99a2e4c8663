import type { CompositeAlarm, Dimension, MetricAlarm, StateValue } from '@aws-sdk/client-cloudwatch';
import type { AlarmRule } from './composite-alarm-rule.js';
import { FAKE_ACCOUNT_ID } from './fake-service.js';

/** A metric alarm to seed (the fields Lifeboat's configuration and events use). */
export interface MetricAlarmSeed {
  name: string;
  namespace: string;
  metricName: string;
  dimensions?: Record<string, string>;
  statistic?: MetricAlarm['Statistic'];
  period?: number;
  evaluationPeriods?: number;
  datapointsToAlarm?: number;
  threshold?: number;
  comparisonOperator?: MetricAlarm['ComparisonOperator'];
  treatMissingData?: string;
  description?: string;
  alarmActions?: string[];
  /** Initial state (default INSUFFICIENT_DATA, as a new alarm starts). */
  state?: StateValue;
  reason?: string;
}

/** One side of a state change, as CloudWatch alarm events carry it. */
export interface AlarmStateSnapshot {
  value: StateValue;
  reason: string;
  reasonData?: string;
  timestamp: Date;
}

/** An alarm as the fake keeps it. */
export interface AlarmRecord {
  type: 'MetricAlarm' | 'CompositeAlarm';
  region: string;
  name: string;
  arn: string;
  description?: string;
  actions: string[];
  configUpdatedAt: Date;
  state: AlarmStateSnapshot;
  transitionedAt: Date;
  metric?: MetricAlarmSeed;
  rule?: { text: string; parsed: AlarmRule };
}

/** The alarm as DescribeAlarms returns it. */
export function alarmView(alarm: AlarmRecord): MetricAlarm | CompositeAlarm {
  const common = {
    AlarmName: alarm.name,
    AlarmArn: alarm.arn,
    ...(alarm.description === undefined ? {} : { AlarmDescription: alarm.description }),
    AlarmConfigurationUpdatedTimestamp: alarm.configUpdatedAt,
    ActionsEnabled: true,
    AlarmActions: [...alarm.actions],
    OKActions: [],
    InsufficientDataActions: [],
    StateValue: alarm.state.value,
    StateReason: alarm.state.reason,
    ...(alarm.state.reasonData === undefined ? {} : { StateReasonData: alarm.state.reasonData }),
    StateUpdatedTimestamp: alarm.state.timestamp,
    StateTransitionedTimestamp: alarm.transitionedAt,
  };
  if (alarm.rule) return { ...common, AlarmRule: alarm.rule.text } satisfies CompositeAlarm;
  const metric = alarm.metric as MetricAlarmSeed;
  const dimensions: Dimension[] = Object.entries(metric.dimensions ?? {}).map(([Name, Value]) => ({ Name, Value }));
  return {
    ...common,
    MetricName: metric.metricName,
    Namespace: metric.namespace,
    Statistic: metric.statistic ?? 'Average',
    Dimensions: dimensions,
    Period: metric.period ?? 60,
    EvaluationPeriods: metric.evaluationPeriods ?? 1,
    ...(metric.datapointsToAlarm === undefined ? {} : { DatapointsToAlarm: metric.datapointsToAlarm }),
    Threshold: metric.threshold ?? 0,
    ComparisonOperator: metric.comparisonOperator ?? 'GreaterThanThreshold',
    TreatMissingData: metric.treatMissingData ?? 'missing',
  } satisfies MetricAlarm;
}

/** `arn:aws:cloudwatch:region:account:alarm:name`. */
export function alarmArn(region: string, name: string): string {
  return `arn:aws:cloudwatch:${region}:${FAKE_ACCOUNT_ID}:alarm:${name}`;
}

/** `Sunday 01 March, 2026 12:00:00 UTC`, the timestamp format of CloudWatch state reasons. */
export function cloudWatchTime(at: Date): string {
  const day = at.toLocaleDateString('en-GB', { weekday: 'long', timeZone: 'UTC' });
  const month = at.toLocaleDateString('en-GB', { month: 'long', timeZone: 'UTC' });
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${day} ${pad(at.getUTCDate())} ${month}, ${at.getUTCFullYear()} ${pad(at.getUTCHours())}:${pad(at.getUTCMinutes())}:${pad(at.getUTCSeconds())} UTC`;
}
