import { parseFailoverRequest } from '../src/domain/failover-request.js';
import { stepLambda } from '../src/runtime/step-lambda.js';
import { cloudWatchAlarms } from '../src/runtime/wiring/cloudwatch.js';
import { route53Dns } from '../src/runtime/wiring/route53.js';
import { verify } from '../src/steps/verify.js';

export const handler = stepLambda('Verify', { healthChecks: route53Dns, alarms: cloudWatchAlarms }, parseFailoverRequest, verify);
