import { parseFailoverRequest } from '../src/domain/failover-request.js';
import { stepLambda } from '../src/runtime/step-lambda.js';
import { cloudWatchAlarms, cloudWatchHealthChecks } from '../src/runtime/wiring/cloudwatch.js';
import { verifyFromEvacuation } from '../src/steps/evacuation-app.js';

/**
 * Evacuation: the single-app verification, with the target's health and alarms from the
 * evacuation's bulk read (AwaitSyncAll), or live from CloudWatch where that read does not do.
 */
export const handler = stepLambda('Verify', { healthChecks: cloudWatchHealthChecks, alarms: cloudWatchAlarms }, parseFailoverRequest, verifyFromEvacuation);
