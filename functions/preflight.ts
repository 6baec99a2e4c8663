import { parseFailoverRequest } from '../src/domain/failover-request.js';
import { stepLambda } from '../src/runtime/step-lambda.js';
import { eksClusters } from '../src/runtime/wiring/eks.js';
import { eksKubernetes } from '../src/runtime/wiring/kubernetes.js';
import { route53Dns } from '../src/runtime/wiring/route53.js';
import { preflight } from '../src/steps/preflight.js';

export const handler = stepLambda('Preflight', { dns: route53Dns, healthChecks: route53Dns, eks: eksClusters, kube: eksKubernetes }, parseFailoverRequest, preflight);
