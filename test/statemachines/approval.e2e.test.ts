import { describe, expect, it } from '@jest/globals';
import { slackSignature } from '../../src/adapters/slack/signature.js';
import type { SimulatedWorld } from '../../src/local/world.js';
import type { ApprovalAnswer } from '../../src/steps/approval.js';
import { FAILOVER_WORKFLOW_MINUTES, MAX_APPROVAL_TIMEOUT_MINUTES } from '../../src/domain/config.js';
import { exampleConfig, invoke, withWorld } from '../support/world.js';

/*
 * The approval gate through the real failover state machine, run locally: the `.waitForTaskToken`
 * Task is emulated by the local runner and the fake Step Functions, the Slack clicks go through the
 * real slack-interaction handler with signed requests, and the approver acts on virtual time.
 */

const SIGNING_SECRET = 'local-signing-secret-0123456789abcdef';
const APPROVER = 'U012ABCDEF';
const UNMOVED = { 'payments-us-east-1': 100, 'payments-us-west-2': 0 };
const MOVED = { 'payments-us-east-1': 0, 'payments-us-west-2': 100 };

/** A Slack interactivity request for a click, signed with `secret` at `at` (the world's now by default). */
function click(world: SimulatedWorld, incidentId: string, options: { decision?: 'approve' | 'deny'; user?: string; secret?: string; at?: Date } = {}) {
  const payload = JSON.stringify({
    type: 'block_actions',
    user: { id: options.user ?? APPROVER, username: 'alice' },
    actions: [{ action_id: options.decision === 'deny' ? 'lifeboat_deny' : 'lifeboat_approve', value: incidentId }],
  });
  const body = `payload=${encodeURIComponent(payload)}`;
  const timestamp = String(Math.floor((options.at ?? world.clock.now()).getTime() / 1000));
  return {
    body,
    isBase64Encoded: false,
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Slack-Request-Timestamp': timestamp, 'X-Slack-Signature': slackSignature(options.secret ?? SIGNING_SECRET, timestamp, body) },
  };
}

/** A person acting `seconds` after now, on virtual time; resolves with the handler's HTTP answer. */
function after(world: SimulatedWorld, seconds: number, act: () => unknown): Promise<{ statusCode: number; body: string }> {
  return world.scheduler.run(async () => {
    await world.scheduler.sleep(seconds * 1000);
    return (await act()) as { statusCode: number; body: string };
  });
}

/** Starts a drill of payments (gated by default) through the real manual trigger. */
async function startDrill(world: SimulatedWorld): Promise<string> {
  world.secretsManager.addSecret(world.homeRegion, 'lifeboat/slack/signing-secret', SIGNING_SECRET);
  const started = (await invoke('manualTrigger', { actor: 'alice', app: 'payments', to: 'us-west-2', mode: 'drill', reason: 'quarterly DR drill', requestId: 'q1' })) as { executionName: string };
  return started.executionName;
}

const sent = (world: SimulatedWorld, operation: string) => world.sfn.calls.filter((c) => c.operation === operation).length;
const steps = async (world: SimulatedWorld, incident: string) => (await world.auditTrail(incident)).map((r) => [r.step, r.outcome, r.actor] as const);

