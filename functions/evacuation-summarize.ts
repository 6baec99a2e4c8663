import { parseEvacuationState } from '../src/domain/evacuation.js';
import { stepLambda } from '../src/runtime/step-lambda.js';
import { cloudWatchHealthChecks } from '../src/runtime/wiring/cloudwatch.js';
import { evacuationConfig } from '../src/runtime/wiring/evacuation.js';
import { webhookNotifier } from '../src/runtime/wiring/slack.js';
import { summarizeEvacuation } from '../src/steps/evacuation-summary.js';

/** Evacuation: each app's outcome in the evacuation's trail, and one Slack summary (once per evacuation). */
export const handler = stepLambda(
  'Summarize',
  { notifier: webhookNotifier },
  parseEvacuationState,
  (deps, state) => summarizeEvacuation({ ...deps, config: evacuationConfig(), healthMetrics: cloudWatchHealthChecks() }, state),
  { idempotencyKey: (state) => ({ incidentId: state.evacuation.evacuationId, event: 'evacuation-summary' }) },
);
