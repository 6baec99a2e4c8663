import type { LifeboatConfig } from '../domain/config.js';
import { appStatus, type AppStatus } from '../planning/status.js';
import { appArgument } from './args.js';
import { EXIT } from './exit-codes.js';
import { withPorts } from './ports.js';
import { colours, wantsColour, type Colors } from './style.js';

export interface StatusOptions {
  local?: boolean;
  json?: boolean;
}

/** `lifeboat status [APP]`: every app (or one), read-only. Exit 0; 1 when something could not be read. */
export async function statusCommand(config: LifeboatConfig, appName: string | undefined, options: StatusOptions, out: (text: string) => void): Promise<number> {
  const apps = appName ? [appArgument(config, appName)] : config.apps;
  const statuses = await withPorts(config, options.local, async (ports) => {
    const found: AppStatus[] = [];
    for (const app of apps) found.push(await appStatus(ports, app));
    return found;
  });
  if (options.json) out(`${JSON.stringify({ apps: statuses }, null, 2)}\n`);
  else {
    const c = colours(wantsColour());
    out(`${statuses.map((status) => renderStatus(status, c)).join('\n\n')}\n`);
    if (options.local) out(c.dim(`\n(local: Route 53 and the clusters are built from the configuration for each command, locks and cooldowns start over; incidents are read from the audit trails in .lifeboat/)\n`));
  }
  return statuses.some((status) => status.errors.length > 0) ? EXIT.failed : EXIT.ok;
}

export function renderStatus(status: AppStatus, c: Colors): string {
  const lines = [c.bold(status.app)];
  lines.push(`  active     ${c.bold(status.activeRegion)}${c.dim(status.activeSource === 'recorded' ? ' (since its last failover)' : ' (configured primary; no failover recorded)')}`);
  lines.push(`  lock       ${status.lock ? c.yellow(`held by ${status.lock.incidentId} since ${status.lock.acquiredAt}, lease until ${status.lock.leaseExpiresAt}`) : 'free'}`);
  lines.push(`  cooldown   ${status.cooldown ? c.yellow(`until ${status.cooldown.until} (after ${status.cooldown.incidentId}, away from ${status.cooldown.failedAwayFrom}): automatic failovers suppressed`) : 'none'}`);
  const last = status.lastIncident;
  if (last) {
    const colour = last.outcome === 'succeeded' ? c.green : last.outcome === 'in progress' || last.outcome === 'refused' || last.outcome === 'incomplete' ? c.yellow : c.red;
    lines.push(`  last       ${last.incidentId} ${c.dim(`(${[last.mode, last.from && last.to ? `${last.from} → ${last.to}` : null, last.at].filter(Boolean).join(', ')})`)}: ${colour(last.outcome)}`);
  } else lines.push('  last       no incident recorded');
  lines.push('  regions');
  for (const region of status.regions) {
    const health = region.health
      ? region.health.healthy
        ? c.green(`healthy (${region.health.healthyCheckers}/${region.health.totalCheckers} checkers)`)
        : c.red(`UNHEALTHY (${region.health.healthyCheckers}/${region.health.totalCheckers} checkers)`)
      : c.red(`health check unreadable: ${region.error}`);
    const marker = region.name === status.activeRegion ? '*' : ' ';
    lines.push(`   ${marker} ${region.name.padEnd(15)} weight ${String(region.weight ?? '?').padStart(3)}  ${health}`);
  }
  for (const error of status.errors) lines.push(c.red(`  could not read ${error}`));
  return lines.join('\n');
}
