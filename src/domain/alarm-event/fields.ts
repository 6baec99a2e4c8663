import * as z from 'zod';
import { InputValidationError, type FieldIssue } from '../errors.js';
import { formatPath } from '../validation.js';

/** What `InputValidationError` says it rejected. */
export const WHAT = 'CloudWatch alarm event';

export const ALARM_STATES = ['OK', 'ALARM', 'INSUFFICIENT_DATA'] as const;
export const MAX_ALARM_NAME = 255;
export const MAX_REASON = 1024;

// CloudWatch refuses alarm names with ASCII control characters, so a name carrying one is not genuine.
const ASCII_CONTROL = /[\u0000-\u001f\u007f]/;
// What we replace in free text we keep: C0, DEL, C1 and the Unicode line/paragraph separators.
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g;

/** Characters as CloudWatch counts them (code points), without walking a hostile 10 MB string. */
function longerThan(text: string, max: number): boolean {
  if (text.length <= max) return false;
  if (text.length > max * 2) return true;
  return Array.from(text).length > max;
}

/** A short, quoted, escaped picture of a value for an error message; never the whole of a big string. */
export function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length} item${value.length === 1 ? '' : 's'}`;
  switch (typeof value) {
    case 'string':
      if (value.length <= 64) return JSON.stringify(value);
      return `${JSON.stringify(value.slice(0, 40))}… (${value.length} characters)`;
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

/** Replaces control characters and cuts to `max` characters (marking the cut), keeping surrogate pairs whole. */
export function cleanText(text: string, max: number): string {
  const cut = text.length > max;
  let kept = cut ? text.slice(0, max - 1) : text;
  if (cut && /[\ud800-\udbff]$/.test(kept)) kept = kept.slice(0, -1);
  kept = kept.replace(ANY_CONTROL, ' ');
  return cut ? `${kept}…` : kept;
}

// ---- Field schemas ------------------------------------------------------------------------------

export const stateValue = z.enum(ALARM_STATES);

export const alarmName = z
  .string()
  .min(1)
  .refine((name) => !longerThan(name, MAX_ALARM_NAME), { error: `longer than ${MAX_ALARM_NAME} characters` })
  .refine((name) => !ASCII_CONTROL.test(name), {
    error: (issue) => `must not contain control characters, got ${describe(issue.input)}`,
  });

/** An identifier-like string we pass on (ARN, account, namespace, dimension): bounded, no control characters. */
export function plainText(max: number) {
  return z
    .string()
    .max(max)
    .refine((text) => !ASCII_CONTROL.test(text), {
      error: (issue) => `must not contain control characters, got ${describe(issue.input)}`,
    });
}

/** Free text we keep only a bounded, cleaned part of (see `cleanText`), so any string is accepted. */
export const reasonText = z.string();

/**
 * An ISO-8601 time, parsed to UTC with millisecond precision (`2019-10-02T17:04:40.989Z`): one form
 * for every delivery, because deterministic execution names are built from it.
 */
export const timestamp = z.string().transform((text, context) => {
  const iso = toUtcIso(text);
  if (iso !== undefined) return iso;
  context.issues.push({ code: 'custom', input: text, message: `expected an ISO-8601 timestamp, got ${describe(text)}` });
  return z.NEVER;
});

// CloudWatch writes `2019-10-02T17:04:40.989+0000`; EventBridge writes `2019-10-02T17:04:40Z`.
const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:?\d{2})$/;

function toUtcIso(text: string): string | undefined {
  const match = text.length <= 40 ? ISO_8601.exec(text) : null;
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second, fraction = '', zone = 'Z'] = match;
  const [y, mo, d, h, mi, s] = [year, month, day, hour, minute, second].map(Number) as [
    number, number, number, number, number, number,
  ];
  const millis = Number(fraction.padEnd(3, '0').slice(0, 3));
  const local = new Date(Date.UTC(y, mo - 1, d, h, mi, s, millis));
  // Date.UTC rolls 2019-02-30 over to March and maps years below 100 to 19xx; refuse both.
  const sameFields =
    local.getUTCFullYear() === y &&
    local.getUTCMonth() === mo - 1 &&
    local.getUTCDate() === d &&
    local.getUTCHours() === h &&
    local.getUTCMinutes() === mi &&
    local.getUTCSeconds() === s;
  if (!sameFields) return undefined;
  const offset = zoneOffsetMinutes(zone);
  if (offset === undefined) return undefined;
  const utc = new Date(local.getTime() - offset * 60_000).toISOString();
  // Past 9999 (or before 0000) in UTC, toISOString expands the year (`+010000-…`): not a time we name executions by.
  return /^\d{4}-/.test(utc) ? utc : undefined;
}

function zoneOffsetMinutes(zone: string): number | undefined {
  if (zone === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2));
  if (hours > 14 || minutes > 59) return undefined;
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}

// ---- ARNs and regions ---------------------------------------------------------------------------

const REGION_CODE = /^[a-z]{2}(?:-[a-z]+)+-\d+$/;
const ALARM_ARN = /^arn:aws(?:-[a-z]+)*:cloudwatch:([^:]*):([^:]*):alarm:/;

export function isRegionCode(text: string | undefined): text is string {
  return text !== undefined && REGION_CODE.test(text);
}

/** Region and account of a CloudWatch alarm ARN; absent parts are placeholders like `REGION` in samples. */
export function alarmArnParts(arn: string | undefined): { region?: string; accountId?: string; isAlarmArn: boolean } {
  const usable = arn !== undefined && arn.length <= 1600 && !ASCII_CONTROL.test(arn);
  const match = usable ? ALARM_ARN.exec(arn) : null;
  if (!match) return { isAlarmArn: false };
  const [, region, account] = match;
  return {
    isAlarmArn: true,
    ...(isRegionCode(region) ? { region } : {}),
    ...(account !== undefined && /^\d{12}$/.test(account) ? { accountId: account } : {}),
  };
}

// ---- Issues -------------------------------------------------------------------------------------

export type PathSegment = string | number;

export { formatPath };

function issueMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'required' : `expected ${issue.expected}, got ${describe(issue.input)}`;
    case 'invalid_value':
      return issue.values.length === 1
        ? `expected ${JSON.stringify(issue.values[0])}, got ${describe(issue.input)}`
        : `expected one of ${issue.values.map(String).join(', ')}, got ${describe(issue.input)}`;
    case 'too_big':
      if (issue.origin === 'string') return `longer than ${String(issue.maximum)} characters`;
      if (issue.origin === 'array') return `more than ${String(issue.maximum)} items`;
      return issue.message;
    case 'too_small':
      if (issue.origin === 'string' && Number(issue.minimum) === 1) return 'must not be empty';
      if (issue.origin === 'array') {
        return `expected at least ${String(issue.minimum)} item${Number(issue.minimum) === 1 ? '' : 's'}`;
      }
      return issue.message;
    default:
      return issue.message;
  }
}

export type Checked<T> = { ok: true; data: T } | { ok: false; issues: FieldIssue[] };

/** Validates `value` against `schema`, naming every problem by its full path under `base`. */
export function check<T>(schema: z.ZodType<T>, value: unknown, base: readonly PathSegment[]): Checked<T> {
  const result = schema.safeParse(value, { reportInput: true });
  if (result.success) return { ok: true, data: result.data };
  const issues = result.error.issues.map((issue) => ({
    path: formatPath([...base, ...issue.path]),
    message: issueMessage(issue),
  }));
  return { ok: false, issues };
}

export function fail(issues: readonly FieldIssue[]): never {
  throw new InputValidationError(issues, WHAT);
}
