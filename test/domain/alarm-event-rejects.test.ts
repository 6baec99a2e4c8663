import { describe, expect, it } from '@jest/globals';
import { parseAlarmEvent } from '../../src/domain/alarm-event.js';
import { InputValidationError, type FieldIssue } from '../../src/domain/errors.js';
import { alarmFixture, type JsonObject } from '../fixtures/alarm-events/load.js';

const TEN_MB = 10 * 1024 * 1024;

function rejection(event: unknown): InputValidationError {
  try {
    parseAlarmEvent(event);
  } catch (error) {
    if (error instanceof InputValidationError) return error;
    throw error;
  }
  throw new Error('expected parseAlarmEvent to throw InputValidationError');
}

function issuesOf(event: unknown): readonly FieldIssue[] {
  return rejection(event).issues;
}

/** An SNS fixture whose first record carries `message` (an object is serialised, a string kept as is). */
function snsWith(message: JsonObject | string, file = 'sns-route53-health-check.json'): JsonObject {
  const event = alarmFixture(file);
  event.Records[0].Sns.Message = typeof message === 'string' ? message : JSON.stringify(message);
  return event;
}

function snsMessage(file = 'sns-route53-health-check.json'): JsonObject {
  return JSON.parse(alarmFixture(file).Records[0].Sns.Message) as JsonObject;
}

function changed(file: string, change: (event: JsonObject) => void): JsonObject {
  const event = alarmFixture(file);
  change(event);
  return event;
}

