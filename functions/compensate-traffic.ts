import { parseFailoverRequest } from '../src/domain/failover-request.js';
import { stepLambda } from '../src/runtime/step-lambda.js';
import { route53Dns } from '../src/runtime/wiring/route53.js';
import { compensateTraffic } from '../src/steps/compensate.js';

export const handler = stepLambda('CompensateTraffic', { dns: route53Dns, healthChecks: route53Dns }, parseFailoverRequest, compensateTraffic);
