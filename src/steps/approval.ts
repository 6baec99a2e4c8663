import { APPROVAL_DENIED, approvalTimeoutSeconds, approverName, buildApprovalMessage, buildApprovalOutcomeMessage, type Approver } from '../domain/approval.js';
import type { FailoverRequest } from '../domain/failover-request.js';
import type { Approval, Approvals, Decision, TaskCallbacks } from '../ports/approvals.js';
import type { AuditEntry, AuditTrail } from '../ports/audit.js';
import type { Clock } from '../ports/clock.js';
import type { Notifier } from '../ports/notifier.js';
import { header, parseInteraction, rawBody, type HttpEvent } from '../adapters/slack/interaction.js';
import { verifySlackSignature } from '../adapters/slack/signature.js';
import type { SecretRef } from '../ports/notifier.js';
import { audit } from './deps.js';

/*
 * The approval gate's steps. OpenApproval records the question (and gives the workflow its
 * timeout); AwaitApproval runs as the `.waitForTaskToken` Task: it stores the token next to the
 * question and asks Slack; a person's answer arrives through `approveIncident` (Slack button or
 * CLI), which sends the token's success or failure; ApprovalTimedOut closes the question when
 * nobody answered and says what the policy decided. Every step is safe to repeat.
 */

export interface GateDeps {
  clock: Clock;
  audit: AuditTrail;
  notifier: Notifier;
  approvals: Approvals;
}

export interface DecisionDeps {
  clock: Clock;
  audit: AuditTrail;
  approvals: Approvals;
  callbacks: TaskCallbacks;
  /** Tells the channel who decided; a failure to post never changes the decision. */
  notifier?: Notifier;
}

export interface OpenedApproval {
  timeoutSeconds: number;
  deadline: string;
}

/** Records that the run waits for approval (once per incident) and hands the workflow its timeout. */
export async function openApproval(deps: GateDeps, request: FailoverRequest): Promise<OpenedApproval> {
  const now = deps.clock.now();
  const timeoutSeconds = approvalTimeoutSeconds(request.policy);
  const approval = await deps.approvals.open({
    incidentId: request.incidentId,
    executionName: request.executionName,
    app: request.app,
    mode: request.mode,
    from: request.from.name,
    to: request.to.name,
    requestedAt: now.toISOString(),
    deadline: new Date(now.getTime() + timeoutSeconds * 1000).toISOString(),
    channel: request.slack.channel,
    webhook: request.slack.webhook,
    ...(request.slack.signingSecret ? { signingSecret: request.slack.signingSecret } : {}),
    approvers: request.slack.approvers,
  });
  const trail = await deps.audit.read(request.incidentId);
  if (!trail.some((r) => r.step === 'OpenApproval')) {
    await audit(deps, request, {
      step: 'OpenApproval',
      intent: `ask for approval of the ${request.mode} of ${request.app} ${request.from.name} -> ${request.to.name}`,
      outcome: 'InProgress',
      after: { deadline: approval.deadline, approvers: approval.approvers, onTimeout: request.policy.approval.onTimeout },
    });
  }
  return { timeoutSeconds, deadline: approval.deadline };
}

/**
 * The `.waitForTaskToken` Task's Lambda: stores the token with the question and posts the Slack
 * message with Approve / Deny (once per incident). A decision made before the token existed (the
 * CLI is quicker than the workflow) is delivered here.
 */
export async function awaitApproval(deps: GateDeps & { callbacks: TaskCallbacks }, request: FailoverRequest, taskToken: string): Promise<{ waiting: boolean }> {
  const approval = await deps.approvals.attachToken(request.incidentId, taskToken);
  if ((approval.status === 'approved' || approval.status === 'denied') && !approval.delivered) {
    await deliver(deps, approval, taskToken);
    return { waiting: false };
  }
  const trail = await deps.audit.read(request.incidentId);
  if (trail.some((r) => r.step === 'AwaitApproval' && r.outcome === 'Notified')) return { waiting: true };
  const intent = `ask ${request.slack.channel} to approve the ${request.mode} of ${request.app}`;
  try {
    await deps.notifier.post(request.slack.webhook, buildApprovalMessage(request, new Date(approval.deadline), approval.approvers));
    await audit(deps, request, { step: 'AwaitApproval', intent, outcome: 'Notified', after: { deadline: approval.deadline } });
  } catch (error) {
    // Slack being down must not stop the gate: `lifeboat approve` still answers it.
    await audit(deps, request, { step: 'AwaitApproval', intent, outcome: 'Failed', error: `${(error as Error).message}; approve with lifeboat approve ${request.incidentId}` });
  }
  return { waiting: true };
}

export interface TimeoutOutcome {
  proceed: boolean;
  reason: string;
}

