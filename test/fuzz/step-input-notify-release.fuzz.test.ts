/**
 * Hostile step input for Notify and ReleaseLock: `parseNotifyInput` and `parseReleaseInput` return
 * a valid input or throw InputValidationError naming the field.
 */
import { describe, it } from '@jest/globals';
import fc from 'fast-check';
import { InputValidationError } from '../../src/domain/errors.js';
import { parseNotifyInput, parseReleaseInput } from '../../src/runtime/step-inputs.js';
import { ensure, outcomeOf, printablePath, seeded, show } from './support/fuzz.js';
import { asDelivered, paymentsRequest } from './support/requests.js';
import { describeStepParser, ensureContract, hostileSnapshotMaps, stepParser } from './support/step-parsers.js';

describeStepParser(stepParser('parseNotifyInput'));
describeStepParser(stepParser('parseReleaseInput'));

// Random mutations rarely reach these maps, so they get their own property (3,000 runs).
describe('parseNotifyInput with hostile maps (the free-form maps of a snapshot)', () => {
  it('answers hostile keys and values in shift.before/after and compensation.weights with InputValidationError naming fields', () => {
    fc.assert(fc.property(hostileSnapshotMaps, (input) => ensureContract(stepParser('parseNotifyInput'), input)), seeded(0x57e9_0200, 3_000));
  });
});

const pathsOf = (act: () => unknown): string[] => {
  const outcome = outcomeOf(act, InputValidationError);
  return outcome.ok ? [] : outcome.error.issues.map((issue) => issue.path);
};
const badRequest = () => ({ ...asDelivered(paymentsRequest()), incidentId: '' });

describe('bugs found by fuzzing, fixed', () => {
  it.each<[string, string, () => unknown]>([
    ['parseReleaseInput', 'request.incidentId', () => parseReleaseInput({ request: badRequest(), outcome: 'failed' })],
    ['parseNotifyInput', 'snapshot.incidentId', () => parseNotifyInput({ event: 'failed', snapshot: badRequest() })],
    ['parseNotifyInput', 'snapshot.shift.before', () => parseNotifyInput({ event: 'failed', snapshot: { ...asDelivered(paymentsRequest()), shift: { changeId: null, before: 1, after: {} } } })],
  ])('fixed: %s names a field of the nested request with its prefix (%s)', (_name, expected, act) => {
    const paths = pathsOf(act);
    ensure(paths.includes(expected), `issue paths ${show(paths)}, expected ${expected}`);
  });

  it('fixed: parseNotifyInput quotes and escapes a hostile key of shift.before in the issue path (a newline cannot forge a line)', () => {
    const snapshot = { ...asDelivered(paymentsRequest()), shift: { changeId: null, before: { 'x\n(root): forged issue': 'not a number' }, after: {} } };
    const paths = pathsOf(() => parseNotifyInput({ event: 'failed', snapshot }));
    ensure(paths.length > 0 && paths.every(printablePath), `issue paths ${show(paths)}`);
  });
});