describe('parseAlarmEvent rejects malformed events, naming the field', () => {
  it.each<[string, () => unknown, string, string]>([
    ['a number', () => 42, '', 'got 42'],
    ['null', () => null, '', 'got null'],
    ['an array', () => [alarmFixture('eventbridge-metric.json')], '', 'got an array of 1 item'],
    ['a 10 MB string', () => 'x'.repeat(TEN_MB), '', `(${TEN_MB} characters)`],
    ['an object of no known shape', () => ({ hello: 'world' }), '', 'matches none of the expected shapes'],
    [
      'an EventBridge event without detail',
      () => changed('eventbridge-metric.json', (event) => delete event.detail),
      'detail',
      'required',
    ],
    [
      'an EventBridge event with a state value CloudWatch never sends',
      () => changed('eventbridge-metric.json', (event) => (event.detail.state.value = 'PANIC')),
      'detail.state.value',
      'expected one of OK, ALARM, INSUFFICIENT_DATA, got "PANIC"',
    ],
    [
      'an EventBridge event of another detail-type',
      () =>
        changed('eventbridge-metric.json', (event) => (event['detail-type'] = 'CloudWatch Alarm Configuration Change')),
      'detail-type',
      'expected "CloudWatch Alarm State Change", got "CloudWatch Alarm Configuration Change"',
    ],
    [
      'an EventBridge event from another source',
      () => changed('eventbridge-metric.json', (event) => (event.source = 'aws.health')),
      'source',
      'expected "aws.cloudwatch"',
    ],
    [
      'an EventBridge event whose state timestamp is not a time',
      () => changed('eventbridge-metric.json', (event) => (event.detail.state.timestamp = '2019-02-30T10:00:00Z')),
      'detail.state.timestamp',
      'expected an ISO-8601 timestamp, got "2019-02-30T10:00:00Z"',
    ],
    [
      'an EventBridge event whose configuration has neither rule nor metrics',
      () => changed('eventbridge-metric.json', (event) => (event.detail.configuration = { description: 'x' })),
      'detail.configuration',
      'expected alarmRule (composite alarm) or a non-empty metrics list',
    ],
    [
      'a Lambda action payload with a lower-case state',
      () => changed('lambda-action-metric.json', (event) => (event.alarmData.state.value = 'alarm')),
      'alarmData.state.value',
      'expected one of OK, ALARM, INSUFFICIENT_DATA, got "alarm"',
    ],
    [
      'a Lambda action payload without a reason',
      () => changed('lambda-action-metric.json', (event) => delete event.alarmData.state.reason),
      'alarmData.state.reason',
      'required',
    ],
    [
      'a Lambda action payload with a 256-character alarm name',
      () => changed('lambda-action-metric.json', (event) => (event.alarmData.alarmName = 'a'.repeat(256))),
      'alarmData.alarmName',
      'longer than 255 characters',
    ],
    [
      'a Lambda action payload with an empty alarm name',
      () => changed('lambda-action-metric.json', (event) => (event.alarmData.alarmName = '')),
      'alarmData.alarmName',
      'must not be empty',
    ],
    ['an SNS event with no records', () => ({ Records: [] }), 'Records', 'expected at least 1 item'],
    [
      'an SNS record from another event source',
      () => changed('sns-metric.json', (event) => (event.Records[0].EventSource = 'aws:s3')),
      'Records[0].EventSource',
      'expected "aws:sns", got "aws:s3"',
    ],
    [
      'an SNS Message that is not JSON',
      () => snsWith('ALARM: "api" in US East (N. Virginia)'),
      'Records[0].Sns.Message',
      'not valid JSON',
    ],
    ['an SNS Message that is a JSON string', () => snsWith('"hello"'), 'Records[0].Sns.Message', 'expected a JSON object'],
    [
      'an SNS Message without AlarmName',
      () => snsWith({ ...snsMessage(), AlarmName: undefined }),
      'Records[0].Sns.Message.AlarmName',
      'required',
    ],
    [
      'an SNS Message with an unknown NewStateValue',
      () => snsWith({ ...snsMessage(), NewStateValue: 'UNKNOWN' }),
      'Records[0].Sns.Message.NewStateValue',
      'expected one of OK, ALARM, INSUFFICIENT_DATA, got "UNKNOWN"',
    ],
    [
      'an SNS Message with neither Trigger nor AlarmRule',
      () => snsWith({ ...snsMessage(), Trigger: undefined }),
      'Records[0].Sns.Message',
      'expected Trigger (metric alarm) or AlarmRule (composite alarm)',
    ],
    [
      'an SNS Message of 10 MB',
      () => snsWith('{'.repeat(TEN_MB)),
      'Records[0].Sns.Message',
      'longer than 262144 characters',
    ],
    [
      'a second SNS record that is broken while the first is fine',
      () => changed('sns-metric-math.json', (event) => (event.Records[1].Sns.Message = '{"AlarmName": "x"')),
      'Records[1].Sns.Message',
      'not valid JSON',
    ],
  ])('rejects %s', (_case, build, path, message) => {
    // act
    const error = rejection(build());

    // assert
    expect(error.name).toBe('InputValidationError');
    expect(error.retryable).toBe(false);
    expect(error.issues).toEqual(expect.arrayContaining([{ path, message: expect.stringContaining(message) }]));
    expect(error.message).toContain(`${path || '(root)'}: `);
  });

  it('names every bad field at once', () => {
    // arrange
    const event = changed('eventbridge-metric.json', (e) => {
      e.detail.state.value = 'PANIC';
      e.detail.alarmName = '';
      delete e.detail.state.timestamp;
    });

    // act
    const paths = issuesOf(event).map((issue) => issue.path);

    // assert
    expect(paths).toEqual(expect.arrayContaining(['detail.state.value', 'detail.alarmName', 'detail.state.timestamp']));
  });

  it('names the bad field of every broken SNS record', () => {
    // arrange
    const event = alarmFixture('sns-metric-math.json');
    event.Records[0].Sns.Message = 'not json';
    const second = { ...snsMessage('sns-metric-math.json'), StateChangeTime: 'yesterday' };
    event.Records[1].Sns.Message = JSON.stringify(second);

    // act
    const issues = issuesOf(event);

    // assert
    expect(issues).toEqual([
      { path: 'Records[0].Sns.Message', message: 'not valid JSON' },
      { path: 'Records[1].Sns.Message.StateChangeTime', message: 'expected an ISO-8601 timestamp, got "yesterday"' },
    ]);
  });
});

