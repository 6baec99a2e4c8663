/**
 * Hostile alarm events: whatever reaches the alarm trigger, `parseAlarmEvent` returns well-formed
 * transitions or throws InputValidationError naming every bad field, never anything else.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import fc from 'fast-check';
import { decideOnAlarm, indexAlarms } from '../../src/domain/alarm-decision.js';
import { parseAlarmEvent, type AlarmTransition } from '../../src/domain/alarm-event.js';
import { parseConfig } from '../../src/domain/config-yaml.js';
import { InputValidationError } from '../../src/domain/errors.js';
import { parseFailoverRequest } from '../../src/domain/failover-request.js';
import { alarmFixture, alarmFixtureFiles, type JsonObject } from '../fixtures/alarm-events/load.js';
import { ensure, ensureNamedIssues, outcomeOf, pathPointsInto, printablePath, prototypeSnapshot, seeded, show } from './support/fuzz.js';
import { EmbeddedJson, anyValue, hostileKey, hostileString, hostileValue, mutate, mutations, safeJson } from './support/hostile.js';

const FILES = alarmFixtureFiles();
/** The hostile properties run 10,000 inputs each; the valid-input ones 2,000, which keeps the file under 10 s. */
const VALID_RUNS = 2_000;
const STATES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'];
const KINDS = ['metric', 'metric-math', 'anomaly-detection', 'composite'];
const TRANSITION_KEYS = new Set(['alarmName', 'alarmArn', 'accountId', 'alarmRegion', 'state', 'previousState', 'stateChangeTime', 'reason', 'kind', 'delivery', 'metric', 'actionsSuppressed']);
const ASCII_CONTROL = /[\u0000-\u001f\u007f]/;
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** The one form `AlarmTransition.stateChangeTime` documents (`2019-10-02T17:04:40.989Z`). */
const UTC_MILLIS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;


// Read once: a fresh copy per generated input is a JSON.parse, not a file read.
const FIXTURE_TEXT = new Map(FILES.map((file) => [file, JSON.stringify(alarmFixture(file))]));


/** A fixture as a mutable document; an SNS `Message` is kept parsed so mutations reach inside it. */
function fixtureDocument(file: string): JsonObject {
  const event = JSON.parse(FIXTURE_TEXT.get(file)!) as JsonObject;
  for (const record of (event.Records ?? []) as JsonObject[]) record.Sns.Message = new EmbeddedJson(JSON.parse(record.Sns.Message as string));
  return event;
}

function deliveryOf(event: unknown): string | undefined {
  if (typeof event !== 'object' || event === null) return undefined;
  if ('Records' in event) return 'sns';
  if ('detail-type' in event || 'detail' in event) return 'eventbridge';
  if ('alarmData' in event) return 'lambda-action';
  return undefined;
}

