import { parse as parseYaml, YAMLParseError } from 'yaml';
import { validateConfig, type LifeboatConfig } from './config.js';
import { ConfigError, type FieldIssue } from './errors.js';

/*
 * The YAML text of the configuration, apart from its model (./config.ts): `yaml` is about 110 KB
 * of bundled JavaScript, and only what reads the file needs it (the CLI, the triggers' container
 * start through src/runtime/config-file.ts). The workflow steps import the model through the
 * failover request and never see YAML.
 */

/** Parses and validates the YAML text of `lifeboat.config.yaml`. */
export function parseConfig(text: string, source = 'lifeboat.config.yaml'): LifeboatConfig {
  let document: unknown;
  try {
    document = parseYaml(text, { prettyErrors: true, maxAliasCount: 100 });
  } catch (error) {
    const issue: FieldIssue = { path: '(yaml)', message: error instanceof YAMLParseError ? error.message : String(error) };
    throw new ConfigError([issue], source);
  }
  return validateConfig(document, source);
}
