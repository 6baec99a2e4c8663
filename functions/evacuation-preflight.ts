import { parseFailoverRequest } from '../src/domain/failover-request.js';
import { stepLambda } from '../src/runtime/step-lambda.js';
import { eksClusters } from '../src/runtime/wiring/eks.js';
import { eksKubernetes } from '../src/runtime/wiring/kubernetes.js';
import { route53Dns } from '../src/runtime/wiring/route53.js';
import { parseSnapshotPreflightInput, preflightFromSnapshot } from '../src/steps/evacuation-app.js';

/** Evacuation: the single-app preflight, with Route 53 read from the evacuation's snapshot. */
export const handler = stepLambda(
  'Preflight',
  { healthChecks: route53Dns, eks: eksClusters, kube: eksKubernetes },
  (event) => ({ request: parseFailoverRequest(event), snapshot: parseSnapshotPreflightInput(event).snapshot }),
  (deps, input) => preflightFromSnapshot(deps, input.request, input.snapshot),
);
