import { stepLambda } from '../src/runtime/step-lambda.js';
import { cloudWatchAlarms, cloudWatchHealthChecks } from '../src/runtime/wiring/cloudwatch.js';
import { parseEvacuationVerifyInput, verifyFromEvacuation } from '../src/steps/evacuation-app.js';

/**
 * Evacuation: the single-app verification, with the target's health from the evacuation's bulk read
 * (or, when that did not find it healthy, from CloudWatch instead of one Route 53 request per app).
 */
export const handler = stepLambda('Verify', { healthChecks: cloudWatchHealthChecks, alarms: cloudWatchAlarms }, parseEvacuationVerifyInput, (deps, input) =>
  verifyFromEvacuation(deps, input.request, input.targetHealth),
);