/** The contract of a parsed transition, as `AlarmTransition` documents it. */
function ensureWellFormed(transition: AlarmTransition, delivery: string | undefined): void {
  const t = transition;
  ensure(typeof t === 'object' && t !== null, 'a transition is not an object');
  for (const key of Object.keys(t)) ensure(TRANSITION_KEYS.has(key), `unexpected transition key ${show(key)}`);
  ensure(typeof t.alarmName === 'string' && t.alarmName.length > 0, () => `alarmName ${show(t.alarmName)}`);
  ensure(Array.from(t.alarmName).length <= 255, () => `alarmName longer than 255 characters (${Array.from(t.alarmName).length})`);
  ensure(!ASCII_CONTROL.test(t.alarmName), () => `alarmName with a control character: ${show(t.alarmName)}`);
  ensure(STATES.includes(t.state), () => `state ${show(t.state)}`);
  ensure(t.previousState === undefined || STATES.includes(t.previousState), () => `previousState ${show(t.previousState)}`);
  ensure(typeof t.stateChangeTime === 'string' && t.stateChangeTime.endsWith('Z'), () => `stateChangeTime ${show(t.stateChangeTime)}`);
  ensure(new Date(t.stateChangeTime).toISOString() === t.stateChangeTime, () => `stateChangeTime is not canonical ISO: ${show(t.stateChangeTime)}`);
  ensure(UTC_MILLIS.test(t.stateChangeTime), () => `stateChangeTime not in the documented form: ${show(t.stateChangeTime)}`);
  ensure(typeof t.reason === 'string' && t.reason.length <= 1024 && !ANY_CONTROL.test(t.reason), () => `reason not cleaned: ${show(t.reason)}`);
  ensure(KINDS.includes(t.kind), () => `kind ${show(t.kind)}`);
  ensure(t.delivery === delivery, () => `delivery ${show(t.delivery)}, input shape ${show(delivery)}`);
  ensure(t.alarmRegion === undefined || /^[a-z]{2}(?:-[a-z]+)+-\d+$/.test(t.alarmRegion), () => `alarmRegion ${show(t.alarmRegion)}`);
  for (const field of ['alarmArn', 'accountId'] as const) {
    const value = t[field];
    ensure(value === undefined || (typeof value === 'string' && !ASCII_CONTROL.test(value)), () => `${field} ${show(value)}`);
  }
  if (t.metric?.dimensions !== undefined) {
    const dimensions = t.metric.dimensions;
    ensure(Object.getPrototypeOf(dimensions) === Object.prototype, 'metric.dimensions has a foreign prototype');
    ensure(Object.values(dimensions).every((value) => typeof value === 'string'), () => `metric.dimensions ${show(dimensions)}`);
  }
  if (t.actionsSuppressed !== undefined) {
    ensure(['actions-suppressor', 'mute-rule'].includes(t.actionsSuppressed.cause) && typeof t.actionsSuppressed.detail === 'string', () => `actionsSuppressed ${show(t.actionsSuppressed)}`);
  }
  ensure(JSON.stringify(t) !== undefined, 'a transition is not serialisable');
}

/** The property for any input: well-formed transitions, or InputValidationError naming fields that exist. */
function ensureContract(event: unknown): void {
  const outcome = outcomeOf(() => parseAlarmEvent(event), InputValidationError);
  if (outcome.ok) {
    const transitions = outcome.value;
    ensure(Array.isArray(transitions) && transitions.length > 0, () => `not a non-empty array of transitions: ${show(transitions)}`);
    const records = (event as { Records?: unknown[] }).Records;
    if (deliveryOf(event) === 'sns') ensure(transitions.length === records?.length, 'one transition per SNS record');
    for (const transition of transitions) ensureWellFormed(transition, deliveryOf(event));
    return;
  }
  ensureNamedIssues(outcome.error.issues, (path) => printablePath(path) && pathPointsInto(event, path));
  // describe() keeps big values out of messages; a message never carries a 100 KB string.
  for (const issue of outcome.error.issues) ensure(issue.message.length <= 2_000, () => `a ${issue.message.length}-character message at ${show(issue.path)}`);
}

// ---- Timestamps: every accepted spelling, and the edges of the calendar -------------------------

const pad = (n: number, width: number) => String(Math.abs(n)).padStart(width, '0');

/** ISO-8601-ish times with edge years, impossible dates, offsets in every spelling, 0-10 fraction digits. */
const edgyTimestamp = fc
  .record({
    year: fc.oneof(fc.constantFrom(0, 1, 99, 100, 1969, 1970, 2019, 2038, 9998, 9999), fc.integer({ min: 0, max: 9999 })),
    month: fc.oneof(fc.integer({ min: 1, max: 12 }), fc.constantFrom(0, 13)),
    day: fc.oneof(fc.integer({ min: 1, max: 28 }), fc.constantFrom(0, 29, 30, 31, 32)),
    hour: fc.oneof(fc.integer({ min: 0, max: 23 }), fc.constantFrom(24, 99)),
    minute: fc.oneof(fc.integer({ min: 0, max: 59 }), fc.constant(60)),
    second: fc.oneof(fc.integer({ min: 0, max: 59 }), fc.constantFrom(60, 61)),
    fraction: fc.string({ unit: fc.constantFrom('0', '1', '5', '9'), maxLength: 10 }),
    zone: fc.oneof(
      fc.constant('Z'),
      fc.tuple(fc.constantFrom('+', '-'), fc.integer({ min: 0, max: 15 }), fc.integer({ min: 0, max: 60 }), fc.boolean()).map(([sign, h, m, colon]) => `${sign}${pad(h, 2)}${colon ? ':' : ''}${pad(m, 2)}`),
    ),
  })
  .map(({ year, month, day, hour, minute, second, fraction, zone }) => `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}${fraction ? `.${fraction}` : ''}${zone}`);

