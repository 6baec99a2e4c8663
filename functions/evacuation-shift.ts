import { parseEvacuationState } from '../src/domain/evacuation.js';
import { stepLambda } from '../src/runtime/step-lambda.js';
import { cloudWatchHealthChecks } from '../src/runtime/wiring/cloudwatch.js';
import { evacuationConfig, route53RequestsPerSecond } from '../src/runtime/wiring/evacuation.js';
import { route53Dns } from '../src/runtime/wiring/route53.js';
import { shiftEvacuation } from '../src/steps/evacuation-shift.js';

/** Evacuation: every prepared app's weights, batched per hosted zone, within Route 53's request rate. */
export const handler = stepLambda('ShiftAll', { dns: route53Dns, healthChecks: route53Dns }, parseEvacuationState, (deps, state) =>
  shiftEvacuation({ ...deps, config: evacuationConfig(), healthMetrics: cloudWatchHealthChecks(), route53RequestsPerSecond: route53RequestsPerSecond() }, state),
);
