import { describe, expect, it } from '@jest/globals';
import { parseInteraction } from '../../../src/adapters/slack/interaction.js';
import { slackSignature, verifySlackSignature } from '../../../src/adapters/slack/signature.js';

// Slack's documented example (api.slack.com/authentication/verifying-requests-from-slack).
const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const TIMESTAMP = '1531420618';
const BODY =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const AT = new Date(Number(TIMESTAMP) * 1000);

describe('Slack request signatures', () => {
  it("computes Slack's documented example signature", () => {
    expect(slackSignature(SECRET, TIMESTAMP, BODY)).toBe('v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503');
  });

  it('accepts a request signed with the secret, within the replay window', () => {
    const signature = slackSignature(SECRET, TIMESTAMP, BODY);
    expect(verifySlackSignature({ signingSecret: SECRET, timestamp: TIMESTAMP, signature, rawBody: BODY, now: new Date(AT.getTime() + 299_000) })).toEqual({ ok: true });
  });

  it.each([
    ['another secret', { signature: slackSignature('another-secret', TIMESTAMP, BODY) }, 'bad-signature'],
    ['an edited body', { rawBody: `${BODY}&admin=true` }, 'bad-signature'],
    ['a truncated signature', { signature: slackSignature(SECRET, TIMESTAMP, BODY).slice(0, 20) }, 'bad-signature'],
    ['a timestamp more than 5 minutes old', { now: new Date(AT.getTime() + 301_000) }, 'stale-timestamp'],
    ['a timestamp more than 5 minutes ahead', { now: new Date(AT.getTime() - 301_000) }, 'stale-timestamp'],
    ['a timestamp that is not a number', { timestamp: '15314e6' }, 'stale-timestamp'],
    ['no signature header', { signature: undefined }, 'missing-headers'],
    ['no timestamp header', { timestamp: undefined }, 'missing-headers'],
  ])('rejects %s', (_name, change, reason) => {
    const request = { signingSecret: SECRET, timestamp: TIMESTAMP as string | undefined, signature: slackSignature(SECRET, TIMESTAMP, BODY) as string | undefined, rawBody: BODY, now: AT, ...change };
    expect(verifySlackSignature(request)).toMatchObject({ ok: false, reason });
  });
});

describe('Slack interaction payloads', () => {
  const form = (payload: unknown) => `payload=${encodeURIComponent(JSON.stringify(payload))}`;

  it('reads who clicked which button for which incident', () => {
    const body = form({ type: 'block_actions', user: { id: 'U012ABCDEF', username: 'alice' }, actions: [{ action_id: 'lifeboat_deny', value: 'drill-payments-x' }], response_url: 'https://hooks.slack.com/x' });
    expect(parseInteraction(body)).toEqual({ ok: true, interaction: { userId: 'U012ABCDEF', userName: 'alice', decision: 'deny', incidentId: 'drill-payments-x' } });
  });

  it.each([
    ['no payload field', 'token=abc', /no payload field/],
    ['a payload that is not JSON', 'payload=%7Bnope', /not JSON/],
    ['another interaction type', form({ type: 'view_submission', user: { id: 'U012ABCDEF' }, actions: [] }), /not a block_actions payload/],
    ['someone else’s button', form({ type: 'block_actions', user: { id: 'U012ABCDEF' }, actions: [{ action_id: 'other_app', value: 'x' }] }), /no Approve or Deny action/],
  ])('refuses %s', (_name, body, reason) => {
    expect(parseInteraction(body)).toEqual({ ok: false, reason: expect.stringMatching(reason) });
  });
});
