import { stepHandler } from '../src/runtime/step-handler.js';
import { parseRestoreInput } from '../src/runtime/step-inputs.js';
import { startRestore } from '../src/steps/restore-state.js';

export const handler = stepHandler('StartRestore', parseRestoreInput, (deps, input) => startRestore(deps, input.request, input.backupName));
