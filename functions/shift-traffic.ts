import { parseFailoverRequest } from '../src/domain/failover-request.js';
import { stepLambda } from '../src/runtime/step-lambda.js';
import { route53Dns } from '../src/runtime/wiring/route53.js';
import { shiftTraffic } from '../src/steps/shift-traffic.js';

export const handler = stepLambda('ShiftTraffic', { dns: route53Dns, healthChecks: route53Dns, gates: route53Dns }, parseFailoverRequest, shiftTraffic);
