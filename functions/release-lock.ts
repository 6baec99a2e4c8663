import { stepHandler } from '../src/runtime/step-handler.js';
import { parseReleaseInput } from '../src/runtime/step-inputs.js';
import { releaseLock } from '../src/steps/lock.js';

export const handler = stepHandler('ReleaseLock', parseReleaseInput, (deps, input) => releaseLock(deps, input.request, input.outcome));
