import { loadConfigFile } from '../config-file.js';
import { perRuntime, runtimeOptions } from '../runtime-options.js';

/** The configuration, for the evacuation steps that resolve apps by name (as the triggers load it). */
export const evacuationConfig = perRuntime(() => runtimeOptions().config ?? loadConfigFile());

/** The account's Route 53 request rate (LIFEBOAT_ROUTE53_RPS when the quota was raised; 5 otherwise). */
export function route53RequestsPerSecond(): number | undefined {
  const value = Number(process.env.LIFEBOAT_ROUTE53_RPS);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}
