import { parseEvacuationState } from '../src/domain/evacuation.js';
import { stepLambda } from '../src/runtime/step-lambda.js';
import { cloudWatchAlarms, cloudWatchHealthChecks } from '../src/runtime/wiring/cloudwatch.js';
import { evacuationConfig, route53RequestsPerSecond } from '../src/runtime/wiring/evacuation.js';
import { route53Dns } from '../src/runtime/wiring/route53.js';
import { awaitEvacuationSync } from '../src/steps/evacuation-sync.js';

/** Evacuation: one GetChange per batch until every change is INSYNC; then what every moved app's target looks like, read at once. */
export const handler = stepLambda('AwaitSyncAll', { dns: route53Dns, healthChecks: route53Dns, alarms: cloudWatchAlarms }, parseEvacuationState, (deps, state) =>
  awaitEvacuationSync({ ...deps, config: evacuationConfig(), healthMetrics: cloudWatchHealthChecks(), route53RequestsPerSecond: route53RequestsPerSecond() }, state),
);
