import * as cloudwatch from '@aws-sdk/client-cloudwatch';
import type {
  CompositeAlarm,
  GetMetricDataInput,
  GetMetricDataOutput,
  MetricDataResult,
  DescribeAlarmsInput,
  DescribeAlarmsOutput,
  MetricAlarm,
  SetAlarmStateInput,
  StateValue,
} from '@aws-sdk/client-cloudwatch';
import { TokenBucket } from '../../domain/rate-limit.js';
import type { Clock } from '../../ports/clock.js';
import type { FakeCallContext } from './attach-fake.js';
import { AwsFault, FakeNotImplementedError } from './aws-fault.js';
import { evaluateAlarmRule, parseAlarmRule, referencedAlarms } from './composite-alarm-rule.js';
import { exceptionCatalog } from './exception-catalog.js';
import { FAKE_ACCOUNT_ID, FakeAwsService, type FaultTemplate } from './fake-service.js';
import {
  alarmArn,
  alarmView,
  cloudWatchTime,
  type AlarmRecord,
  type AlarmStateSnapshot,
  type MetricAlarmSeed,
} from './cloudwatch-alarm-records.js';

export type { AlarmStateSnapshot, MetricAlarmSeed };

const CLOUDWATCH_EXCEPTIONS = exceptionCatalog(cloudwatch, cloudwatch.CloudWatchServiceException);

const STATE_VALUES: readonly StateValue[] = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];
/** DescribeAlarms: AlarmNames "Maximum number of 100 items"; MaxRecords 1-100, 50 when omitted. */
const MAX_ALARM_NAMES = 100;
const DEFAULT_MAX_RECORDS = 50;
const INITIAL_REASON = 'Unchecked: Initial alarm creation';
/** GetMetricData: "You can include as many as 500 MetricDataQuery structures in one request". */
const MAX_METRIC_DATA_QUERIES = 500;
const METRIC_QUERY_ID = /^[a-z][a-zA-Z0-9_]*$/;
/**
 * GetMetricData's default quota: "50 transactions per second (TPS)" per account and region
 * (AWS knowledge center, "GetMetricData or GetMetricStatistics"); over it, Throttling.
 */
export const GET_METRIC_DATA_PER_SECOND = 50;
/**
 * DescribeAlarms' default quota, "Rate of DescribeAlarms requests: 9 per second" per account and
 * region (CloudWatch service quotas, L-21CB40A4, adjustable); over it, Throttling.
 */
export const DESCRIBE_ALARMS_PER_SECOND = 9;

/** Request rates per account and region the fake enforces, by operation (requests per second). */
export interface CloudWatchRates {
  GetMetricData: number;
  DescribeAlarms: number;
}

/**
 * Where the fake's metric values come from: the current value of a metric (namespace, name and
 * dimensions) in a region, or undefined when nothing publishes it there. The simulated world wires
 * Route 53's health checks in as `AWS/Route53` in us-east-1.
 */
export type MetricSource = (region: string, namespace: string, metricName: string, dimensions: Record<string, string>) => number | undefined;

/** A composite alarm to seed; its children must exist already, as PutCompositeAlarm requires. */
export interface CompositeAlarmSeed {
  name: string;
  rule: string;
  description?: string;
  alarmActions?: string[];
}

/** A state transition, with what a simulator needs to build the "CloudWatch Alarm State Change" event. */
export interface AlarmStateChange {
  region: string;
  accountId: string;
  alarmName: string;
  alarmArn: string;
  alarmType: 'MetricAlarm' | 'CompositeAlarm';
  previousState: AlarmStateSnapshot;
  state: AlarmStateSnapshot;
  time: Date;
  /** The alarm as DescribeAlarms would return it after the change. */
  alarm: MetricAlarm | CompositeAlarm;
}

const CLOUDWATCH_FAULTS: Record<string, FaultTemplate> = {
  Throttling: { httpStatusCode: 400, message: 'Rate exceeded' },
  InternalServiceFault: { httpStatusCode: 500, message: 'Internal service error' },
  AccessDenied: {
    httpStatusCode: 403,
    message: `User: arn:aws:sts::${FAKE_ACCOUNT_ID}:assumed-role/lifeboat/session is not authorized to perform this action`,
  },
  ResourceNotFound: { httpStatusCode: 404, message: 'The named resource does not exist.' },
};

