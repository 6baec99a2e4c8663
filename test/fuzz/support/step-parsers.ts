/** The step parsers, their valid inputs, and the contract every one of them keeps under hostile input. */
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import fc from 'fast-check';
import { InputValidationError, type FieldIssue } from '../../../src/domain/errors.js';
import { parseFailoverRequest, type FailoverRequest } from '../../../src/domain/failover-request.js';
import { parseNotifyInput, parseReleaseInput, parseRestoreInput, parseTrafficSyncInput } from '../../../src/runtime/step-inputs.js';
import { ensure, ensureNamedIssues, outcomeOf, pathPointsInto, printablePath, prototypeSnapshot, seeded, show } from './fuzz.js';
import { anyValue, hostileKey, hostileValue, mutate, mutations } from './hostile.js';
import { asDelivered, paymentsRequest, validRequest } from './requests.js';

const REQUEST_KEYS = ['incidentId', 'executionName', 'mode', 'app', 'trigger', 'requestedAt', 'from', 'to', 'alternatives', 'policy', 'slack', 'route53'];
const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;
const firstSegment = (path: string) => /^[^.[]*/.exec(path)![0];

export interface StepParser {
  name: string;
  parse: (input: unknown) => unknown;
  /** The envelope's own keys; `undefined` for the plain request. */
  keys?: readonly string[];
  /** The envelope key holding the request (`snapshot` for Notify). */
  nested?: string;
  /** A valid input around `request`, with `pick` choosing among the valid envelope values. */
  valid: (request: FailoverRequest, pick: number) => Record<string, unknown>;
  /** The request inside the parsed result. */
  requestOf: (result: never) => FailoverRequest;
}

const PARSERS: StepParser[] = [
  { name: 'parseFailoverRequest', parse: parseFailoverRequest, valid: (request) => request, requestOf: (result: FailoverRequest) => result },
  {
    name: 'parseRestoreInput',
    parse: parseRestoreInput,
    keys: ['request', 'backupName'],
    nested: 'request',
    valid: (request, pick) => ({ request, backupName: ['payments-hourly-20260101000000', 'b', 'x'.repeat(253)][pick % 3] }),
    requestOf: (result: { request: FailoverRequest }) => result.request,
  },
  {
    name: 'parseTrafficSyncInput',
    parse: parseTrafficSyncInput,
    keys: ['request', 'changeId'],
    nested: 'request',
    valid: (request, pick) => ({ request, changeId: ['/change/C0123456789ABCDEFGHIJ', null, 'c'.repeat(64)][pick % 3] }),
    requestOf: (result: { request: FailoverRequest }) => result.request,
  },
  {
    name: 'parseNotifyInput',
    parse: parseNotifyInput,
    keys: ['event', 'snapshot'],
    nested: 'snapshot',
    valid: (request, pick) => ({
      event: ['started', 'succeeded', 'failed'][pick % 3],
      snapshot: {
        ...request,
        ...(pick % 2 ? { preflight: { backup: { name: 'payments-hourly-20260101000000', ageMinutes: 12 } } } : {}),
        ...(pick % 4 > 1 ? { shift: { changeId: null, before: { a: 100, b: 0 }, after: { a: 0, b: 100 } } } : {}),
        ...(pick % 8 > 3 ? { error: { Error: 'PreflightRefusedError', Cause: '{"errorMessage":"stale backup"}' } } : {}),
        ...(pick % 16 > 7 ? { compensation: { compensated: true, weights: null } } : {}),
      },
    }),
    requestOf: (result: { snapshot: FailoverRequest }) => result.snapshot,
  },
  {
    name: 'parseReleaseInput',
    parse: parseReleaseInput,
    keys: ['request', 'outcome'],
    nested: 'request',
    valid: (request, pick) => ({ request: { ...request, ...(pick % 2 ? { shift: { changeId: 'C1' }, compensation: { compensated: pick % 4 > 1 } } : {}) }, outcome: ['succeeded', 'failed'][pick % 2] }),
    requestOf: (result: { request: FailoverRequest }) => result.request,
  },
];


/** A path names a field of this input: its first segment is one of the input's keys, and it leads into the input. */
function namesAField(parser: StepParser, input: unknown, path: string, issue: FieldIssue): boolean {
  if (!printablePath(path)) return false;
  const isObject = typeof input === 'object' && input !== null && !Array.isArray(input);
  if (path === '') return !isObject || /unrecognized key/i.test(issue.message);
  const keys = parser.keys ?? REQUEST_KEYS;
  return keys.includes(firstSegment(path)) && pathPointsInto(input, path);
}

function ensureRequest(request: FailoverRequest): void {
  ensure(EXECUTION_NAME.test(request.executionName) && EXECUTION_NAME.test(request.incidentId), () => `names ${show([request.executionName, request.incidentId])}`);
  ensure(request.from.name !== request.to.name, 'from equals to');
  ensure(['failover', 'drill'].includes(request.mode), 'mode');
  ensure(!Number.isNaN(Date.parse(request.requestedAt)), () => `requestedAt ${show(request.requestedAt)}`);
}

export function ensureContract(parser: StepParser, input: unknown): void {
  const outcome = outcomeOf(() => parser.parse(input), InputValidationError);
  if (outcome.ok) {
    ensureRequest(parser.requestOf(outcome.value as never));
    return;
  }
  ensureNamedIssues(outcome.error.issues, (path, issue) => namesAField(parser, input, path, issue));
}

/** Inputs with the envelope's own keys, each holding anything at all (so the nested parse is reached too). */
function keyedInput(parser: StepParser): fc.Arbitrary<unknown> {
  const keys = parser.keys ?? REQUEST_KEYS;
  const model = parser.valid(paymentsRequest(), 0);
  return fc.record(Object.fromEntries(keys.map((key) => [key, fc.oneof(fc.constant(model[key]), anyValue)])), { requiredKeys: [] });
}

/** Notify's snapshot with hostile maps where the schema has maps (`shift.before/after`, `compensation.weights`). */
export const hostileSnapshotMaps = fc
  .tuple(fc.dictionary(hostileKey, hostileValue, { maxKeys: 3 }), fc.dictionary(hostileKey, fc.oneof(fc.integer(), hostileValue), { maxKeys: 3 }), fc.nat())
  .map(([before, weights, pick]) => ({
    event: 'failed',
    snapshot: { ...asDelivered(paymentsRequest()), shift: { changeId: null, before, after: pick % 2 ? before : { a: 1 } }, compensation: { compensated: true, weights } },
  }));

/** Values a producer might plausibly get wrong: other enum members, near-miss names, plus anything hostile. */
const plausible = fc.oneof(
  fc.constantFrom<unknown>('failover', 'drill', 'manual', 'alarm', 'started', 'succeeded', 'failed', 'us-east-1', 'us-west-2', 'payments', '2026-01-01T00:00:00Z', '2026-13-01T00:00:00Z', null, 0),
  hostileValue,
);

/** Equal as JSON, whatever the key order. */
function sameJson(a: unknown, b: unknown): boolean {
  const canonical = (value: unknown): unknown =>
    Array.isArray(value) ? value.map(canonical) : typeof value === 'object' && value !== null ? Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])])) : value;
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

