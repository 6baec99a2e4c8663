import { parseFailoverRequest } from '../src/domain/failover-request.js';
import { stepLambda } from '../src/runtime/step-lambda.js';
import { eksKubernetes } from '../src/runtime/wiring/kubernetes.js';
import { scaleDeployments } from '../src/steps/scale-deployments.js';

export const handler = stepLambda('ScaleDeployments', { kube: eksKubernetes }, parseFailoverRequest, scaleDeployments);
