import * as z from 'zod';
import { APPROVE_ACTION_ID as APPROVE_ACTION, DENY_ACTION_ID as DENY_ACTION } from '../../domain/approval.js';
import { parseWith } from '../../domain/validation.js';
import type { Decision } from '../../ports/approvals.js';

/*
 * What an API Gateway event from Slack's interactivity endpoint carries: a form-encoded body whose
 * `payload` field is the JSON of a `block_actions` interaction. Only the parts Lifeboat reads are
 * validated; everything else Slack sends is ignored.
 */


/** An API Gateway proxy event (REST or HTTP API), as far as Slack requests need it. */
export interface HttpEvent {
  body?: string | null;
  isBase64Encoded?: boolean;
  headers?: Record<string, string | undefined> | null;
}

export function isHttpEvent(event: unknown): event is HttpEvent {
  return typeof event === 'object' && event !== null && 'headers' in event && 'body' in event;
}

/** Header lookup, case-insensitive (REST APIs keep the client's case, HTTP APIs lower-case). */
export function header(event: HttpEvent, name: string): string | undefined {
  const wanted = name.toLowerCase();
  // A direct invoke can hand over anything: only string headers of a plain object count.
  if (typeof event.headers !== 'object' || event.headers === null) return undefined;
  for (const [key, value] of Object.entries(event.headers)) if (key.toLowerCase() === wanted && typeof value === 'string') return value;
  return undefined;
}

/** The body exactly as received: what the signature covers (anything but a string is no body). */
export function rawBody(event: HttpEvent): string {
  const body = typeof event.body === 'string' ? event.body : '';
  return event.isBase64Encoded === true ? Buffer.from(body, 'base64').toString('utf8') : body;
}

const payloadSchema = z.object({
  type: z.literal('block_actions'),
  user: z.object({ id: z.string().regex(/^[UW][A-Z0-9]{2,20}$/), username: z.string().max(256).optional(), name: z.string().max(256).optional() }),
  actions: z
    .array(z.object({ action_id: z.string().max(255), value: z.string().max(2000).optional() }))
    .min(1)
    .max(25),
});

export interface Interaction {
  userId: string;
  userName?: string;
  decision: Decision;
  incidentId: string;
}

export type ParsedInteraction = { ok: true; interaction: Interaction } | { ok: false; reason: string };

/**
 * The click in a request's body: who clicked which of our buttons, for which incident. Parsed
 * before the signature is checked only to find the incident to audit a rejection in; nothing in it
 * is trusted until the signature is.
 */
export function parseInteraction(body: string): ParsedInteraction {
  const payload = new URLSearchParams(body).get('payload');
  if (payload === null) return { ok: false, reason: 'no payload field in the form body' };
  let json: unknown;
  try {
    json = JSON.parse(payload);
  } catch {
    return { ok: false, reason: 'payload is not JSON' };
  }
  const parsed = parseWith(payloadSchema, json);
  if (!parsed.ok) return { ok: false, reason: `not a block_actions payload Lifeboat understands (${parsed.issues.map((i) => `${i.path}: ${i.message}`).join('; ')})` };
  const action = parsed.value.actions.find((a) => a.action_id === APPROVE_ACTION || a.action_id === DENY_ACTION);
  if (!action || !action.value) return { ok: false, reason: 'no Approve or Deny action in the payload' };
  const { user } = parsed.value;
  return {
    ok: true,
    interaction: { userId: user.id, userName: user.username ?? user.name, decision: action.action_id === APPROVE_ACTION ? 'approve' : 'deny', incidentId: action.value },
  };
}