/** Replaces the state-change time wherever the delivery keeps it. */
function withTime(event: JsonObject, time: string): JsonObject {
  if (event.detail) event.detail.state.timestamp = time;
  else if (event.alarmData) event.alarmData.state.timestamp = time;
  else for (const record of event.Records as JsonObject[]) (record.Sns.Message as EmbeddedJson).value = { ...((record.Sns.Message as EmbeddedJson).value as JsonObject), StateChangeTime: time };
  return event;
}

function sealed(event: JsonObject): JsonObject {
  for (const record of (event.Records ?? []) as JsonObject[]) {
    if (record.Sns.Message instanceof EmbeddedJson) record.Sns.Message = safeJson(record.Sns.Message.value);
  }
  return event;
}

/** The same instant in one of the spellings CloudWatch and EventBridge use, or any other legal offset. */
const equivalentSpelling = fc
  .record({
    instant: fc.integer({ min: Date.UTC(1970, 0, 1), max: Date.UTC(9000, 0, 1) }),
    offsetMinutes: fc.integer({ min: -14 * 60, max: 14 * 60 }),
    colon: fc.boolean(),
    extraDigits: fc.string({ unit: fc.constantFrom('0', '3', '9'), maxLength: 6 }),
  })
  .map(({ instant, offsetMinutes, colon, extraDigits }) => {
    const local = new Date(instant + offsetMinutes * 60_000).toISOString().slice(0, 23); // YYYY-MM-DDTHH:MM:SS.mmm
    const zone = offsetMinutes === 0 && !colon ? 'Z' : `${offsetMinutes < 0 ? '-' : '+'}${pad(Math.trunc(Math.abs(offsetMinutes) / 60), 2)}${colon ? ':' : ''}${pad(Math.abs(offsetMinutes) % 60, 2)}`;
    return { spelling: `${local}${extraDigits}${zone}`, expected: new Date(instant).toISOString() };
  });

const PARSED_FIXTURES = new Map(FILES.map((file) => [file, JSON.stringify(parseAlarmEvent(alarmFixture(file)))]));
const config = parseConfig(readFileSync('lifeboat.config.yaml', 'utf8'));
const NOW = new Date('2026-01-01T00:00:00Z');

/** An EventBridge event of the example's payments alarm going OK → ALARM at `time`. */
function configuredAlarmEvent(time: string): JsonObject {
  const event = alarmFixture('eventbridge-metric.json');
  event.region = 'us-east-1';
  delete event.resources;
  Object.assign(event.detail, { alarmName: 'payments-use1-api-5xx', previousState: { value: 'OK' } });
  Object.assign(event.detail.state, { value: 'ALARM', timestamp: time });
  return event;
}

/** Values behind each shape's distinctive key, so arbitrary input gets past the shape check too. */
const anyShapedEvent = fc.oneof(
  fc.record({ Records: anyValue }),
  fc.record({ Records: fc.array(fc.record({ EventSource: fc.oneof(fc.constant('aws:sns'), anyValue), Sns: fc.oneof(fc.record({ Message: fc.oneof(hostileString, fc.jsonValue().map((v) => JSON.stringify(v))) }), anyValue) }, { requiredKeys: [] }), { maxLength: 3 }) }),
  fc.record({ source: fc.oneof(fc.constant('aws.cloudwatch'), anyValue), 'detail-type': fc.oneof(fc.constant('CloudWatch Alarm State Change'), anyValue), detail: anyValue }, { requiredKeys: [] }),
  fc.record({ source: fc.oneof(fc.constant('aws.cloudwatch'), anyValue), alarmData: anyValue }),
);

