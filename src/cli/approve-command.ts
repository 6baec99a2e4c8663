import type { LifeboatConfig } from '../domain/config.js';
import type { Decision } from '../ports/approvals.js';
import { systemClock } from '../ports/clock.js';
import { clockOption } from '../runtime/runtime-options.js';
import { dynamoDbApprovals, sfnTaskCallbacks } from '../runtime/wiring/approvals.js';
import { dynamoDbAuditTrail } from '../runtime/wiring/dynamodb.js';
import { webhookNotifier } from '../runtime/wiring/slack.js';
import { approveIncident, type ApprovalAnswer } from '../steps/approval.js';
import { EXIT } from './exit-codes.js';
import { localActor } from './drill-command.js';
import { openLocalWorld } from './local-world.js';

export interface ApproveOptions {
  local?: boolean;
  json?: boolean;
  /** Who is deciding, as recorded in the trail (default: the local user). */
  as?: string;
}

/**
 * `lifeboat approve|deny INCIDENT`: the decision on a gated run, through the same `approveIncident`
 * the Slack buttons reach: the first decision wins, a repeat changes nothing, a closed or unknown
 * incident is refused (and audited when known). On AWS the approvals item and the task token are
 * read through the SDK's default chain (AWS_REGION must be the region whose stack runs the
 * execution); `--local` decides in the embedded world. Exit 0 when the decision stands, 1 refused.
 */
export async function approveCommand(config: LifeboatConfig, incidentId: string, decision: Decision, options: ApproveOptions, out: (text: string) => void): Promise<number> {
  const principal = options.as ?? localActor().replace(/^local:/, options.local ? 'local:' : '');
  const decide = () =>
    approveIncident(
      { clock: clockOption() ?? systemClock, audit: dynamoDbAuditTrail(), approvals: dynamoDbApprovals(), callbacks: sfnTaskCallbacks(), notifier: webhookNotifier() },
      incidentId,
      { kind: 'iam', principal },
      decision,
    );
  let answer: ApprovalAnswer;
  if (options.local) {
    const session = await openLocalWorld(config);
    try {
      answer = await decide();
    } finally {
      await session.close();
    }
  } else answer = await decide();
  out(options.json ? `${JSON.stringify({ incidentId, decision, ...answer })}\n` : `${answer.message}\n`);
  return answer.outcome === 'rejected' ? EXIT.failed : EXIT.ok;
}