/** Nobody answered in time: close the question (late clicks are refused) and apply the policy, notified and audited. */
export async function approvalTimedOut(deps: GateDeps, request: FailoverRequest): Promise<TimeoutOutcome> {
  const { timeoutMinutes, onTimeout } = request.policy.approval;
  const proceed = onTimeout === 'proceed';
  const reason = `no approval within ${timeoutMinutes} min; policy.approval.onTimeout is ${onTimeout}: ${proceed ? 'going ahead' : 'nothing was moved'}`;
  await deps.approvals.expire(request.incidentId, deps.clock.now());
  const trail = await deps.audit.read(request.incidentId);
  if (!trail.some((r) => r.step === 'ApprovalTimedOut')) {
    await audit(deps, request, { step: 'ApprovalTimedOut', intent: `apply the approval timeout policy (${onTimeout})`, outcome: proceed ? 'Passed' : 'Refused', error: reason });
    try {
      await deps.notifier.post(request.slack.webhook, buildApprovalOutcomeMessage(request, { kind: 'timedOut', minutes: timeoutMinutes, proceed }));
    } catch (error) {
      await audit(deps, request, { step: 'ApprovalTimedOut', intent: `tell ${request.slack.channel} the approval timed out`, outcome: 'Failed', error: (error as Error).message });
    }
  }
  return { proceed, reason };
}

/** The answer to an approval request: an HTTP-like status, and what it did. */
export interface ApprovalAnswer {
  status: 200 | 400 | 401 | 403 | 409;
  outcome: 'approved' | 'denied' | 'unchanged' | 'rejected';
  message: string;
}

const INCIDENT_ID = /^[A-Za-z0-9_-]{1,80}$/;

/**
 * A person's decision on a gated run, from Slack (after the signature check) or the CLI (the caller
 * is IAM-authenticated; `approver` is who IAM says they are). Refused, and audited in the incident's
 * trail when the incident is known: an unknown or closed incident, a Slack user not on the app's
 * approvers list. The first decision wins; repeating it changes nothing; the token is sent once.
 */
export async function approveIncident(deps: DecisionDeps, incidentId: string, approver: Approver, decision: Decision): Promise<ApprovalAnswer> {
  const actor = approverName(approver);
  if (!INCIDENT_ID.test(incidentId)) return { status: 400, outcome: 'rejected', message: `malformed incident id ${JSON.stringify(incidentId.slice(0, 100))}` };
  let approval = await deps.approvals.get(incidentId);
  if (!approval) return { status: 400, outcome: 'rejected', message: `no incident ${incidentId} is waiting for approval` };
  const reject = async (status: ApprovalAnswer['status'], message: string): Promise<ApprovalAnswer> => {
    await record(deps, approval!, actor, { step: 'Approval', intent: `${decision} the ${approval!.mode} of ${approval!.app}`, outcome: 'Refused', error: message });
    return { status, outcome: 'rejected', message };
  };
  if (approver.kind === 'slack' && !approval.approvers.includes(approver.userId)) {
    return reject(403, `${approver.userId} is not an approver of ${approval.app} (slack.approvers)`);
  }
  const wanted = decision === 'approve' ? 'approved' : 'denied';
  if (approval.status === 'pending') {
    const decided = await deps.approvals.decide(incidentId, wanted, actor, deps.clock.now());
    approval = decided.current ?? approval;
  }
  if (approval.status !== wanted) {
    const by = approval.decidedBy ? ` by ${approval.decidedBy} at ${approval.decidedAt}` : '';
    return reject(400, `incident ${incidentId} is closed: ${approval.status === 'timedOut' ? 'the approval timed out' : `already ${approval.status}${by}`}`);
  }
  if (approval.delivered) return { status: 200, outcome: 'unchanged', message: `incident ${incidentId} was already ${wanted} by ${approval.decidedBy}` };
  if (!approval.taskToken) {
    // Decided before the workflow attached its token: AwaitApproval delivers it when it does.
    await record(deps, approval, actor, { step: 'AwaitApproval', intent: `${decision} the ${approval.mode} of ${approval.app}`, outcome: wanted === 'approved' ? 'Passed' : 'Refused', change: { decision: wanted } });
    return { status: 200, outcome: wanted, message: `incident ${incidentId} ${wanted}; the workflow picks it up when its gate opens` };
  }
  return deliver(deps, approval, approval.taskToken);
}