describe('parseAlarmEvent on hostile strings', () => {
  it('keeps at most 1024 characters of a reason, with control characters replaced', () => {
    // arrange
    const event = alarmFixture('lambda-action-metric.json');
    event.alarmData.state.reason = `\u0000\u001b[31m\r\nreason\u2028${'A'.repeat(TEN_MB)}`;

    // act
    const [transition] = parseAlarmEvent(event);

    // assert
    expect(transition?.reason.length).toBe(1024);
    expect(transition?.reason.startsWith('  [31m  reason ')).toBe(true);
    expect(transition?.reason.endsWith('…')).toBe(true);
    expect(transition?.reason).not.toMatch(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/);
  });

  it('does not cut a reason in the middle of a character', () => {
    // arrange
    const event = alarmFixture('lambda-action-metric.json');
    event.alarmData.state.reason = `${'a'.repeat(1022)}${'😀'.repeat(10)}`;

    // act
    const [transition] = parseAlarmEvent(event);

    // assert
    expect(transition?.reason).toBe(`${'a'.repeat(1022)}…`);
  });

  it.each([
    ['255 ASCII characters', 'n'.repeat(255)],
    ['255 emoji (CloudWatch counts characters, not UTF-16 units)', '🚨'.repeat(255)],
  ])('accepts an alarm name of %s', (_case, name) => {
    // arrange
    const event = alarmFixture('eventbridge-metric.json');
    event.detail.alarmName = name;

    // act
    const [transition] = parseAlarmEvent(event);

    // assert
    expect(transition?.alarmName).toBe(name);
  });

  it.each([
    ['a newline', 'primary\nhealth'],
    ['an escape sequence', 'primary\u001b[2Jhealth'],
    ['a NUL', 'primary\u0000'],
  ])('rejects an alarm name with %s, showing it escaped', (_case, name) => {
    // arrange
    const event = alarmFixture('eventbridge-metric.json');
    event.detail.alarmName = name;

    // act
    const [issue] = issuesOf(event);

    // assert
    expect(issue).toEqual({
      path: 'detail.alarmName',
      message: `must not contain control characters, got ${JSON.stringify(name)}`,
    });
  });

  it('never repeats a huge value in the error', () => {
    // arrange
    const event = alarmFixture('eventbridge-metric.json');
    event.detail.alarmName = `\u0007${'x'.repeat(TEN_MB)}`;
    event.detail.state.value = 'y'.repeat(TEN_MB);

    // act
    const error = rejection(event);

    // assert
    expect(error.message.length).toBeLessThan(1000);
    expect(error.issues.map((issue) => issue.path)).toEqual(
      expect.arrayContaining(['detail.alarmName', 'detail.state.value']),
    );
  });

  it.each([
    [
      'an EventBridge event',
      'eventbridge-metric.json',
      '"InstanceId": "i-12345678901234567"',
      '"__proto__": {"polluted": "yes"}',
    ],
    [
      'an SNS notification',
      'sns-route53-health-check.json',
      '\\"name\\":\\"HealthCheckId\\"',
      '\\"name\\":\\"__proto__\\"',
    ],
  ])('drops a dimension named __proto__ from %s without touching any prototype', (_case, file, from, to) => {
    // arrange
    const text = JSON.stringify(alarmFixture(file), null, 4);
    expect(text).toContain(from);
    const event = JSON.parse(text.replace(from, to)) as JsonObject;

    // act
    const [transition] = parseAlarmEvent(event);

    // assert
    expect(transition?.metric?.dimensions).toEqual({});
    expect(Object.getPrototypeOf(transition?.metric?.dimensions)).toBe(Object.prototype);
    expect(({} as JsonObject).polluted).toBeUndefined();
  });
});