/** The hostile and the valid-input properties of one step parser, as a `describe` block. */
export function describeStepParser(parser: StepParser): void {
  describe(`${parser.name} under hostile input`, () => {
    let checkPrototypes: () => void;
    beforeAll(() => {
      checkPrototypes = prototypeSnapshot();
    });
    afterAll(() => checkPrototypes());

    // 10,000 runs per parser, split between arbitrary values, keyed envelopes and mutations of a valid input.
    it('answers anything, and mutations of a valid input, with a valid input or InputValidationError naming the field', () => {
      const base = asDelivered(parser.valid(paymentsRequest(), 0));
      const inputs = fc.oneof(
        { arbitrary: anyValue, weight: 1 },
        { arbitrary: keyedInput(parser), weight: 1 },
        { arbitrary: mutations(plausible).map((changes) => mutate(() => asDelivered(base), changes)), weight: 3 },
      );
      fc.assert(fc.property(inputs, (input) => ensureContract(parser, input)), seeded(0x57e9_0000 + PARSERS.indexOf(parser)));
    });

    // 500 runs per parser: valid inputs are built from whole requests.
    it('accepts any valid input, handing the request on unchanged', () => {
      fc.assert(
        fc.property(validRequest, fc.nat(), (request, pick) => {
          const input = asDelivered(parser.valid(request, pick));
          const result = outcomeOf(() => parser.parse(input), InputValidationError);
          ensure(result.ok, () => `refused: ${show(result.ok ? undefined : result.error.issues)}`);
          const handed = parser.requestOf(result.value as never) as Record<string, unknown>;
          const picked = Object.fromEntries(REQUEST_KEYS.map((key) => [key, handed[key]]));
          ensure(sameJson(picked, request), () => `changed the request: ${show(picked)}`);
        }),
        seeded(0x57e9_0100 + PARSERS.indexOf(parser), 500),
      );
    });
  });
}

/** One of the step parsers, by its function name. */
export const stepParser = (name: string): StepParser => PARSERS.find((candidate) => candidate.name === name)!;