describe('parseAlarmEvent under hostile input', () => {
  let checkPrototypes: () => void;
  beforeAll(() => {
    checkPrototypes = prototypeSnapshot();
  });
  afterAll(() => checkPrototypes());

  it('answers any value at all with transitions or InputValidationError naming fields', () => {
    fc.assert(fc.property(fc.oneof(anyValue, anyShapedEvent), (event) => ensureContract(event)), seeded(0x5eed_a001));
  });

  it('answers mutations of every published sample (dropped keys, wrong types, oversized, injected) the same way', () => {
    const damaged = fc.tuple(fc.constantFrom(...FILES), mutations()).map(([file, changes]) => mutate(() => fixtureDocument(file), changes));
    fc.assert(fc.property(damaged, (event) => ensureContract(event)), seeded(0x5eed_a002));
  });

  it('answers every timestamp spelling, real or impossible, with a canonical UTC time or a named error', () => {
    const events = fc.tuple(fc.constantFrom(...FILES), edgyTimestamp).map(([file, time]) => sealed(withTime(fixtureDocument(file), time)));
    fc.assert(fc.property(events, (event) => ensureContract(event)), seeded(0x5eed_a003));
  });
});

/** Replaces every metric's dimensions: a map of keys for EventBridge and alarm actions, a list of pairs for SNS. */
function withDimensions(event: JsonObject, dimensions: Record<string, unknown>): JsonObject {
  const detail = (event.detail ?? event.alarmData) as JsonObject | undefined;
  for (const query of (detail?.configuration?.metrics ?? []) as JsonObject[]) {
    if (query.metricStat?.metric) query.metricStat.metric.dimensions = dimensions;
  }
  for (const record of (event.Records ?? []) as JsonObject[]) {
    const message = (record.Sns.Message as EmbeddedJson).value as JsonObject;
    if (message.Trigger) message.Trigger.Dimensions = Object.entries(dimensions).map(([name, value]) => ({ name, value }));
  }
  return event;
}

describe('parseAlarmEvent with hostile metric dimensions (the one free-form map in an alarm event)', () => {
  // 3,000 runs: random mutations rarely reach this map, so it gets its own property.
  it('answers hostile dimension names and values with transitions or InputValidationError naming fields', () => {
    const events = fc
      .tuple(fc.constantFrom(...FILES), fc.dictionary(hostileKey, fc.oneof(hostileString, hostileValue), { maxKeys: 4 }))
      .map(([file, dimensions]) => sealed(withDimensions(fixtureDocument(file), dimensions)));
    fc.assert(fc.property(events, (event) => ensureContract(event)), seeded(0x5eed_a008, 3_000));
  });
});

