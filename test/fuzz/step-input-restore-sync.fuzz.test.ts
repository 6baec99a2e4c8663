/**
 * Hostile step input for StartRestore and AwaitTrafficSync: `parseRestoreInput` and
 * `parseTrafficSyncInput` return a valid input or throw InputValidationError naming the field.
 */
import { describe, it } from '@jest/globals';
import { InputValidationError } from '../../src/domain/errors.js';
import { parseRestoreInput, parseTrafficSyncInput } from '../../src/runtime/step-inputs.js';
import { ensure, outcomeOf, show } from './support/fuzz.js';
import { asDelivered, paymentsRequest } from './support/requests.js';
import { describeStepParser, stepParser } from './support/step-parsers.js';

describeStepParser(stepParser('parseRestoreInput'));
describeStepParser(stepParser('parseTrafficSyncInput'));

const pathsOf = (act: () => unknown): string[] => {
  const outcome = outcomeOf(act, InputValidationError);
  return outcome.ok ? [] : outcome.error.issues.map((issue) => issue.path);
};
const badRequest = () => ({ ...asDelivered(paymentsRequest()), incidentId: '' });

describe('bugs found by fuzzing, fixed', () => {
  it.each<[string, string, () => unknown]>([
    ['parseRestoreInput', 'request.incidentId', () => parseRestoreInput({ request: badRequest(), backupName: 'b' })],
    ['parseRestoreInput', 'request', () => parseRestoreInput({ request: 'not a request', backupName: 'b' })],
    ['parseTrafficSyncInput', 'request.incidentId', () => parseTrafficSyncInput({ request: badRequest(), changeId: null })],
  ])('fixed: %s names a field of the nested request with its prefix (%s)', (_name, expected, act) => {
    const paths = pathsOf(act);
    ensure(paths.includes(expected), `issue paths ${show(paths)}, expected ${expected}`);
  });
});
