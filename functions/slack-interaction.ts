import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import { isHttpEvent } from '../src/adapters/slack/interaction.js';
import { systemClock } from '../src/ports/clock.js';
import { dynamoDbAuditTrail } from '../src/runtime/wiring/dynamodb.js';
import { logger } from '../src/runtime/logger.js';
import { clockOption } from '../src/runtime/runtime-options.js';
import { dynamoDbApprovals, sfnTaskCallbacks, signingSecrets } from '../src/runtime/wiring/approvals.js';
import { webhookNotifier } from '../src/runtime/wiring/slack.js';
import { approveIncident, slackInteraction, type ApprovalAnswer } from '../src/steps/approval.js';

const deps = () => ({
  clock: clockOption() ?? systemClock,
  audit: dynamoDbAuditTrail(),
  approvals: dynamoDbApprovals(),
  callbacks: sfnTaskCallbacks(),
  notifier: webhookNotifier(),
  secrets: signingSecrets(),
});

const http = (answer: ApprovalAnswer) => ({ statusCode: answer.status, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ outcome: answer.outcome, message: answer.message }) });

/**
 * Approve / Deny for gated runs. From Slack's interactivity endpoint (API Gateway): the request's
 * signature and the clicking user are checked before anything is sent. Invoked directly (the CLI's
 * `lifeboat approve|deny INCIDENT`): `{ actor, incidentId, decision }`, where IAM on
 * lambda:InvokeFunction decides who may and `actor` is the caller the CLI signed as.
 */
export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event: unknown) => {
    if (isHttpEvent(event)) {
      const answer = await slackInteraction(deps(), event);
      logger.info('slack interaction', { status: answer.status, outcome: answer.outcome, reason: answer.message });
      return http(answer);
    }
    const { actor, incidentId, decision } = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
    if (typeof actor !== 'string' || actor.length === 0 || actor.length > 256 || typeof incidentId !== 'string' || (decision !== 'approve' && decision !== 'deny')) {
      return { status: 400, outcome: 'rejected', message: 'expected { actor, incidentId, decision: "approve" | "deny" }' } satisfies ApprovalAnswer;
    }
    const answer = await approveIncident(deps(), incidentId, { kind: 'iam', principal: actor }, decision);
    logger.info('approval decision', { incidentId, status: answer.status, outcome: answer.outcome });
    return answer;
  });
