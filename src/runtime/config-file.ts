import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { LifeboatConfig } from '../domain/config.js';
import { parseConfig } from '../domain/config-yaml.js';
import { ConfigError } from '../domain/errors.js';

/**
 * Where the configuration file is: `LIFEBOAT_CONFIG_FILE` (relative paths from the Lambda task root
 * when deployed, the working directory otherwise), `lifeboat.config.yaml` by default.
 */
export function configPath(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const file = env.LIFEBOAT_CONFIG_FILE || 'lifeboat.config.yaml';
  return isAbsolute(file) ? file : resolve(env.LAMBDA_TASK_ROOT ?? process.cwd(), file);
}

export function loadConfigFile(path = configPath()): LifeboatConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([{ path: '(file)', message: `cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` }], path);
  }
  return parseConfig(text, path);
}
