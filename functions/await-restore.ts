import { parseFailoverRequest } from '../src/domain/failover-request.js';
import { stepLambda } from '../src/runtime/step-lambda.js';
import { eksKubernetes } from '../src/runtime/wiring/kubernetes.js';
import { awaitRestore } from '../src/steps/restore-state.js';

export const handler = stepLambda('AwaitRestore', { kube: eksKubernetes }, parseFailoverRequest, awaitRestore);
