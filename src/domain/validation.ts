import type { z } from 'zod';
import type { FieldIssue } from './errors.js';

/** Keys shown as `.key`; anything else is quoted, so a hostile key cannot forge or bloat a message. */
const PLAIN_KEY = /^[A-Za-z_$][\w$-]{0,63}$/;
/** Longer keys are cut in the path (the marker says so); the message never grows with the input. */
export const MAX_PATH_KEY = 64;

/**
 * `['apps', 1, 'regions', 0, 'name']` → `apps[1].regions[0].name`. Keys that come from the input
 * (map keys such as metric dimension names) are quoted when they are not plain names:
 * `dimensions["x\n(root): forged"]`, control and line-separator characters escaped, and cut at
 * {@link MAX_PATH_KEY} characters.
 */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    const name = String(key);
    if (PLAIN_KEY.test(name)) return text ? `${text}.${name}` : name;
    return `${text}[${quoteKey(name)}]`;
  }, '');
}

function quoteKey(name: string): string {
  const shown = name.length > MAX_PATH_KEY ? `${name.slice(0, MAX_PATH_KEY)}…(+${name.length - MAX_PATH_KEY} chars)` : name;
  // JSON.stringify escapes C0 controls, quotes and backslashes; C1 controls and U+2028/9 too here.
  return JSON.stringify(shown).replace(/[\u007f-\u009f\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A missing field reads "required", not "expected string, received undefined". */
const requiredWhenMissing = (issue: { input?: unknown; code?: string }) =>
  issue.code === 'invalid_type' && issue.input === undefined ? 'required' : undefined;

/**
 * Parses `input` with `schema`; on failure returns every problem with the path of its field,
 * prefixed with `root` when the value sits inside a larger document.
 */
export function parseWith<S extends z.ZodType>(
  schema: S,
  input: unknown,
  root = '',
): { ok: true; value: z.output<S> } | { ok: false; issues: FieldIssue[] } {
  const result = schema.safeParse(input, { error: requiredWhenMissing });
  if (result.success) return { ok: true, value: result.data };
  const issues = result.error.issues.map((issue) => ({
    path: formatPath([...(root ? [root] : []), ...issue.path]),
    message: issue.message,
  }));
  return { ok: false, issues };
}
