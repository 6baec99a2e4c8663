/**
 * Hostile Slack interaction requests: whatever reaches the interactivity endpoint (any event shape,
 * any headers, any body; and bodies signed with the right secret whose payload is damaged), the
 * answer is an HTTP status with a message — never a throw — and the waiting task is told something
 * only by a correctly signed, fresh request from a listed approver, at most once.
 */
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import fc from 'fast-check';
import { isHttpEvent } from '../../src/adapters/slack/interaction.js';
import { slackSignature } from '../../src/adapters/slack/signature.js';
import { APPROVE_ACTION_ID, DENY_ACTION_ID } from '../../src/domain/approval.js';
import type { Approval, Approvals, TaskCallbacks } from '../../src/ports/approvals.js';
import type { AuditEntry, AuditRecord, AuditTrail } from '../../src/ports/audit.js';
import { slackInteraction, type ApprovalAnswer } from '../../src/steps/approval.js';
import { ensure, prototypeSnapshot, seeded, show } from './support/fuzz.js';
import { anyValue, hostileString, mutate, mutations } from './support/hostile.js';

const NOW = new Date('2026-03-14T09:00:00Z');
const SECRET = 'fuzz-signing-secret-0123456789abcdef';
const INCIDENT = 'alarm-payments-use1-api-5xx-20260314T090000Z-0123456789';
const APPROVER = 'U0APPROVER1';

/** In-memory ports with the same rules as the adapters: first decision wins, every send counted. */
function world() {
  const base: Approval = {
    incidentId: INCIDENT,
    executionName: INCIDENT,
    app: 'payments',
    mode: 'drill',
    from: 'us-east-1',
    to: 'us-west-2',
    requestedAt: NOW.toISOString(),
    deadline: new Date(NOW.getTime() + 15 * 60_000).toISOString(),
    channel: '#payments-oncall',
    webhook: { secretsManager: 'lifeboat/slack/payments-webhook' },
    signingSecret: { secretsManager: 'lifeboat/slack/payments-signing-secret' },
    approvers: [APPROVER],
    taskToken: 'token-1',
    status: 'pending',
    delivered: false,
  };
  let approval = { ...base };
  const sends: string[] = [];
  const records: AuditEntry[] = [];
  const approvals: Approvals = {
    open: async () => approval,
    attachToken: async () => approval,
    get: async (id) => (id === INCIDENT ? { ...approval } : undefined),
    decide: async (_id, status, actor, at) => {
      if (approval.status !== 'pending') return { won: false, current: { ...approval } };
      approval = { ...approval, status, decidedBy: actor, decidedAt: at.toISOString() };
      return { won: true, current: { ...approval } };
    },
    markDelivered: async () => void (approval = { ...approval, delivered: true }),
    expire: async () => ({ won: false, current: { ...approval } }),
  };
  const callbacks: TaskCallbacks = {
    succeed: async (token) => (sends.push(`success ${token}`), { sent: true }),
    fail: async (token) => (sends.push(`failure ${token}`), { sent: true }),
  };
  const audit: AuditTrail = {
    record: async (entry) => void records.push(entry),
    acknowledge: async (entry) => void records.push(entry),
    read: async () => records.map((r, i) => ({ ...r, seq: i + 1, prevHash: '', hash: '' }) as AuditRecord),
    readReceipts: async () => [],
  };
  const deps = { clock: { now: () => NOW }, audit, approvals, callbacks, secrets: { read: async () => SECRET } };
  return { deps, sends, records, state: () => approval };
}

const payload = (user = APPROVER, action = APPROVE_ACTION_ID, value = INCIDENT) => ({
  type: 'block_actions',
  user: { id: user, username: 'alice' },
  actions: [{ action_id: action, value }],
});
/** Slack's form body around a payload; a value JSON cannot hold (a BigInt) goes in as text. */
const form = (json: unknown) => {
  let text: string;
  try {
    text = typeof json === 'string' ? json : (JSON.stringify(json) ?? '');
  } catch {
    text = '[a value JSON cannot hold]';
  }
  return new URLSearchParams({ payload: text }).toString(); // as Slack encodes it (lone surrogates become U+FFFD)
};
const signed = (body: string, at = NOW) => {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  return { headers: { 'X-Slack-Request-Timestamp': timestamp, 'X-Slack-Signature': slackSignature(SECRET, timestamp, body), 'Content-Type': 'application/x-www-form-urlencoded' }, body };
};