describe('the approval gate, end to end', () => {
  it('waits for an approver, who approves from Slack: the drill then runs, and a second click changes nothing', async () => {
    await withWorld(async (world) => {
      // arrange
      const incident = await startDrill(world);

      // act
      const approved = after(world, 120, () => invoke('slackInteraction', click(world, incident)));
      const again = after(world, 180, () => invoke('slackInteraction', click(world, incident)));
      const [outcome] = await world.sfn.settle();

      // assert
      expect(outcome?.status).toBe('SUCCEEDED');
      expect((await approved).statusCode).toBe(200);
      expect(JSON.parse((await again).body)).toMatchObject({ outcome: 'unchanged' });
      expect(world.weights('payments')).toEqual(MOVED);
      expect(sent(world, 'SendTaskSuccess')).toBe(1);
      const trail = await steps(world, incident);
      expect(trail).toEqual(expect.arrayContaining([['OpenApproval', 'InProgress', 'user:alice'], ['AwaitApproval', 'Notified', 'user:alice'], ['AwaitApproval', 'Passed', `slack:${APPROVER}`]]));
      expect(trail.filter(([step]) => step === 'AwaitApproval' || step === 'Approval')).toHaveLength(2);
      // Nothing moved before the approval: the first change comes after it in the trail.
      const records = await world.auditTrail(incident);
      const approvedAt = records.findIndex((r) => r.step === 'AwaitApproval' && r.outcome === 'Passed');
      expect(records.findIndex((r) => r.outcome === 'ChangeRequested')).toBeGreaterThan(approvedAt);
      expect(Date.parse(records[approvedAt]!.at) - Date.parse(records[0]!.at)).toBeGreaterThanOrEqual(120_000);
    });
  });

  it('posts Approve / Deny buttons that carry the incident id and never the task token', async () => {
    await withWorld(async (world) => {
      const tokens: string[] = [];
      world.sfn.onTaskToken(({ token }) => tokens.push(token));
      const incident = await startDrill(world);
      const approved = after(world, 60, () => invoke('slackInteraction', click(world, incident)));
      await world.sfn.settle();
      await approved;

      const question = world.slack.messages.find((m) => m.text.startsWith('Approval needed'));
      const actions = question?.blocks.find((b) => (b as { type: string }).type === 'actions') as { elements: { action_id: string; value: string }[] };
      expect(actions.elements.map((e) => [e.action_id, e.value])).toEqual([['lifeboat_approve', incident], ['lifeboat_deny', incident]]);
      expect(tokens).toHaveLength(1);
      expect(JSON.stringify(world.slack.messages)).not.toContain(tokens[0]);
      expect(world.slack.messages.some((m) => m.text.includes('approved by <@U012ABCDEF>'))).toBe(true);
    });
  });

  it('stops the drill when an approver denies it: nothing moves, the failure is notified', async () => {
    await withWorld(async (world) => {
      const incident = await startDrill(world);
      const denied = after(world, 90, () => invoke('slackInteraction', click(world, incident, { decision: 'deny' })));
      const [outcome] = await world.sfn.settle();

      expect((await denied).statusCode).toBe(200);
      expect(outcome).toMatchObject({ status: 'FAILED', error: 'ApprovalDenied' });
      expect(outcome?.cause).toContain(`denied by slack:${APPROVER}`);
      expect(world.weights('payments')).toEqual(UNMOVED);
      expect(world.sideEffects()).toMatchObject({ route53Changes: 0, nodegroupUpdates: 0, deploymentsScaled: 0, restoresCreated: 0 });
      expect(outcome?.steps.map((s) => s.name)).toEqual(expect.arrayContaining(['AwaitApproval', 'NotifyFailed', 'ReleaseLockAfterFailure']));
      expect(await steps(world, incident)).toEqual(expect.arrayContaining([['AwaitApproval', 'Refused', `slack:${APPROVER}`]]));
      expect(sent(world, 'SendTaskFailure')).toBe(1);
    });
  });

  it('takes an approval from the CLI path (direct invoke, the IAM caller as actor)', async () => {
    await withWorld(async (world) => {
      const incident = await startDrill(world);
      const answer = after(world, 30, () => invoke('slackInteraction', { actor: 'arn:aws:iam::000000000000:user/bob', incidentId: incident, decision: 'approve' }));
      const [outcome] = await world.sfn.settle();
      expect(outcome?.status).toBe('SUCCEEDED');
      expect(await answer).toMatchObject({ status: 200, outcome: 'approved' });
      expect(await steps(world, incident)).toEqual(expect.arrayContaining([['AwaitApproval', 'Passed', 'user:arn:aws:iam::000000000000:user/bob']]));
    });
  });

  it('aborts on timeout by default: no answer in 15 minutes, nothing moves, notified and audited; a late click is refused', async () => {
    await withWorld(async (world) => {
      const incident = await startDrill(world);
      const [outcome] = await world.sfn.settle();
      const late = (await world.scheduler.run(() => invoke('slackInteraction', click(world, incident)))) as { statusCode: number; body: string };

      expect(outcome).toMatchObject({ status: 'FAILED', error: 'States.Timeout' });
      expect(Date.parse(outcome!.stoppedAt) - Date.parse(outcome!.startedAt)).toBeGreaterThanOrEqual(15 * 60_000);
      expect(world.weights('payments')).toEqual(UNMOVED);
      expect(world.slack.messages.some((m) => m.text.includes('No answer within 15 min') && m.text.includes('nothing moves'))).toBe(true);
      expect(late.statusCode).toBe(400);
      expect(JSON.parse(late.body).message).toMatch(/closed: the approval timed out/);
      const trail = await steps(world, incident);
      expect(trail).toEqual(expect.arrayContaining([['ApprovalTimedOut', 'Refused', 'user:alice'], ['Approval', 'Refused', `slack:${APPROVER}`]]));
      expect(sent(world, 'SendTaskSuccess')).toBe(0);
    });
  });

  it('proceeds on timeout when the policy says so, notified and audited', async () => {
    const config = exampleConfig((c) => {
      c.apps[0]!.policy.approval = { ...c.apps[0]!.policy.approval, timeoutMinutes: 5, onTimeout: 'proceed' };
    });
    await withWorld(async (world) => {
      const incident = await startDrill(world);
      const [outcome] = await world.sfn.settle();

      expect(outcome?.status).toBe('SUCCEEDED');
      expect(world.weights('payments')).toEqual(MOVED);
      expect(world.slack.messages.some((m) => m.text.includes('No answer within 5 min') && m.text.includes('goes ahead'))).toBe(true);
      expect(await steps(world, incident)).toEqual(expect.arrayContaining([['ApprovalTimedOut', 'Passed', 'user:alice']]));
    }, config);
  });

  it.each([
    ['a forged signature', (world: SimulatedWorld, incident: string) => click(world, incident, { secret: 'not-the-signing-secret' }), 401, /forged request/],
    ['a replayed request (timestamp 6 minutes old)', (world: SimulatedWorld, incident: string) => click(world, incident, { at: new Date(world.clock.now().getTime() - 6 * 60_000) }), 401, /stale or replayed request/],
    ['a user who is not an approver', (world: SimulatedWorld, incident: string) => click(world, incident, { user: 'U999NOTME' }), 403, /U999NOTME is not an approver of payments/],
  ] as const)('rejects %s: nothing is sent, the rejection is audited, the gate still waits', async (_name, request, status, message) => {
    await withWorld(async (world) => {
      const incident = await startDrill(world);
      const rejected = after(world, 60, () => invoke('slackInteraction', request(world, incident)));
      const approved = after(world, 120, () => invoke('slackInteraction', click(world, incident)));
      const [outcome] = await world.sfn.settle();

      const answer = await rejected;
      expect(answer.statusCode).toBe(status);
      expect(JSON.parse(answer.body)).toMatchObject({ outcome: 'rejected', message: expect.stringMatching(message) });
      expect((await approved).statusCode).toBe(200);
      expect(outcome?.status).toBe('SUCCEEDED');
      expect(sent(world, 'SendTaskSuccess') + sent(world, 'SendTaskFailure')).toBe(1);
      const rejection = (await world.auditTrail(incident)).find((r) => r.step === 'Approval');
      expect(rejection).toMatchObject({ outcome: 'Refused', error: expect.stringMatching(message) });
    });
  });

  it('rejects a click for an incident that is not waiting for approval, with nothing sent', async () => {
    await withWorld(async (world) => {
      const answer = (await invoke('slackInteraction', click(world, 'no-such-incident'))) as { statusCode: number; body: string };
      expect(answer.statusCode).toBe(400);
      expect((JSON.parse(answer.body) as ApprovalAnswer).message).toMatch(/no incident no-such-incident is waiting for approval/);
      expect(world.sfn.calls).toEqual([]);
    });
  });

  it('lets an automatic failover through without asking anyone', async () => {
    await withWorld(async (world) => {
      await invoke('manualTrigger', { actor: 'alice', app: 'payments', to: 'us-west-2', mode: 'failover', reason: 'region degraded' });
      const [outcome] = await world.sfn.settle();
      expect(outcome?.status).toBe('SUCCEEDED');
      expect(outcome?.steps.map((s) => s.name)).not.toContain('AwaitApproval');
    });
  });
});

