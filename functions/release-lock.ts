import { parseReleaseInput } from '../src/runtime/step-inputs.js';
import { stepLambda } from '../src/runtime/step-lambda.js';
import { releaseLock } from '../src/steps/lock.js';

export const handler = stepLambda('ReleaseLock', {}, parseReleaseInput, (deps, input) => releaseLock(deps, input.request, input.outcome));
