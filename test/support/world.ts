import { readFileSync } from 'node:fs';
import type { LifeboatConfig } from '../../src/domain/config.js';
import { parseConfig } from '../../src/domain/config-yaml.js';
import { localHandlers } from '../../src/local/handlers.js';
import { lambdaContext } from '../../src/local/lambda-context.js';
import { SimulatedWorld } from '../../src/local/world.js';

export const exampleConfigText = readFileSync('lifeboat.config.yaml', 'utf8');

/** The example configuration, optionally changed by `edit` (applied to the parsed YAML document). */
export function exampleConfig(edit?: (config: LifeboatConfig) => void): LifeboatConfig {
  const config = parseConfig(exampleConfigText);
  edit?.(config);
  return config;
}

/** Invokes a deployed handler by its serverless.yml function name, as Lambda would. */
export function invoke(functionName: string, event: unknown): Promise<unknown> {
  return localHandlers[functionName]!(event, lambdaContext(functionName));
}

/** Runs `body` in a fresh simulated world and always tears it down. */
export async function withWorld<T>(body: (world: SimulatedWorld) => Promise<T>, config = exampleConfig()): Promise<T> {
  const world = await SimulatedWorld.create({ config });
  try {
    return await body(world);
  } finally {
    await world.close();
  }
}
