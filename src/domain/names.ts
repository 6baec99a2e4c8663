import { createHash } from 'node:crypto';

/*
 * Deterministic identifiers. A retry, a replay or a duplicate delivery derives the same name from
 * the same facts, so the service's own uniqueness rule (execution names, Kubernetes object names,
 * EKS client request tokens) turns a repeat into a no-op instead of a second side effect.
 */

export function shortHash(text: string, length = 10): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}

/** Keeps what a Step Functions name allows: `[A-Za-z0-9-_]`. */
function sanitise(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
}

/** `2026-03-01T12:34:56.789Z` → `20260301T123456Z`. */
export function compactTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) throw new RangeError(`not a timestamp: ${iso}`);
  return date.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/**
 * The Step Functions execution name for an alarm transition: the same alarm at the same
 * state-change time always gives the same name (at most 80 characters, as Step Functions allows).
 * The hash covers the full alarm name and time, so truncating the readable part keeps names unique.
 */
export function alarmExecutionName(alarmName: string, stateChangeTime: string): string {
  const hash = shortHash(`${alarmName}\n${new Date(stateChangeTime).toISOString()}`);
  const suffix = `-${compactTime(stateChangeTime)}-${hash}`;
  const readable = sanitise(alarmName).slice(0, 80 - suffix.length - 'alarm-'.length);
  return `alarm-${readable}${suffix}`;
}

/** The execution name of a manual failover or drill; `requestId` makes a repeated request idempotent. */
export function manualExecutionName(mode: 'failover' | 'drill', app: string, toRegion: string, requestId: string): string {
  const hash = shortHash(`${mode}\n${app}\n${toRegion}\n${requestId}`);
  const readable = sanitise(`${mode}-${app}-${toRegion}`).slice(0, 80 - hash.length - 1);
  return `${readable}-${hash}`;
}

/** The Velero Restore of an incident: a DNS-1123 name, the same on every retry. */
export function restoreName(incidentId: string, app: string): string {
  return `lifeboat-${app}-${shortHash(incidentId, 12)}`.toLowerCase();
}

/** EKS `clientRequestToken` for one node group change of one incident. */
export function nodegroupToken(incidentId: string, cluster: string, nodegroup: string, sizes: { minSize: number; desiredSize: number; maxSize: number }): string {
  return `lb-${shortHash(`${incidentId}\n${cluster}\n${nodegroup}\n${sizes.minSize}/${sizes.desiredSize}/${sizes.maxSize}`, 32)}`;
}
