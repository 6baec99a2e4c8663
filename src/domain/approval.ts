import type { SlackMessage } from '../ports/notifier.js';
import type { ApprovalPolicy } from './config.js';
import type { FailoverRequest } from './failover-request.js';
import { escapeMrkdwn } from './slack-message.js';

/*
 * The approval gate: which runs wait for a person, for how long, and what Slack shows them. The
 * workflow asks (statemachines/failover.asl.json, ApprovalGate), a person answers with a button or
 * `lifeboat approve|deny`, and no answer in time is decided by the policy.
 */

/** The error a denial fails the gate's task with (SendTaskFailure); the workflow takes its failure path. */
export const APPROVAL_DENIED = 'ApprovalDenied';

/** The action ids of the message's buttons (src/adapters/slack/interaction.ts reads them back). */
export const APPROVE_ACTION_ID = 'lifeboat_approve';
export const DENY_ACTION_ID = 'lifeboat_deny';

/** Whether a run of this mode waits for approval under this policy. */
export function approvalRequired(policy: { approval: ApprovalPolicy }, mode: 'failover' | 'drill'): boolean {
  return policy.approval[mode] === 'required';
}

/** The gate's timeout, in seconds (the ASL's TimeoutSecondsPath reads it). */
export function approvalTimeoutSeconds(policy: { approval: ApprovalPolicy }): number {
  return policy.approval.timeoutMinutes * 60;
}

/** Who decided, as the audit trail names them. */
export type Approver = { kind: 'slack'; userId: string; userName?: string } | { kind: 'iam'; principal: string };

export function approverName(approver: Approver): string {
  return approver.kind === 'slack' ? `slack:${approver.userId}` : `user:${approver.principal}`;
}

/** Slack's mention of an approver (`<@U…>` renders the name), or the IAM principal. */
function mention(actor: string): string {
  const slack = /^slack:([UW][A-Z0-9]{2,20})$/.exec(actor);
  return slack ? `<@${slack[1]}>` : escapeMrkdwn(actor);
}

function what(request: Pick<FailoverRequest, 'mode' | 'app' | 'from' | 'to'>): string {
  return `${request.mode === 'drill' ? 'drill' : 'failover'} of ${request.app} ${request.from.name} → ${request.to.name}`;
}

/**
 * The question, with Approve / Deny buttons. The buttons carry the incident id, never the task
 * token: the token stays in DynamoDB, and the click is trusted only after its signature and its
 * user are checked.
 */
export function buildApprovalMessage(request: FailoverRequest, deadline: Date, approvers: readonly string[]): SlackMessage {
  const subject = what(request);
  const onTimeout = request.policy.approval.onTimeout === 'abort' ? 'stops (nothing moves)' : 'goes ahead';
  const who = approvers.length > 0 ? approvers.map((id) => `<@${id}>`).join(' ') : '_no Slack approvers configured: use `lifeboat approve`_';
  const reason = request.trigger.kind === 'manual' ? `${request.trigger.actor}: ${request.trigger.reason}` : `alarm ${request.trigger.alarmName}`;
  return {
    text: escapeMrkdwn(`Approval needed: ${subject} (incident ${request.incidentId})`),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: `:raised_hand: Approval needed: ${subject}`.slice(0, 150), emoji: true } },
      {
        type: 'section',
        fields: [
          { type: 'mrkdwn', text: `*App*\n${escapeMrkdwn(request.app)}` },
          { type: 'mrkdwn', text: `*Regions*\n${request.from.name} → ${request.to.name}` },
          { type: 'mrkdwn', text: `*Asked by*\n${escapeMrkdwn(reason.slice(0, 500))}` },
          { type: 'mrkdwn', text: `*Deadline*\n${deadline.toISOString()}: without an answer the ${request.mode} ${onTimeout}` },
        ],
      },
      { type: 'section', text: { type: 'mrkdwn', text: `Approvers: ${who}` } },
      {
        type: 'actions',
        block_id: 'lifeboat_approval',
        elements: [
          {
            type: 'button',
            action_id: APPROVE_ACTION_ID,
            style: 'primary',
            text: { type: 'plain_text', text: 'Approve' },
            value: request.incidentId,
            confirm: {
              title: { type: 'plain_text', text: 'Move production traffic?' },
              text: { type: 'plain_text', text: `Approve the ${subject}.`.slice(0, 300) },
              confirm: { type: 'plain_text', text: 'Approve' },
              deny: { type: 'plain_text', text: 'Cancel' },
            },
          },
          { type: 'button', action_id: DENY_ACTION_ID, style: 'danger', text: { type: 'plain_text', text: 'Deny' }, value: request.incidentId },
        ],
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `incident \`${escapeMrkdwn(request.incidentId)}\` · or \`lifeboat approve ${escapeMrkdwn(request.incidentId)}\`` }] },
    ],
  };
}

/** What happened to the question: approved, denied, or no answer (and what the policy did then). */
export function buildApprovalOutcomeMessage(
  subject: Pick<FailoverRequest, 'mode' | 'app' | 'from' | 'to' | 'incidentId'>,
  outcome: { kind: 'approved' | 'denied'; actor: string } | { kind: 'timedOut'; minutes: number; proceed: boolean },
): SlackMessage {
  const thing = what(subject);
  let line: string;
  if (outcome.kind === 'timedOut') {
    line = `:hourglass: No answer within ${outcome.minutes} min for the ${escapeMrkdwn(thing)}: ${outcome.proceed ? 'the policy says proceed, it goes ahead.' : 'the policy says abort, nothing moves.'}`;
  } else if (outcome.kind === 'approved') {
    line = `:white_check_mark: ${escapeMrkdwn(thing)} approved by ${mention(outcome.actor)}: it goes ahead.`;
  } else {
    line = `:no_entry: ${escapeMrkdwn(thing)} denied by ${mention(outcome.actor)}: nothing moves.`;
  }
  return { text: line, blocks: [{ type: 'section', text: { type: 'mrkdwn', text: line } }, { type: 'context', elements: [{ type: 'mrkdwn', text: `incident \`${escapeMrkdwn(subject.incidentId)}\`` }] }] };
}