describe('the approval wait against the workflow time limit', () => {
  /** A drill gated for `minutes`, abort on no answer; the edit skips validation, as a hand-made execution input would. */
  const gatedFor = (minutes: number) =>
    exampleConfig((c) => {
      c.apps[0]!.policy.approval = { ...c.apps[0]!.policy.approval, timeoutMinutes: minutes, onTimeout: 'abort' };
    });
  const failoverRun = (world: SimulatedWorld) => world.sfn.list().find((e) => e.outcome && e.outcome.steps.some((s) => s.name === 'AwaitApproval'))?.outcome;
  /** Another drill asked for once the first has ended: it starts only if the first gave the lock back. */
  const nextDrill = (world: SimulatedWorld) => world.scheduler.run(() => invoke('manualTrigger', { actor: 'alice', app: 'payments', to: 'us-west-2', mode: 'drill', reason: 'again', requestId: 'q2' }));

  it(`at the longest wait the configuration allows (${MAX_APPROVAL_TIMEOUT_MINUTES} min), no answer ends the run by its own states: notified, audited, lock given back`, async () => {
    await withWorld(async (world) => {
      const incident = await startDrill(world);
      await world.sfn.settle();

      expect(failoverRun(world)).toMatchObject({ status: 'FAILED' });
      expect(world.slack.messages.some((m) => m.text.includes(`No answer within ${MAX_APPROVAL_TIMEOUT_MINUTES} min`))).toBe(true);
      expect(await steps(world, incident)).toEqual(expect.arrayContaining([['ApprovalTimedOut', 'Refused', 'user:alice']]));
      expect(await nextDrill(world)).toMatchObject({ executionName: expect.any(String) });
    }, gatedFor(MAX_APPROVAL_TIMEOUT_MINUTES));
  });

  it('a longer wait, in an execution input made by hand past the configuration check, is refused by the first step, naming the field: nothing waits', async () => {
    await withWorld(async (world) => {
      const incident = await startDrill(world);
      const [drill] = await world.sfn.settle();

      expect(drill).toMatchObject({ status: 'FAILED', error: 'InputValidationError' });
      expect(drill!.cause).toMatch(/policy\.approval\.timeoutMinutes: must be at most 45: the wait and the rest of the failover/);
      expect(drill!.steps.map((s) => s.name)).not.toContain('AwaitApproval');
      expect(await steps(world, incident)).toEqual([]); // the input was refused before any step acted
    }, gatedFor(FAILOVER_WORKFLOW_MINUTES + 10));
  });
});
