/** How the alarm reached us: an EventBridge rule, a Lambda alarm action, or an SNS topic subscription. */
export type AlarmDelivery = 'eventbridge' | 'lambda-action' | 'sns';

/** What the alarm watches: one metric, a math expression, an anomaly detection band, or other alarms. */
export type AlarmKind = 'metric' | 'metric-math' | 'anomaly-detection' | 'composite';

export type AlarmStateValue = 'OK' | 'ALARM' | 'INSUFFICIENT_DATA';

/** The metric behind an alarm that watches exactly one metric. */
export interface AlarmMetric {
  namespace?: string;
  name?: string;
  dimensions?: Record<string, string>;
}

/**
 * CloudWatch held back the alarm's actions for this transition. EventBridge still delivers such
 * transitions (actions do not), so a caller that acts on EventBridge events should look here.
 */
export interface ActionsSuppression {
  /** `actions-suppressor`: a composite alarm's suppressor alarm; `mute-rule`: an alarm mute rule. */
  cause: 'actions-suppressor' | 'mute-rule';
  /** `WaitPeriod`, `ExtensionPeriod` or `Alarm` for a suppressor; the mute rule's ARN for a mute rule. */
  detail: string;
}

/** One alarm state change, the same whichever way it was delivered. */
export interface AlarmTransition {
  alarmName: string;
  alarmArn?: string;
  accountId?: string;
  /** Region code where the alarm lives (from its ARN, else the event's region). Informational only. */
  alarmRegion?: string;
  state: AlarmStateValue;
  previousState?: AlarmStateValue;
  /** When the alarm changed state, as ISO-8601 UTC with milliseconds (`2019-10-02T17:04:40.989Z`). */
  stateChangeTime: string;
  /** CloudWatch's reason, control characters replaced and at most 1024 characters. */
  reason: string;
  kind: AlarmKind;
  delivery: AlarmDelivery;
  /** Present when the alarm watches exactly one metric (e.g. `AWS/Route53` `HealthCheckStatus`). */
  metric?: AlarmMetric;
  /** Present when CloudWatch reports the alarm's actions as suppressed or muted for this transition. */
  actionsSuppressed?: ActionsSuppression;
}
