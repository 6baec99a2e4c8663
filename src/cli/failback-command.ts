import type { LifeboatConfig } from '../domain/config.js';
import { InputValidationError } from '../domain/errors.js';
import { activeRegionOf } from '../planning/plan.js';
import { appArgument, differentFrom, regionArgument } from './args.js';
import { withPorts } from './ports.js';

export interface FailbackOptions {
  to?: string;
  local?: boolean;
  json?: boolean;
}

/**
 * `lifeboat failback APP [--to REGION]`: traffic back to the app's primary (or REGION) after a
 * failover. The arguments are checked now (unknown app or region, a target that already serves the
 * app: exit 2); starting the failback workflow waits for statemachines/failback.asl.json.
 */
export async function failbackCommand(config: LifeboatConfig, appName: string, options: FailbackOptions, _out: (text: string) => void): Promise<number> {
  const app = appArgument(config, appName);
  const to = regionArgument(app, options.to ?? app.regions[0]!.name, '--to');
  await withPorts(config, options.local, async (ports) => {
    const active = await activeRegionOf(ports, app);
    differentFrom(to, active.region.name, app);
  });
  throw new InputValidationError([{ path: 'failback', message: `not available yet: the failback workflow (statemachines/failback.asl.json) is not part of this version; to move ${app.name} to ${to.name} now, run a manual failover` }], 'arguments');
}
