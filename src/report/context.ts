import type { AuditRecord } from '../ports/audit.js';
import type { Targets, TriggerSource } from './model.js';

/*
 * What the trail says about the incident itself: which app, which regions, which mode, when it
 * was triggered and which targets were in force. A structured `request` recorded by AcquireLock is
 * read first (see `RecordedRequest`); until the steps record one, the same facts are read from the
 * records' intents, whose wording the steps fix (test/report pins it against a real run).
 */

/** The part of a failover request a trail may carry (in `before`, `change` or `after` of an AcquireLock record, under `request`). */
export interface RecordedRequest {
  app?: string;
  mode?: 'failover' | 'drill';
  from?: string | { name?: string };
  to?: string | { name?: string };
  requestedAt?: string;
  trigger?: { kind?: string; stateChangeTime?: string };
  policy?: Targets;
}

export interface IncidentContext {
  app: string | null;
  mode: 'failover' | 'drill' | null;
  from: string | null;
  to: string | null;
  actor: string | null;
  trigger: { at: string; source: TriggerSource } | null;
  /** The targets in force during the incident, when the trail recorded them. */
  recordedTargets: Targets | null;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

function regionName(value: unknown): string | undefined {
  return text(value) ?? (isObject(value) ? text(value.name) : undefined);
}

function validTime(value: unknown): string | undefined {
  const candidate = text(value);
  if (!candidate) return undefined;
  const ms = Date.parse(candidate);
  return Number.isFinite(ms) ? new Date(ms).toISOString() : undefined;
}

/** The request an AcquireLock record carries, if any. */
export function recordedRequest(records: readonly AuditRecord[]): RecordedRequest | null {
  for (const record of records) {
    if (record.step !== 'AcquireLock') continue;
    for (const part of [record.change, record.before, record.after]) {
      if (isObject(part) && isObject(part.request)) return part.request as RecordedRequest;
    }
  }
  return null;
}

/** The first match of `pattern` in the intents of `step`'s records. */
function fromIntent(records: readonly AuditRecord[], step: string, pattern: RegExp): RegExpMatchArray | undefined {
  for (const record of records) {
    if (record.step !== step || typeof record.intent !== 'string') continue;
    const match = record.intent.match(pattern);
    if (match) return match;
  }
  return undefined;
}

/**
 * An alarm incident's id ends with the alarm's state-change time (`alarm-NAME-20260314T090000Z-HASH`,
 * see `alarmExecutionName`): the moment the alarm fired, to the second.
 */
export function alarmTimeOfIncident(incidentId: string): string | undefined {
  const match = /^alarm-.*-(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z-[0-9a-f]{10}$/.exec(incidentId);
  if (!match) return undefined;
  const [, y, mo, d, h, mi, s] = match;
  return validTime(`${y}-${mo}-${d}T${h}:${mi}:${s}Z`);
}

/** When the incident began, from the most precise source the trail has. */
function triggerOf(incidentId: string, records: readonly AuditRecord[], request: RecordedRequest | null): IncidentContext['trigger'] {
  const first = records[0];
  const firstStart = first ? validTime(new Date(Date.parse(first.at) - (first.durationMs ?? 0)).toISOString()) : undefined;
  const recorded = validTime(request?.trigger?.stateChangeTime) ?? validTime(request?.requestedAt);
  if (recorded) return { at: recorded, source: 'recorded' };
  const fromId = alarmTimeOfIncident(incidentId);
  // The alarm fired before the workflow's first record; a later time would be a renamed incident.
  if (fromId && (!firstStart || Date.parse(fromId) <= Date.parse(firstStart))) return { at: fromId, source: 'incident-id' };
  return firstStart ? { at: firstStart, source: 'first-record' } : null;
}

function modeOf(incidentId: string, records: readonly AuditRecord[], request: RecordedRequest | null): IncidentContext['mode'] {
  if (request?.mode === 'drill' || request?.mode === 'failover') return request.mode;
  // Notify's message headline says "(drill)" for drills (see buildSlackMessage).
  const notified = records.filter((r) => r.step === 'Notify' && isObject(r.change) && typeof r.change.text === 'string');
  if (notified.some((r) => /^\S*\s*Failover \w+ \(drill\):/.test((r.change as { text: string }).text))) return 'drill';
  if (incidentId.startsWith('drill-')) return 'drill';
  if (notified.length > 0 || incidentId.startsWith('alarm-') || incidentId.startsWith('failover-')) return 'failover';
  return null;
}

/** App, regions, mode, actor, trigger time and recorded targets of an incident, from its trail alone. */
export function incidentContext(incidentId: string, records: readonly AuditRecord[]): IncidentContext {
  const request = recordedRequest(records);
  // The candidate preflight passed is the target (it may have refused others before it).
  const passed = records.filter((r) => r.step !== 'Preflight' || r.outcome === 'Passed');
  const preflight = fromIntent(passed, 'Preflight', /^check (\S+) can take over from (\S+)$/) ?? fromIntent(records, 'Preflight', /^check (\S+) can take over from (\S+)$/);
  const shift = fromIntent(records, 'ShiftTraffic', /^shift .+ from (\S+) to (\S+)$/);
  const verified = fromIntent(records, 'Verify', /^(\S+) serves (.+)$/);
  const lock = fromIntent(records, 'AcquireLock', /^take the failover lock of (.+)$/) ?? fromIntent(records, 'ReleaseLock', /^release the failover lock of (.+) \(\w+\)$/);
  const policy = isObject(request?.policy) ? request.policy : null;
  const recordedTargets: Targets | null = policy
    ? {
        ...(typeof policy.rpoMinutes === 'number' ? { rpoMinutes: policy.rpoMinutes } : {}),
        ...(typeof policy.rtoMinutes === 'number' ? { rtoMinutes: policy.rtoMinutes } : {}),
      }
    : null;
  return {
    app: text(request?.app) ?? lock?.[1] ?? verified?.[2] ?? null,
    mode: modeOf(incidentId, records, request),
    from: regionName(request?.from) ?? preflight?.[2] ?? shift?.[1] ?? null,
    to: regionName(request?.to) ?? preflight?.[1] ?? shift?.[2] ?? verified?.[1] ?? null,
    actor: text(records[0]?.actor) ?? null,
    trigger: triggerOf(incidentId, records, request),
    recordedTargets: recordedTargets && Object.keys(recordedTargets).length > 0 ? recordedTargets : null,
  };
}