const STATUSES = new Set([200, 400, 401, 403, 409]);

/** Never a throw; a status from the documented set with a bounded, printable message. */
async function answerOf(deps: ReturnType<typeof world>['deps'], event: unknown): Promise<ApprovalAnswer> {
  let answer: ApprovalAnswer;
  try {
    answer = await slackInteraction(deps, event as never);
  } catch (error) {
    throw new Error(`threw on ${show(event)}: ${(error as Error).stack}`);
  }
  ensure(STATUSES.has(answer.status) && typeof answer.message === 'string' && answer.message.length <= 2_000, () => `answer ${show(answer)}`);
  return answer;
}

describe('the Slack interactivity endpoint under hostile input', () => {
  let checkPrototypes: () => void;
  beforeAll(() => {
    checkPrototypes = prototypeSnapshot();
  });
  afterAll(() => checkPrototypes());

  it('answers any event, any headers and any body with a status, and tells the task nothing', async () => {
    const event = fc.oneof(
      anyValue,
      fc.record({ headers: fc.oneof(anyValue, fc.dictionary(hostileString, hostileString)), body: fc.oneof(anyValue, hostileString, hostileString.map(form)), isBase64Encoded: fc.oneof(fc.boolean(), anyValue) }, { requiredKeys: ['headers', 'body'] }),
    );
    await fc.assert(
      // What the handler routes here: anything with `headers` and `body` (the rest is a direct invoke).
      fc.asyncProperty(event.filter(isHttpEvent), async (input) => {
        const { deps, sends } = world();
        const answer = await answerOf(deps, input);
        ensure(sends.length === 0, () => `sent ${show(sends)} for ${show(input)} (answer ${show(answer)})`);
      }),
      seeded(0x51ac_0001),
    );
  });

  it('answers correctly signed bodies whose payload is damaged without a throw, and sends only for a listed approver, once', async () => {
    const damaged = mutations().map((changes) => mutate(() => payload(), changes));
    await fc.assert(
      fc.asyncProperty(fc.oneof({ arbitrary: damaged, weight: 4 }, { arbitrary: anyValue, weight: 1 }), async (json) => {
        const { deps, sends, state } = world();
        const answer = await answerOf(deps, signed(form(json)));
        // What the endpoint read: a payload that became a JSON string is still that JSON.
        const seen = typeof json === 'string' ? (() => { try { return JSON.parse(json) as unknown; } catch { return json; } })() : json;
        const p = seen as { user?: { id?: unknown }; actions?: { action_id?: unknown; value?: unknown }[] } | null;
        if (sends.length > 0) {
          ensure(sends.length === 1, () => `sent twice: ${show(sends)}`);
          ensure(p?.user?.id === APPROVER && answer.status === 200, () => `sent for ${show(json)} (answer ${show(answer)})`);
          ensure(state().status === (sends[0]!.startsWith('success') ? 'approved' : 'denied'), 'decision and send disagree');
        } else {
          ensure(answer.status !== 200 || answer.outcome === 'unchanged', () => `200 without a send for ${show(json)}: ${show(answer)}`);
        }
      }),
      seeded(0x51ac_0002),
    );
  });

  it('refuses a valid click that is stale, tampered with, from someone not listed or re-played: 4xx, audited, nothing sent', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('stale', 'tampered', 'stranger', 'wrong-secret'),
        fc.constantFrom(APPROVE_ACTION_ID, DENY_ACTION_ID),
        fc.integer({ min: 301, max: 10 * 365 * 24 * 3600 }),
        async (attack, action, ageSeconds) => {
          const { deps, sends, records } = world();
          const body = form(payload(attack === 'stranger' ? 'U0STRANGER' : APPROVER, action));
          const event =
            attack === 'stale' ? signed(body, new Date(NOW.getTime() - ageSeconds * 1000))
            : attack === 'tampered' ? { ...signed(body), body: body.replace(APPROVER, 'U0APPROVER2') }
            : attack === 'wrong-secret' ? { ...signed(body), headers: { ...signed(body).headers, 'X-Slack-Signature': `v0=${'0'.repeat(64)}` } }
            : signed(body);
          const answer = await answerOf(deps, event);
          ensure(sends.length === 0 && answer.status >= 400, () => `${attack}: ${show(answer)}, sent ${show(sends)}`);
          ensure(records.some((r) => r.outcome === 'Refused'), () => `${attack}: no refusal on record`);
        },
      ),
      seeded(0x51ac_0003, 2_000),
    );
  });
});
