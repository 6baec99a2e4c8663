import { createHmac, timingSafeEqual } from 'node:crypto';

/*
 * Slack's request signing (https://api.slack.com/authentication/verifying-requests-from-slack):
 * `X-Slack-Signature` is `v0=` + hex HMAC-SHA256 of `v0:{X-Slack-Request-Timestamp}:{raw body}`
 * under the app's signing secret. The timestamp bounds replays: a request more than five minutes
 * from our clock is refused however well it is signed.
 */

/** Slack's replay window. */
export const SLACK_REPLAY_WINDOW_SECONDS = 5 * 60;

export type SignatureCheck = { ok: true } | { ok: false; reason: 'missing-headers' | 'stale-timestamp' | 'bad-signature'; detail: string };

/** The signature Slack would send for `rawBody` at `timestamp` (also how tests sign requests). */
export function slackSignature(signingSecret: string, timestamp: string, rawBody: string): string {
  return `v0=${createHmac('sha256', signingSecret).update(`v0:${timestamp}:${rawBody}`).digest('hex')}`;
}

/**
 * Checks a request claims to come from Slack: timestamp within the replay window of `now`, then
 * the signature, compared in constant time. The raw body must be exactly the bytes received.
 */
export function verifySlackSignature(args: {
  signingSecret: string;
  timestamp: string | undefined;
  signature: string | undefined;
  rawBody: string;
  now: Date;
  windowSeconds?: number;
}): SignatureCheck {
  const { timestamp, signature } = args;
  if (!timestamp || !signature) return { ok: false, reason: 'missing-headers', detail: 'X-Slack-Request-Timestamp and X-Slack-Signature are required' };
  if (!/^\d{1,12}$/.test(timestamp)) return { ok: false, reason: 'stale-timestamp', detail: `X-Slack-Request-Timestamp is not a Unix time: ${JSON.stringify(timestamp.slice(0, 40))}` };
  const skew = Math.abs(args.now.getTime() / 1000 - Number(timestamp));
  const window = args.windowSeconds ?? SLACK_REPLAY_WINDOW_SECONDS;
  if (skew > window) return { ok: false, reason: 'stale-timestamp', detail: `request timestamp is ${Math.round(skew)} s from now (more than ${window} s): a replay or a wrong clock` };
  const expected = Buffer.from(slackSignature(args.signingSecret, timestamp, args.rawBody), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  // timingSafeEqual needs equal lengths; the length of a well-formed signature is public anyway.
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return { ok: false, reason: 'bad-signature', detail: 'X-Slack-Signature does not match the request' };
  return { ok: true };
}