/**
 * CloudWatch alarms per region: metric alarms whose state a test or the simulator sets, and
 * composite alarms whose state follows their AlarmRule as children change. DescribeAlarms keeps
 * the real defaults (only metric alarms unless AlarmTypes asks for more; at most 100 names;
 * 50 records a page) and SetAlarmState the real checks. Subscribers hear every transition.
 */
export class FakeCloudWatch extends FakeAwsService {
  readonly fakeName = 'FakeCloudWatch';
  readonly exceptions = CLOUDWATCH_EXCEPTIONS;
  protected readonly operations = ['DescribeAlarms', 'SetAlarmState', 'GetMetricData'] as const;
  protected readonly injectableFaults = CLOUDWATCH_FAULTS;

  private readonly alarms = new Map<string, Map<string, AlarmRecord>>();
  private readonly listeners = new Set<(change: AlarmStateChange) => void>();
  private metricSource: MetricSource = () => undefined;
  /** The rate-limited operations' buckets, one per operation and region. */
  private readonly buckets = new Map<string, TokenBucket>();
  private readonly rates: CloudWatchRates;

  constructor(clock: Clock, rates: Partial<CloudWatchRates> = {}) {
    super(clock);
    this.rates = { GetMetricData: GET_METRIC_DATA_PER_SECOND, DescribeAlarms: DESCRIBE_ALARMS_PER_SECOND, ...rates };
  }

  /** A rate-limited call first passes its region's quota: over it, Throttling ("Rate exceeded"), as the service answers. */
  override async handle(operation: string, input: unknown, context: FakeCallContext): Promise<object> {
    const rate = this.rates[operation as keyof CloudWatchRates];
    if (rate !== undefined) {
      const key = `${operation} ${context.region}`;
      let bucket = this.buckets.get(key);
      if (!bucket) this.buckets.set(key, (bucket = new TokenBucket(rate, rate, this.clock.now())));
      if (!bucket.tryTake(this.clock.now())) this.throttle(operation, input, context);
    }
    return super.handle(operation, input, context);
  }

  // ---- seeding, state changes and subscriptions ------------------------------------------------

  /** Adds a metric alarm (INSUFFICIENT_DATA unless the seed gives a state). */
  addMetricAlarm(region: string, seed: MetricAlarmSeed): this {
    const now = this.clock.now();
    this.store({
      type: 'MetricAlarm',
      region,
      name: seed.name,
      arn: alarmArn(region, seed.name),
      ...(seed.description === undefined ? {} : { description: seed.description }),
      actions: seed.alarmActions ?? [],
      configUpdatedAt: now,
      state: { value: seed.state ?? 'INSUFFICIENT_DATA', reason: seed.reason ?? INITIAL_REASON, timestamp: now },
      transitionedAt: now,
      metric: seed,
    });
    return this;
  }

  /** Adds a composite alarm and evaluates its rule at once. Its children must exist. */
  addCompositeAlarm(region: string, seed: CompositeAlarmSeed): this {
    const parsed = parseAlarmRule(seed.rule);
    for (const child of referencedAlarms(parsed)) {
      if (child === seed.name || !this.find(region, child)) {
        throw new RangeError(`composite alarm ${seed.name}: rule refers to ${child}, which is not an existing other alarm in ${region}`);
      }
    }
    const now = this.clock.now();
    const alarm: AlarmRecord = {
      type: 'CompositeAlarm',
      region,
      name: seed.name,
      arn: alarmArn(region, seed.name),
      ...(seed.description === undefined ? {} : { description: seed.description }),
      actions: seed.alarmActions ?? [],
      configUpdatedAt: now,
      state: { value: 'INSUFFICIENT_DATA', reason: INITIAL_REASON, timestamp: now },
      transitionedAt: now,
      rule: { text: seed.rule, parsed },
    };
    alarm.state.value = this.ruleHolds(alarm) ? 'ALARM' : 'OK';
    this.store(alarm);
    return this;
  }

