import { parseFailoverRequest } from '../src/domain/failover-request.js';
import { stepLambda } from '../src/runtime/step-lambda.js';
import { cloudWatchAlarms, cloudWatchHealthChecks } from '../src/runtime/wiring/cloudwatch.js';
import { verify } from '../src/steps/verify.js';

/** Evacuation: the single-app verification, with the target's health from CloudWatch instead of one Route 53 request per app. */
export const handler = stepLambda('Verify', { healthChecks: cloudWatchHealthChecks, alarms: cloudWatchAlarms }, parseFailoverRequest, verify);
