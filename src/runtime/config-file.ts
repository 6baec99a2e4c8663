import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parseConfig, type LifeboatConfig } from '../domain/config.js';

/**
 * Where the configuration file is: `LIFEBOAT_CONFIG_FILE` (relative paths from the Lambda task root
 * when deployed, the working directory otherwise), `lifeboat.config.yaml` by default.
 */
export function configPath(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const file = env.LIFEBOAT_CONFIG_FILE || 'lifeboat.config.yaml';
  return isAbsolute(file) ? file : resolve(env.LAMBDA_TASK_ROOT ?? process.cwd(), file);
}

export function loadConfigFile(path = configPath()): LifeboatConfig {
  return parseConfig(readFileSync(path, 'utf8'), path);
}
