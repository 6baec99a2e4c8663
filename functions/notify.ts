import { parseNotifyInput } from '../src/runtime/step-inputs.js';
import { stepLambda } from '../src/runtime/step-lambda.js';
import { webhookNotifier } from '../src/runtime/wiring/slack.js';
import { notify } from '../src/steps/notify.js';

/** One message per workflow event per incident: a retried or replayed Notify does not post again. */
export const handler = stepLambda('Notify', { notifier: webhookNotifier }, parseNotifyInput, (deps, input) => notify(deps, input.event, input.snapshot), {
  idempotencyKey: (input) => ({ incidentId: input.snapshot.incidentId, event: input.event }),
});
