import { stepHandler } from '../src/runtime/step-handler.js';
import { parseTrafficSyncInput } from '../src/runtime/step-inputs.js';
import { awaitTrafficSync } from '../src/steps/shift-traffic.js';

export const handler = stepHandler('AwaitTrafficSync', parseTrafficSyncInput, (deps, input) => awaitTrafficSync(deps, input.request, input.changeId));