  /**
   * Moves an alarm to a state as its own evaluation would (the simulator's "the metric breached").
   * Composite alarms that refer to it re-evaluate; every actual transition reaches subscribers.
   */
  transition(region: string, name: string, value: StateValue, reason: string, reasonData?: string): this {
    const alarm = this.find(region, name);
    if (!alarm) throw new RangeError(`no alarm ${name} in ${region}`);
    this.changeState(alarm, value, reason, reasonData);
    return this;
  }

  /** Calls `listener` on every state transition (not on updates that keep the value); returns an unsubscribe. */
  onStateChange(listener: (change: AlarmStateChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Makes GetMetricData answer from `source` (the current value of each metric, one datapoint per request). */
  publishMetrics(source: MetricSource): this {
    this.metricSource = source;
    return this;
  }

  /** The current state of an alarm (for assertions). */
  stateOf(region: string, name: string): AlarmStateSnapshot | undefined {
    const alarm = this.find(region, name);
    return alarm && { ...alarm.state, timestamp: new Date(alarm.state.timestamp) };
  }

  // ---- operations ------------------------------------------------------------------------------

  /** Alarms of the client's region, filtered, sorted by name and paged like CloudWatch. */
  DescribeAlarms(input: DescribeAlarmsInput, context: { region: string }): DescribeAlarmsOutput {
    if (input.ChildrenOfAlarmName !== undefined || input.ParentsOfAlarmName !== undefined) {
      throw new FakeNotImplementedError('FakeCloudWatch does not model ChildrenOfAlarmName or ParentsOfAlarmName');
    }
    if (input.AlarmNames !== undefined && input.AlarmNamePrefix !== undefined) {
      throw new AwsFault('InvalidParameterCombinationException', 'AlarmNames and AlarmNamePrefix cannot be specified together.');
    }
    if ((input.AlarmNames?.length ?? 0) > MAX_ALARM_NAMES) {
      throw validationError(`[${input.AlarmNames?.join(', ')}]`, 'alarmNames', `Member must have length less than or equal to ${MAX_ALARM_NAMES}`);
    }
    const maxRecords = input.MaxRecords ?? DEFAULT_MAX_RECORDS;
    if (!Number.isInteger(maxRecords) || maxRecords < 1 || maxRecords > 100) {
      throw validationError(maxRecords, 'maxRecords', 'Member must have value between 1 and 100');
    }
    if (input.StateValue !== undefined && !STATE_VALUES.includes(input.StateValue)) {
      throw validationError(input.StateValue, 'stateValue', `Member must satisfy enum value set: [${STATE_VALUES.join(', ')}]`);
    }
    // "If you omit this parameter, only metric alarms are returned, even if composite alarms ... exist."
    const types = input.AlarmTypes?.length ? input.AlarmTypes : ['MetricAlarm'];
    const after = input.NextToken === undefined ? undefined : decodeToken(input.NextToken);
    const matching = [...(this.alarms.get(context.region)?.values() ?? [])]
      .filter((alarm) => (types as string[]).includes(alarm.type))
      .filter((alarm) => input.AlarmNames === undefined || input.AlarmNames.includes(alarm.name))
      .filter((alarm) => input.AlarmNamePrefix === undefined || alarm.name.startsWith(input.AlarmNamePrefix))
      .filter((alarm) => input.StateValue === undefined || alarm.state.value === input.StateValue)
      .filter((alarm) => input.ActionPrefix === undefined || alarm.actions.some((action) => action.startsWith(input.ActionPrefix ?? '')))
      .filter((alarm) => after === undefined || alarm.name > after)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const page = matching.slice(0, maxRecords);
    const output: DescribeAlarmsOutput = {
      MetricAlarms: page.filter((alarm) => alarm.type === 'MetricAlarm').map((alarm) => alarmView(alarm) as MetricAlarm),
      CompositeAlarms: page.filter((alarm) => alarm.type === 'CompositeAlarm').map((alarm) => alarmView(alarm) as CompositeAlarm),
    };
    const last = page.at(-1);
    if (matching.length > page.length && last) output.NextToken = encodeToken(last.name);
    return output;
  }

  /**
   * Sets an alarm's state (metric or composite). Checks as the service does: the alarm must exist
   * (ResourceNotFound), StateValue is one of the three states, StateReason at most 1023 and
   * StateReasonData at most 4000 characters, and StateReasonData must be JSON (InvalidFormatFault).
   */
  SetAlarmState(input: SetAlarmStateInput, context: { region: string }): object {
    const alarm = this.find(context.region, input.AlarmName ?? '');
    if (!STATE_VALUES.includes(input.StateValue as StateValue)) {
      throw validationError(input.StateValue, 'stateValue', `Member must satisfy enum value set: [${STATE_VALUES.join(', ')}]`);
    }
    if (input.StateReason === undefined || input.StateReason.length > 1023) {
      throw validationError(input.StateReason, 'stateReason', 'Member must have length less than or equal to 1023');
    }
    if (input.StateReasonData !== undefined) {
      if (input.StateReasonData.length > 4000) {
        throw validationError(input.StateReasonData, 'stateReasonData', 'Member must have length less than or equal to 4000');
      }
      try {
        JSON.parse(input.StateReasonData);
      } catch {
        throw new AwsFault('InvalidFormatFault', 'Data was not syntactically valid JSON', { httpStatusCode: 400 });
      }
    }
    if (!alarm) throw new AwsFault('ResourceNotFound', `Alarm ${input.AlarmName} not found`, { httpStatusCode: 404 });
    this.changeState(alarm, input.StateValue as StateValue, input.StateReason, input.StateReasonData);
    return {};
  }

  /**
   * Metric math is not modeled; MetricStat queries are, with the service's checks: 1-500 queries,
   * unique Ids starting with a lower-case letter, exactly one of MetricStat and Expression,
   * StartTime before EndTime, a Period of 1, 5, 10, 30 or a multiple of 60. The fake has no
   * history: each metric its source publishes has one datapoint, its current value, stamped at the
   * start of the current period when that falls in [StartTime, EndTime).
   */
  GetMetricData(input: GetMetricDataInput, context: { region: string }): GetMetricDataOutput {
    const queries = input.MetricDataQueries ?? [];
    if (queries.length < 1 || queries.length > MAX_METRIC_DATA_QUERIES) {
      throw validationError(`[${queries.length} queries]`, 'metricDataQueries', `Member must have length between 1 and ${MAX_METRIC_DATA_QUERIES}`);
    }
    if (!input.StartTime || !input.EndTime) throw new AwsFault('MissingRequiredParameterException', `The parameter ${input.StartTime ? 'EndTime' : 'StartTime'} is required.`);
    const start = new Date(input.StartTime).getTime();
    const end = new Date(input.EndTime).getTime();
    if (!(start < end)) throw new AwsFault('InvalidParameterValueException', 'The parameter StartTime must be less than the parameter EndTime.');
    const ids = new Set<string>();
    const results: MetricDataResult[] = [];
    for (const [index, query] of queries.entries()) {
      const at = `metricDataQueries.${index + 1}.member`;
      if (!query.Id || !METRIC_QUERY_ID.test(query.Id)) {
        throw validationError(query.Id, `${at}.id`, `Member must satisfy regular expression pattern: ${METRIC_QUERY_ID.source}`);
      }
      if (ids.has(query.Id)) throw new AwsFault('InvalidParameterValueException', `The value ${query.Id} for field Id in MetricDataQueries is not unique.`);
      ids.add(query.Id);
      if (query.Expression !== undefined && query.MetricStat !== undefined) {
        throw new AwsFault('InvalidParameterCombinationException', `The parameters MetricStat and Expression in MetricDataQueries.member.${index + 1} are mutually exclusive.`);
      }
      if (query.Expression !== undefined) throw new FakeNotImplementedError('FakeCloudWatch does not model metric math (Expression) in GetMetricData');
      const stat = query.MetricStat;
      if (!stat?.Metric?.MetricName || !stat.Metric.Namespace || !stat.Stat) {
        throw new AwsFault('MissingRequiredParameterException', `MetricDataQueries.member.${index + 1} needs a MetricStat with Metric (Namespace, MetricName), Period and Stat, or an Expression.`);
      }
      const period = stat.Period ?? 0;
      if (!(Number.isInteger(period) && ([1, 5, 10, 30].includes(period) || (period > 0 && period % 60 === 0)))) {
        throw new AwsFault('InvalidParameterValueException', `The parameter MetricDataQueries.member.${index + 1}.MetricStat.Period must be 1, 5, 10, 30 or a multiple of 60.`);
      }
      const dimensions = Object.fromEntries((stat.Metric.Dimensions ?? []).map((d) => [d.Name ?? '', d.Value ?? '']));
      const value = this.metricSource(context.region, stat.Metric.Namespace, stat.Metric.MetricName, dimensions);
      const stamp = Math.floor(this.clock.now().getTime() / (period * 1000)) * period * 1000;
      const has = value !== undefined && stamp >= start && stamp < end && query.ReturnData !== false;
      results.push({
        Id: query.Id,
        Label: query.Label ?? stat.Metric.MetricName,
        Timestamps: has ? [new Date(stamp)] : [],
        Values: has ? [value] : [],
        StatusCode: 'Complete',
        Messages: [],
      });
    }
    return { MetricDataResults: results.filter((_, index) => queries[index]!.ReturnData !== false), Messages: [] };
  }

  // ---- internals -------------------------------------------------------------------------------

  private store(alarm: AlarmRecord): void {
    const regional = this.alarms.get(alarm.region) ?? new Map<string, AlarmRecord>();
    this.alarms.set(alarm.region, regional);
    regional.set(alarm.name, alarm);
  }

  /** Finds by name or by ARN (composite rules may use either). */
  private find(region: string, nameOrArn: string): AlarmRecord | undefined {
    const regional = this.alarms.get(region);
    return regional?.get(nameOrArn) ?? [...(regional?.values() ?? [])].find((alarm) => alarm.arn === nameOrArn);
  }

  private ruleHolds(alarm: AlarmRecord): boolean {
    if (!alarm.rule) return false;
    return evaluateAlarmRule(alarm.rule.parsed, (child) => this.find(alarm.region, child)?.state.value ?? 'INSUFFICIENT_DATA');
  }

  /**
   * StateUpdatedTimestamp moves on every update, StateTransitionedTimestamp only when the value
   * changes (MetricAlarm/CompositeAlarm reference). Subscribers and parent composites hear only
   * transitions, as alarm events and composite evaluation only follow value changes.
   */
  private changeState(alarm: AlarmRecord, value: StateValue, reason: string, reasonData?: string): void {
    const now = this.clock.now();
    const previousState = alarm.state;
    alarm.state = { value, reason, ...(reasonData === undefined ? {} : { reasonData }), timestamp: now };
    if (previousState.value === value) return;
    alarm.transitionedAt = now;
    const change: AlarmStateChange = {
      region: alarm.region,
      accountId: FAKE_ACCOUNT_ID,
      alarmName: alarm.name,
      alarmArn: alarm.arn,
      alarmType: alarm.type,
      previousState,
      state: { ...alarm.state },
      time: now,
      alarm: alarmView(alarm),
    };
    for (const listener of this.listeners) listener(change);
    this.reevaluateParents(alarm);
  }

  private reevaluateParents(child: AlarmRecord): void {
    for (const parent of this.alarms.get(child.region)?.values() ?? []) {
      if (!parent.rule) continue;
      if (!referencedAlarms(parent.rule.parsed).some((name) => name === child.name || name === child.arn)) continue;
      const value: StateValue = this.ruleHolds(parent) ? 'ALARM' : 'OK';
      if (value === parent.state.value) continue;
      const reason = `${child.arn} transitioned to ${child.state.value} at ${cloudWatchTime(child.state.timestamp)}`;
      const reasonData = JSON.stringify({
        triggeringAlarms: [{ arn: child.arn, state: { value: child.state.value, timestamp: child.state.timestamp.toISOString() } }],
      });
      this.changeState(parent, value, reason, reasonData);
    }
  }
}

/** CloudWatch's request validation error (query code ValidationError, the SDK's ValidationException). */
function validationError(value: unknown, field: string, constraint: string): AwsFault {
  return new AwsFault(
    'ValidationException',
    `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: ${constraint}`,
    { httpStatusCode: 400 },
  );
}

function encodeToken(lastName: string): string {
  return Buffer.from(JSON.stringify({ after: lastName })).toString('base64');
}

function decodeToken(token: string): string {
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { after?: unknown };
    if (typeof decoded.after === 'string') return decoded.after;
  } catch {
    // fall through to the service's answer
  }
  throw new AwsFault('InvalidNextToken', 'The service couldn\'t process the NextToken provided.', { httpStatusCode: 400 });
}
