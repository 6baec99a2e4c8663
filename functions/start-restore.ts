import { parseRestoreInput } from '../src/runtime/step-inputs.js';
import { stepLambda } from '../src/runtime/step-lambda.js';
import { eksKubernetes } from '../src/runtime/wiring/kubernetes.js';
import { startRestore } from '../src/steps/restore-state.js';

export const handler = stepLambda('StartRestore', { kube: eksKubernetes }, parseRestoreInput, (deps, input) => startRestore(deps, input.request, input.backupName));
