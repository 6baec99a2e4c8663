import type { z } from 'zod';
import type { FieldIssue } from './errors.js';

/** `['apps', 1, 'regions', 0, 'name']` → `apps[1].regions[0].name`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((text, key) => {
    if (typeof key === 'number') return `${text}[${key}]`;
    const name = String(key);
    return text ? `${text}.${name}` : name;
  }, '');
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
