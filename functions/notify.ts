import { stepHandler } from '../src/runtime/step-handler.js';
import { parseNotifyInput } from '../src/runtime/step-inputs.js';
import { notify } from '../src/steps/notify.js';

export const handler = stepHandler('Notify', parseNotifyInput, (deps, input) => notify(deps, input.event, input.snapshot));
