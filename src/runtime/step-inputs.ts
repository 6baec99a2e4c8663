import * as z from 'zod';
import { InputValidationError } from '../domain/errors.js';
import { parseFailoverRequest, type FailoverRequest } from '../domain/failover-request.js';
import type { NotifyEvent, WorkflowSnapshot } from '../domain/slack-message.js';
import { parseWith } from '../domain/validation.js';

/*
 * The shapes the state machine hands to the Tasks that do not take the plain request (their
 * `Parameters` in statemachines/failover.asl.json). Validated at the edge like any input.
 */

function parseEnvelope<S extends z.ZodType>(schema: S, event: unknown, what: string, root = ''): z.output<S> {
  const result = parseWith(schema, event, root);
  if (!result.ok) throw new InputValidationError(result.issues, what);
  return result.value;
}

export function parseRestoreInput(event: unknown): { request: FailoverRequest; backupName: string } {
  const envelope = parseEnvelope(z.object({ request: z.unknown(), backupName: z.string().min(1).max(253) }), event, 'StartRestore input');
  return { request: parseFailoverRequest(envelope.request, 'request'), backupName: envelope.backupName };
}

export function parseTrafficSyncInput(event: unknown): { request: FailoverRequest; changeId: string | null } {
  const envelope = parseEnvelope(z.object({ request: z.unknown(), changeId: z.string().min(1).max(64).nullable() }), event, 'AwaitTrafficSync input');
  return { request: parseFailoverRequest(envelope.request, 'request'), changeId: envelope.changeId };
}

const snapshotExtras = z.object({
  preflight: z.object({ backup: z.object({ name: z.string(), ageMinutes: z.number() }).optional() }).optional(),
  shift: z.object({ changeId: z.string().nullable(), before: z.record(z.string(), z.number()), after: z.record(z.string(), z.number()) }).optional(),
  error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
  compensation: z.object({ compensated: z.boolean(), weights: z.record(z.string(), z.number()).nullable() }).optional(),
});

export function parseNotifyInput(event: unknown): { event: NotifyEvent; snapshot: WorkflowSnapshot } {
  const envelope = parseEnvelope(z.object({ event: z.enum(['started', 'succeeded', 'failed']), snapshot: z.unknown() }), event, 'Notify input');
  const request = parseFailoverRequest(envelope.snapshot, 'snapshot');
  const extras = parseEnvelope(snapshotExtras, envelope.snapshot, 'Notify input', 'snapshot');
  return { event: envelope.event, snapshot: { ...request, ...extras } };
}

export function parseReleaseInput(event: unknown): { request: FailoverRequest & { shift?: unknown; compensation?: { compensated?: boolean } }; outcome: 'succeeded' | 'failed' } {
  const envelope = parseEnvelope(z.object({ request: z.unknown(), outcome: z.enum(['succeeded', 'failed']) }), event, 'ReleaseLock input');
  const request = parseFailoverRequest(envelope.request, 'request');
  const { shift, compensation } = envelope.request as { shift?: unknown; compensation?: { compensated?: boolean } };
  return { request: { ...request, shift, compensation }, outcome: envelope.outcome };
}
