import { parseEvacuationState } from '../src/domain/evacuation.js';
import { stepLambda } from '../src/runtime/step-lambda.js';
import { cloudWatchHealthChecks } from '../src/runtime/wiring/cloudwatch.js';
import { evacuationConfig, route53RequestsPerSecond } from '../src/runtime/wiring/evacuation.js';
import { route53Dns } from '../src/runtime/wiring/route53.js';
import { snapshotEvacuation } from '../src/steps/evacuation-snapshot.js';

/** Evacuation: one Route 53 read per hosted zone and bulk target health, instead of two requests per app. */
export const handler = stepLambda('EvacuationSnapshot', { dns: route53Dns, healthChecks: route53Dns }, parseEvacuationState, (deps, state) =>
  snapshotEvacuation({ ...deps, config: evacuationConfig(), healthMetrics: cloudWatchHealthChecks(), route53RequestsPerSecond: route53RequestsPerSecond() }, state),
);
