/**
 * Hostile configuration text: whatever `parseConfig` reads, it returns a configuration or throws
 * ConfigError, with a single `(yaml)` issue for a syntax error and field paths otherwise.
 */
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import fc from 'fast-check';
import { stringify as stringifyYaml } from 'yaml';
import { validateConfig } from '../../src/domain/config.js';
import { parseConfig } from '../../src/domain/config-yaml.js';
import { ConfigError } from '../../src/domain/errors.js';
import { EXAMPLE_TEXT, ensureParseContract } from './support/config-contract.js';
import { validDocument } from './support/config-documents.js';
import { ensure, outcomeOf, prototypeSnapshot, seeded, show, silenceProcessWarnings } from './support/fuzz.js';
import { INJECTIONS, hostileString } from './support/hostile.js';
/** Pieces of YAML syntax, keys of the model, and hostile scalars, to be strung together. */
const YAML_TOKENS = [
  '\n', '\n  ', '\n    ', '  ', '- ', ': ', ':', '? ', '{', '}', '[', ']', ',', '#', '"', "'", '|', '>', '&a ', '*a', '*b', '<<: *a', '!!str ', '!!int ', '!!binary ', '!!set ', '!!omap ', '!foo ',
  '---\n', '...\n', '%YAML 1.1\n', '%TAG ! tag:x,2000:\n', '~', 'null', '.inf', '.nan', '0x1F', '0o17', '1e400', '-0', '2019-01-01', 'yes', 'no', 'on',
  'version', 'version: 1', 'apps', 'apps:', 'name', 'regions', 'eks', 'route53', 'setIdentifier', 'alarms', 'policy', 'slack', 'webhook', '__proto__', 'constructor',
  'us-east-1', 'payments', '\t', '\r\n', '\u0000', '\ufeff', '\u2028', '😀',
];
const yamlSoup = fc.array(fc.oneof(fc.constantFrom(...YAML_TOKENS), fc.constantFrom(...INJECTIONS), fc.string({ unit: 'binary', maxLength: 6 })), { maxLength: 40 }).map((parts) => parts.join(''));

/** Resource exhaustion attempts: alias bombs, deep nesting, huge scalars, many keys. */
const yamlBombs = fc.oneof(
  fc.integer({ min: 2, max: 9 }).map((width) => {
    const row = (name: string, ref: string) => `${name}: &${name} [${Array(width).fill(ref).join(', ')}]\n`;
    return `a: &a [x, x]\n${row('b', '*a')}${row('c', '*b')}${row('d', '*c')}${row('e', '*d')}${row('f', '*e')}version: 1\napps: [*f]\n`;
  }),
  fc.integer({ min: 10, max: 4_000 }).map((depth) => `version: 1\napps: ${'['.repeat(depth)}${']'.repeat(depth)}\n`),
  fc.integer({ min: 10, max: 1_000 }).map((depth) => `version: 1\napps:\n${Array.from({ length: depth }, (_, i) => `${' '.repeat(i * 2 + 2)}- `).join('\n')}x\n`),
  fc.integer({ min: 1_000, max: 100_000 }).map((size) => `version: 1\napps: ["${'a'.repeat(size)}"]\n`),
  fc.integer({ min: 10, max: 2_000 }).map((count) => `version: 1\n${Array.from({ length: count }, (_, i) => `k${i}: ${i}`).join('\n')}\n`),
);

type TextEdit = { at: number; op: 'delete-line' | 'duplicate-line' | 'insert' | 'replace-char' | 'truncate' | 'indent' | 'dedent'; text: string };

const textEdit: fc.Arbitrary<TextEdit> = fc.record({
  at: fc.nat(),
  op: fc.constantFrom('delete-line', 'duplicate-line', 'insert', 'replace-char', 'truncate', 'indent', 'dedent'),
  text: fc.oneof(yamlSoup, fc.constantFrom(...INJECTIONS), hostileString.filter((text) => text.length < 2_000)),
});

/** Applies line and character edits to the example text. */
function editText(text: string, edits: readonly TextEdit[]): string {
  let result = text;
  for (const { at, op, text: piece } of edits) {
    const lines = result.split('\n');
    const line = at % Math.max(lines.length, 1);
    const offset = at % Math.max(result.length, 1);
    switch (op) {
      case 'delete-line':
        lines.splice(line, 1);
        result = lines.join('\n');
        break;
      case 'duplicate-line':
        lines.splice(line, 0, lines[line] ?? '');
        result = lines.join('\n');
        break;
      case 'indent':
      case 'dedent':
        lines[line] = op === 'indent' ? `  ${lines[line] ?? ''}` : (lines[line] ?? '').replace(/^ {1,2}/, '');
        result = lines.join('\n');
        break;
      case 'insert':
        result = result.slice(0, offset) + piece + result.slice(offset);
        break;
      case 'replace-char':
        result = result.slice(0, offset) + piece.slice(0, 1) + result.slice(offset + 1);
        break;
      case 'truncate':
        result = result.slice(0, offset);
        break;
    }
  }
  return result;
}

describe('parseConfig under hostile input', () => {
  let checkPrototypes: () => void;
  let restoreWarnings: () => void;
  beforeAll(() => {
    checkPrototypes = prototypeSnapshot();
    restoreWarnings = silenceProcessWarnings();
  });
  afterAll(() => {
    restoreWarnings();
    checkPrototypes();
  });

  it('answers arbitrary text and YAML token soup with a configuration or ConfigError', () => {
    const text = fc.oneof({ arbitrary: fc.string({ unit: 'binary', maxLength: 200 }), weight: 1 }, { arbitrary: yamlSoup, weight: 3 });
    fc.assert(fc.property(text, (source) => ensureParseContract(source)), seeded(0xc0f1_0101));
  });

  // Each attempt parses up to tens of thousands of nodes: 50 of them are enough to show none gets through.
  it('answers resource-exhaustion attempts (alias bombs, deep nesting, huge scalars, many keys) with ConfigError, quickly', () => {
    fc.assert(
      fc.property(yamlBombs, (source) => {
        const started = performance.now();
        ensureParseContract(source);
        ensure(performance.now() - started < 2_000, () => `took ${Math.round(performance.now() - started)} ms`);
      }),
      seeded(0xc0f1_0102, 50),
    );
  });

  // Parsing the whole example is about a millisecond of YAML: 1,000 edited copies keep the file under 10 s.
  it('answers line and character edits of the example text the same way', () => {
    const edited = fc.array(textEdit, { minLength: 1, maxLength: 4 }).map((edits) => editText(EXAMPLE_TEXT, edits));
    fc.assert(fc.property(edited, (source) => ensureParseContract(source)), seeded(0xc0f1_0103, 1_000));
  });
});

describe('parseConfig still accepts valid input', () => {
  // 300 runs: each stringifies and parses a whole two-app document (about 5 ms).
  it('reads the YAML text of any valid configuration, in any quoting or flow style, as validateConfig reads the document', () => {
    fc.assert(
      fc.property(validDocument, fc.constantFrom<'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE'>('PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE'), fc.boolean(), (document, defaultStringType, flow) => {
        const text = stringifyYaml(document, { defaultStringType, collectionStyle: flow ? 'flow' : 'any' });
        const fromText = outcomeOf(() => parseConfig(text), ConfigError);
        ensure(fromText.ok, () => `refused the YAML of a valid document: ${show(fromText.ok ? undefined : fromText.error.issues)}`);
        ensure(JSON.stringify(fromText.value) === JSON.stringify(validateConfig(document)), 'the text reads differently from the document');
      }),
      seeded(0xc0f1_0104, 300),
    );
  });
});
