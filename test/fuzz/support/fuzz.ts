/**
 * What every fuzz test shares: seeded options (reproducible, overridable from the environment to
 * replay a failure), the check that an error is the documented typed one and names its fields,
 * and guards for prototype pollution. See test/fuzz/README.md.
 */
import type { Parameters } from 'fast-check';
import type { FieldIssue } from '../../../src/domain/errors.js';

/** Generated inputs per property, unless the property says why it runs fewer. */
export const RUNS = 10_000;

/**
 * Options for `fc.assert`: the property's fixed seed, or `FUZZ_SEED` / `FUZZ_PATH` / `FUZZ_RUNS`
 * from the environment to replay a reported failure or to explore other seeds.
 */
export function seeded<T>(seed: number, numRuns: number = RUNS): Parameters<T> {
  const env = process.env;
  return {
    seed: env.FUZZ_SEED !== undefined ? Number(env.FUZZ_SEED) : seed,
    numRuns: env.FUZZ_RUNS !== undefined ? Number(env.FUZZ_RUNS) : numRuns,
    ...(env.FUZZ_PATH ? { path: env.FUZZ_PATH, endOnFailure: true } : {}),
  };
}

/** A failed expectation inside a property: fast-check reports it with the counterexample. */
export class PropertyViolation extends Error {
  override readonly name = 'PropertyViolation';
}

export function ensure(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) throw new PropertyViolation(typeof message === 'string' ? message : message());
}

/** A short, printable picture of any value (counterexamples can hold 100 KB strings and bigints). */
export function show(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 300 ? `${text.slice(0, 300)}… (${text.length} characters)` : text;
}

/**
 * Runs `act`; returns its result, or the error if it is an instance of `typed`. Anything else
 * thrown (a TypeError from a hostile shape, a RangeError, a plain Error) is the crash we look for.
 */
export function outcomeOf<T, E extends Error>(act: () => T, typed: abstract new (...args: never[]) => E): { ok: true; value: T } | { ok: false; error: E } {
  let value: T;
  try {
    value = act();
  } catch (error) {
    if (error instanceof typed) return { ok: false, error };
    const described = error instanceof Error ? `${error.name}: ${error.message}` : show(error);
    throw new PropertyViolation(`crashed with an error other than ${typed.name}: ${described}`);
  }
  ensure(!(value instanceof Promise), 'returned a promise from a synchronous parser');
  return { ok: true, value };
}

/**
 * Every issue names a field: a string path that is either non-empty or `''` (the root marker,
 * printed `(root)` by `formatIssues`), and a non-empty message. `pathOk` narrows the path further.
 */
export function ensureNamedIssues(issues: readonly FieldIssue[] | undefined, pathOk: (path: string, issue: FieldIssue) => boolean = () => true): void {
  ensure(Array.isArray(issues) && issues.length > 0, 'the typed error lists no issues');
  for (const issue of issues) {
    ensure(typeof issue.path === 'string', () => `issue path is not a string: ${show(issue)}`);
    ensure(typeof issue.message === 'string' && issue.message.trim().length > 0, () => `issue without a message: ${show(issue)}`);
    ensure(pathOk(issue.path, issue), () => `issue path does not name a field of the input: ${show(issue)}`);
  }
}

const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
/** Longer than any real path: the deepest is under 100 characters, plus at most a 255-character key. */
const MAX_PATH = 512;

/**
 * A path prints on one line and stays short: `formatIssues` joins `path: message` lines, so a raw
 * newline in a path forges an issue of its own, and a 100 KB key makes a 100 KB error message.
 */
export function printablePath(path: string): boolean {
  return path.length <= MAX_PATH && !CONTROL.test(path);
}

/** A root-level issue (`''`) must say which key it is about when it is about keys. */
export function ensureRootIssueNamesKeys(issues: readonly FieldIssue[]): void {
  for (const issue of issues) {
    if (issue.path === '' && /unrecognized key/i.test(issue.message)) {
      ensure(/"[^"]*"/.test(issue.message), () => `unrecognized key without its name: ${show(issue)}`);
    }
  }
}

const own = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);

/**
 * Whether `path` (as `formatPath` writes it: `apps[1].regions[0].name`) points into `document`:
 * everything but the last segment exists (a missing leaf is what "required" means). Keys may
 * themselves hold dots (dimension names), so an object step takes the longest own key that fits.
 * A JSON string on the way (SNS `Message`) is entered as its parsed value.
 */
export function pathPointsInto(document: unknown, path: string): boolean {
  if (path === '') return true;
  let current: unknown = document;
  let at = 0;
  while (at < path.length) {
    if (typeof current === 'string' && current.length > 0) {
      try {
        current = JSON.parse(current);
      } catch {
        return false;
      }
    }
    const index = /^\[(\d+)\]/.exec(path.slice(at));
    if (index) {
      if (!Array.isArray(current)) return false;
      at += index[0].length;
      if (at === path.length) return true;
      current = current[Number(index[1])];
      continue;
    }
    // A key that is not a plain name is quoted: `["x\n…"]` (JSON), cut with a marker when long.
    const quoted = /^\[("(?:[^"\\]|\\.)*")\]/.exec(path.slice(at));
    if (quoted) {
      if (typeof current !== 'object' || current === null) return false;
      const shown = JSON.parse(quoted[1]!) as string;
      const cut = /…\(\+\d+ chars\)$/.exec(shown);
      const key = Object.keys(current).find((k) => (cut ? k.startsWith(shown.slice(0, cut.index)) : k === shown));
      at += quoted[0].length;
      if (at === path.length) return true;
      if (key === undefined) return false;
      current = (current as Record<string, unknown>)[key];
      continue;
    }
    if (at > 0) {
      if (path[at] !== '.') return false;
      at += 1;
    }
    if (typeof current !== 'object' || current === null) return false;
    const rest = path.slice(at);
    const fits = Object.keys(current)
      .filter((key) => rest.startsWith(key) && (rest.length === key.length || rest[key.length] === '.' || rest[key.length] === '['))
      .sort((a, b) => b.length - a.length)[0];
    if (fits === undefined) return !/[.[]/.test(rest); // the missing leaf
    at += fits.length;
    if (at === path.length) return true;
    current = (current as Record<string, unknown>)[fits];
  }
  return true;
}

/** Object.prototype and Array.prototype keep exactly their own keys: no input can pollute them. */
export function prototypeSnapshot(): () => void {
  const before = [Object.getOwnPropertyNames(Object.prototype).join(','), Object.getOwnPropertyNames(Array.prototype).join(',')];
  return () => {
    const after = [Object.getOwnPropertyNames(Object.prototype).join(','), Object.getOwnPropertyNames(Array.prototype).join(',')];
    ensure(after[0] === before[0] && after[1] === before[1], () => `a prototype was polluted: ${show({ before, after })}`);
    ensure(!own(Object.prototype, 'polluted') && ({} as { polluted?: unknown }).polluted === undefined, 'Object.prototype.polluted appeared');
  };
}

/**
 * The `yaml` package reports some findings (an unresolved tag, a collection used as a key) with
 * `process.emitWarning`. The fuzz tests print nothing on success, so they swallow those while running.
 */
export function silenceProcessWarnings(): () => void {
  const original = process.emitWarning;
  process.emitWarning = (() => undefined) as typeof process.emitWarning;
  return () => {
    process.emitWarning = original;
  };
}
