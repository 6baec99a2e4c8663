import { stepHandler } from '../src/runtime/step-handler.js';
import { parseNotifyInput } from '../src/runtime/step-inputs.js';
import { notify } from '../src/steps/notify.js';

/** One message per workflow event per incident: a retried or replayed Notify does not post again. */
export const handler = stepHandler('Notify', parseNotifyInput, (deps, input) => notify(deps, input.event, input.snapshot), {
  idempotencyKey: (input) => ({ incidentId: input.snapshot.incidentId, event: input.event }),
});