describe('parseAlarmEvent still reads valid events', () => {
  it('reads every spelling of the same instant as the same stateChangeTime (so execution names agree)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...FILES), equivalentSpelling, (file, { spelling, expected }) => {
        const transitions = parseAlarmEvent(sealed(withTime(fixtureDocument(file), spelling)));
        ensure(transitions.every((t) => t.stateChangeTime === expected), () => `${spelling} → ${show(transitions.map((t) => t.stateChangeTime))}, expected ${expected}`);
      }),
      seeded(0x5eed_a004, VALID_RUNS),
    );
  });

  it('keeps any genuine alarm name (1-255 characters, no control characters) and cleans any reason', () => {
    const name = fc.string({ unit: 'binary', minLength: 1, maxLength: 255 }).filter((text) => !ASCII_CONTROL.test(text));
    // Any reason, but short enough for the SNS message to stay under SNS's 256 KB.
    const reasonText = fc.oneof(hostileString.filter((text) => text.length <= 20_000), fc.string({ unit: 'binary', maxLength: 2_000 }));
    fc.assert(
      fc.property(fc.constantFrom(...FILES), name, reasonText, fc.constantFrom(...STATES), (file, alarmName, reason, state) => {
        const event = fixtureDocument(file);
        const detail = (event.detail ?? event.alarmData) as JsonObject | undefined;
        if (detail) Object.assign(detail, { alarmName, state: { ...detail.state, reason, value: state } });
        for (const record of (event.Records ?? []) as JsonObject[]) {
          const message = record.Sns.Message as EmbeddedJson;
          record.Sns.Message = new EmbeddedJson({ ...(message.value as JsonObject), AlarmName: alarmName, NewStateReason: reason, NewStateValue: state });
        }
        const transitions = parseAlarmEvent(sealed(event));
        for (const transition of transitions) {
          ensure(transition.alarmName === alarmName && transition.state === state, () => `read ${show(transition)}`);
          ensureWellFormed(transition, deliveryOf(event));
        }
      }),
      seeded(0x5eed_a005, VALID_RUNS),
    );
  });

  it('ignores unknown extra fields on the envelope and the alarm description', () => {
    const extra = fc.tuple(fc.string({ maxLength: 12 }).map((key) => `x-${key}`), fc.jsonValue({ maxDepth: 2 }));
    fc.assert(
      fc.property(fc.constantFrom(...FILES), fc.array(extra, { maxLength: 4 }), fc.array(extra, { maxLength: 4 }), (file, top, inner) => {
        const expected = PARSED_FIXTURES.get(file);
        const event = fixtureDocument(file);
        for (const [key, value] of top) event[key] = value;
        const detail = (event.detail ?? event.alarmData ?? (event.Records[0].Sns.Message as EmbeddedJson).value) as JsonObject;
        for (const [key, value] of inner) detail[key] = value;
        const actual = parseAlarmEvent(sealed(event));
        ensure(JSON.stringify(actual) === expected, () => `changed to ${show(actual)}`);
      }),
      seeded(0x5eed_a006, VALID_RUNS),
    );
  });

  it('turns a configured alarm going into ALARM at any accepted time into a request the steps accept', () => {
    const index = indexAlarms(config);
    fc.assert(
      fc.property(edgyTimestamp, (time) => {
        const outcome = outcomeOf(() => parseAlarmEvent(configuredAlarmEvent(time)), InputValidationError);
        if (!outcome.ok) return;
        const [transition] = outcome.value;
        const decision = decideOnAlarm(index, transition!, NOW);
        ensure(decision.action === 'start', () => `ignored: ${show(decision)}`);
        const accepted = outcomeOf(() => parseFailoverRequest(decision.request), InputValidationError);
        ensure(accepted.ok, () => `the steps refuse the request: ${show(accepted.ok ? undefined : accepted.error.issues)}`);
      }),
      seeded(0x5eed_a007, VALID_RUNS),
    );
  });
});

describe('known bugs found by fuzzing (fix the code, then turn these into `it`)', () => {
  it.each([
    ['a newline (it would forge a line of its own in the error message)', 'x\n(root): forged issue'],
    ['5,000 characters (the error message would grow by as much)', 'k'.repeat(5_000)],
  ])('fixed: a dimension name with %s is quoted, escaped and cut in the issue path', (_what, name) => {
    const event = alarmFixture('eventbridge-metric.json');
    event.detail.configuration.metrics[0].metricStat.metric.dimensions = { [name]: 'value' };
    const outcome = outcomeOf(() => parseAlarmEvent(event), InputValidationError);
    ensure(!outcome.ok, 'the event was accepted');
    for (const issue of outcome.error.issues) ensure(printablePath(issue.path), `issue path ${show(issue.path)}`);
  });

  it('fixed: refuses a time past year 9999 in UTC (9999-12-31T23:59:59-01:00), naming the field, rather than build an execution name Step Functions refuses', () => {
    const outcome = outcomeOf(() => parseAlarmEvent(configuredAlarmEvent('9999-12-31T23:59:59-01:00')), InputValidationError);
    ensure(!outcome.ok, 'the event was accepted');
    ensure(outcome.error.issues.some((issue) => issue.path === 'detail.state.timestamp'), `issues ${show(outcome.error.issues)}`);
  });
});