/** Sends a recorded decision to the waiting task, then records and announces it. */
async function deliver(deps: DecisionDeps, approval: Approval, taskToken: string): Promise<ApprovalAnswer> {
  const approved = approval.status === 'approved';
  const actor = approval.decidedBy ?? 'unknown';
  const sent = approved
    ? await deps.callbacks.succeed(taskToken, { approved: true, by: actor, at: approval.decidedAt })
    : await deps.callbacks.fail(taskToken, APPROVAL_DENIED, `denied by ${actor} at ${approval.decidedAt}`);
  if (!sent.sent) {
    // The task no longer waits: either the gate timed out (it marks the approval so), or an earlier
    // attempt of this very delivery got through and was cut off before recording it.
    const current = await deps.approvals.get(approval.incidentId);
    if (current?.status === 'timedOut') {
      await record(deps, approval, actor, { step: 'Approval', intent: `deliver the ${approval.status} decision`, outcome: 'Refused', error: `too late: the approval timed out (${sent.reason})` });
      return { status: 400, outcome: 'rejected', message: `incident ${approval.incidentId} is closed: the approval timed out` };
    }
  }
  await deps.approvals.markDelivered(approval.incidentId);
  const trail = await deps.audit.read(approval.incidentId);
  if (!trail.some((r) => r.step === 'AwaitApproval' && (r.outcome === 'Passed' || r.outcome === 'Refused'))) {
    await record(deps, approval, actor, { step: 'AwaitApproval', intent: `${approved ? 'approve' : 'deny'} the ${approval.mode} of ${approval.app}`, outcome: approved ? 'Passed' : 'Refused', change: { decision: approval.status } });
  }
  if (deps.notifier) {
    const subject = { mode: approval.mode, app: approval.app, from: { name: approval.from }, to: { name: approval.to }, incidentId: approval.incidentId } as Parameters<typeof buildApprovalOutcomeMessage>[0];
    await deps.notifier.post(approval.webhook, buildApprovalOutcomeMessage(subject, { kind: approved ? 'approved' : 'denied', actor })).catch(() => undefined);
  }
  return { status: 200, outcome: approved ? 'approved' : 'denied', message: `incident ${approval.incidentId} ${approval.status} by ${actor}` };
}

async function record(deps: Pick<DecisionDeps, 'audit' | 'clock'>, approval: Approval, actor: string, entry: Omit<AuditEntry, 'incidentId' | 'actor' | 'at'>): Promise<void> {
  await deps.audit.record({ incidentId: approval.incidentId, actor, at: deps.clock.now().toISOString(), ...entry });
}

/** Reads a secret's value (the signing secret, by its reference). */
export interface SecretValues {
  read(ref: SecretRef): Promise<string>;
}

const REJECTION = { 'missing-headers': 'unsigned request', 'stale-timestamp': 'stale or replayed request', 'bad-signature': 'forged request (signature mismatch)' } as const;

/**
 * A click on Approve / Deny, as Slack's interactivity request delivers it: the signature is checked
 * (signing secret of the incident's app, HMAC-SHA256, five-minute replay window on the injected
 * clock) before anything in the body is believed, then the decision goes through `approveIncident`.
 * A rejected request sends nothing, and is audited in the incident's trail when the incident is known.
 */
export async function slackInteraction(deps: DecisionDeps & { secrets: SecretValues }, event: HttpEvent): Promise<ApprovalAnswer> {
  const body = rawBody(event);
  // Untrusted until the signature checks out: read only to find whose secret to check it with.
  const parsed = parseInteraction(body);
  const claimed = parsed.ok ? parsed.interaction : undefined;
  const approval = claimed && INCIDENT_ID.test(claimed.incidentId) ? await deps.approvals.get(claimed.incidentId) : undefined;
  if (!approval) return { status: 400, outcome: 'rejected', message: parsed.ok ? `no incident ${claimed!.incidentId.slice(0, 100)} is waiting for approval` : `bad request: ${parsed.reason}` };
  const refuse = async (status: 401 | 400, message: string): Promise<ApprovalAnswer> => {
    await record(deps, approval, `slack:unverified:${claimed!.userId}`, { step: 'Approval', intent: `${claimed!.decision} the ${approval.mode} of ${approval.app} from Slack`, outcome: 'Refused', error: message });
    return { status, outcome: 'rejected', message };
  };
  if (!approval.signingSecret) return refuse(401, `${approval.app} has no slack.signingSecret: Slack approvals are off (use lifeboat approve)`);
  let secret: string;
  try {
    secret = await deps.secrets.read(approval.signingSecret);
  } catch (error) {
    return refuse(401, `cannot read the signing secret of ${approval.app}: ${(error as Error).name}`);
  }
  const check = verifySlackSignature({ signingSecret: secret, timestamp: header(event, 'X-Slack-Request-Timestamp'), signature: header(event, 'X-Slack-Signature'), rawBody: body, now: deps.clock.now() });
  if (!check.ok) return refuse(401, `${REJECTION[check.reason]}: ${check.detail}`);
  const { userId, userName, decision, incidentId } = claimed!;
  return approveIncident(deps, incidentId, { kind: 'slack', userId, ...(userName ? { userName } : {}) }, decision);
}
