import * as z from 'zod';
import { InputValidationError } from '../src/domain/errors.js';
import { parseFailoverRequest, type FailoverRequest } from '../src/domain/failover-request.js';
import { parseWith } from '../src/domain/validation.js';
import { stepLambda } from '../src/runtime/step-lambda.js';
import { dynamoDbApprovals, sfnTaskCallbacks } from '../src/runtime/wiring/approvals.js';
import { webhookNotifier } from '../src/runtime/wiring/slack.js';
import { approvalTimedOut, awaitApproval, openApproval } from '../src/steps/approval.js';

type GateInput = { action: 'open' | 'timeout'; request: FailoverRequest } | { action: 'await'; request: FailoverRequest; taskToken: string };

const envelope = z.discriminatedUnion('action', [
  z.object({ action: z.enum(['open', 'timeout']), request: z.unknown() }),
  // Step Functions task tokens are opaque, up to 1024 characters.
  z.object({ action: z.literal('await'), request: z.unknown(), taskToken: z.string().min(1).max(1024) }),
]);

function parseGateInput(event: unknown): GateInput {
  const result = parseWith(envelope, event);
  if (!result.ok) throw new InputValidationError(result.issues, 'ApprovalGate input');
  return { ...result.value, request: parseFailoverRequest(result.value.request) } as GateInput;
}

/** The approval gate's three Tasks (OpenApproval, AwaitApproval with its task token, ApprovalTimedOut). */
export const handler = stepLambda('ApprovalGate', { notifier: webhookNotifier }, parseGateInput, async (deps, input): Promise<unknown> => {
  const gate = { ...deps, approvals: dynamoDbApprovals() };
  switch (input.action) {
    case 'open':
      return openApproval(gate, input.request);
    case 'await':
      return awaitApproval({ ...gate, callbacks: sfnTaskCallbacks() }, input.request, input.taskToken);
    case 'timeout':
      return approvalTimedOut(gate, input.request);
  }
});
