import { parseTrafficSyncInput } from '../src/runtime/step-inputs.js';
import { stepLambda } from '../src/runtime/step-lambda.js';
import { route53Dns } from '../src/runtime/wiring/route53.js';
import { awaitTrafficSync } from '../src/steps/shift-traffic.js';

export const handler = stepLambda('AwaitTrafficSync', { dns: route53Dns, healthChecks: route53Dns }, parseTrafficSyncInput, (deps, input) => awaitTrafficSync(deps, input.request, input.changeId));
