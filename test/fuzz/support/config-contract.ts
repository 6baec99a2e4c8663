/** The contract both configuration entry points keep, and the example document to break. */
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { validateConfig, type LifeboatConfig } from '../../../src/domain/config.js';
import { parseConfig } from '../../../src/domain/config-yaml.js';
import { ConfigError } from '../../../src/domain/errors.js';
import { ensure, ensureNamedIssues, ensureRootIssueNamesKeys, outcomeOf, pathPointsInto, show } from './fuzz.js';

export const EXAMPLE_TEXT = readFileSync('lifeboat.config.yaml', 'utf8');
const EXAMPLE_JSON = JSON.stringify(parseYaml(EXAMPLE_TEXT));
/** A configuration document the tests reach into and break. */
export type Doc = Record<string, any>;
export const example = (): Doc => JSON.parse(EXAMPLE_JSON) as Doc;

/** `apps[1].regions[0].route53.setIdentifier`: schema keys and indexes only (the model has no free-form maps). */
const CONFIG_PATH = /^[A-Za-z]\w*(?:\[\d+\]|\.[A-Za-z]\w*)*$/;
const isPlainObject = (value: unknown) => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The property for a parsed document: a configuration, or ConfigError naming paths that exist in it. */
export function ensureDocumentContract(document: unknown, result: ReturnType<typeof outcomeOf<LifeboatConfig, ConfigError>>): void {
  if (result.ok) {
    ensure(result.value.version === 1 && result.value.apps.length > 0, () => `accepted ${show(result.value)}`);
    return;
  }
  const { issues } = result.error;
  // The root (`''`, printed `(root)`) is named only when the document is no mapping or has a stray top-level key.
  ensureNamedIssues(issues, (path, issue) => (path === '' ? !isPlainObject(document) || /unrecognized key/i.test(issue.message) : CONFIG_PATH.test(path) && pathPointsInto(document, path)));
  ensureRootIssueNamesKeys(issues);
}

export function ensureValidateContract(document: unknown): void {
  ensureDocumentContract(document, outcomeOf(() => validateConfig(document), ConfigError));
}

/** Text: a YAML syntax error is one `(yaml)` issue; otherwise the document's contract holds. */
export function ensureParseContract(text: string): void {
  const result = outcomeOf(() => parseConfig(text), ConfigError);
  if (!result.ok && result.error.issues.some((issue) => issue.path === '(yaml)')) {
    ensure(result.error.issues.length === 1, () => `(yaml) mixed with other issues: ${show(result.error.issues)}`);
    ensureNamedIssues(result.error.issues);
    return;
  }
  // Field issues are checked against the document the text holds (parsed again only then: YAML is the slow part).
  ensureDocumentContract(result.ok ? undefined : parseYaml(text, { prettyErrors: true, maxAliasCount: 100 }), result);
}
