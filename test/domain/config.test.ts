import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { configJsonSchema, validateConfig } from '../../src/domain/config.js';
import { parseConfig } from '../../src/domain/config-yaml.js';
import { ConfigError } from '../../src/domain/errors.js';

const exampleText = readFileSync('lifeboat.config.yaml', 'utf8');
const example = () => parse(exampleText) as { apps: Record<string, any>[] };

function issuesOf(document: unknown): string[] {
  try {
    validateConfig(document);
  } catch (error) {
    if (error instanceof ConfigError) return error.issues.map((i) => `${i.path}: ${i.message}`);
    throw error;
  }
  throw new Error('expected the configuration to be invalid');
}

describe('the configuration', () => {
  it('accepts the example that ships with the repository', () => {
    const config = parseConfig(exampleText);
    expect(config.apps.map((app) => app.name)).toEqual(['payments', 'catalog', 'checkout']);
    expect(config.apps[1]!.policy.activeWeight).toBe(100);
  });

  it('names the path of a missing field, as in apps[1].regions[0].route53.setIdentifier: required', () => {
    const document = example();
    delete document.apps[1]!.regions[0].route53.setIdentifier;
    expect(issuesOf(document)).toEqual(['apps[1].regions[0].route53.setIdentifier: required']);
  });

  it('lists every problem at once', () => {
    const document = example();
    document.apps[0]!.regions[0].eks.nodegroups[0].promoted.desiredSize = 99;
    document.apps[0]!.regions[1].route53.recordName = 'other.example.com';
    document.apps[1]!.slack.webhook = 'https://hooks.slack.com/services/T/B/secret';
    document.apps[1]!.policy.rpoMinutes = 0;
    const issues = issuesOf(document);
    expect(issues).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^apps\[0\]\.regions\[0\]\.eks\.nodegroups\[0\]\.promoted: must satisfy minSize <= desiredSize <= maxSize/),
        expect.stringMatching(/^apps\[0\]\.regions\[1\]\.route53\.recordName: must equal regions\[0\]/),
        expect.stringMatching(/^apps\[1\]\.slack\.webhook: /),
        expect.stringMatching(/^apps\[1\]\.policy\.rpoMinutes: /),
      ]),
    );
    expect(issues).toHaveLength(4);
  });

  it.each([
    ['an unknown key (a typo)', (d: any) => (d.apps[0].polcy = {}), /^apps\[0\]: Unrecognized key: "polcy"/],
    ['a duplicate app', (d: any) => (d.apps[1].name = 'payments'), /^apps\[1\]\.name: duplicate app name payments/],
    ['an alarm mapped twice', (d: any) => (d.apps[1].regions[0].alarms[0].name = 'payments-use1-api-5xx', (d.apps[1].regions[0].alarms[0].region = 'us-east-1')), /alarms\[0\]\.name: alarm payments-use1-api-5xx is already mapped by apps\[0\]/],
    ['a single region', (d: any) => d.apps[0].regions.pop(), /^apps\[0\]\.regions: an app needs at least two regions/],
    ['a hostile region name', (d: any) => (d.apps[0].regions[0].name = 'us-east-1; rm -rf /'), /^apps\[0\]\.regions\[0\]\.name: must be an AWS region code/],
    ['an alarm name with control characters', (d: any) => (d.apps[0].regions[0].alarms[0].name = 'bad\u0007name'), /alarms\[0\]\.name: must not contain control characters/],
    ['a weight out of range', (d: any) => (d.apps[0].policy.activeWeight = 256), /^apps\[0\]\.policy\.activeWeight: /],
  ])('rejects %s, naming the field', (_what, mutate, expected) => {
    const document = example();
    mutate(document);
    expect(issuesOf(document).join('\n')).toMatch(expected);
  });

  it('reports YAML syntax errors as configuration errors', () => {
    expect(() => parseConfig('apps: [')).toThrow(ConfigError);
  });

  it('exports a JSON Schema for editors', () => {
    const schema = configJsonSchema();
    expect(schema).toMatchObject({ type: 'object', required: expect.arrayContaining(['version', 'apps']) });
    expect(JSON.stringify(schema)).toContain('setIdentifier');
  });
});

describe('the committed JSON Schema (lifeboat.schema.json)', () => {
  it('is the one the configuration model exports (regenerate with `npm run schema`)', () => {
    expect(JSON.parse(readFileSync('lifeboat.schema.json', 'utf8'))).toEqual(configJsonSchema());
  });
});
