import type { LifeboatConfig } from '../domain/config.js';
import { activeRegionOf, planFailover, type FailoverPlan } from '../planning/plan.js';
import { appArgument, differentFrom, regionArgument } from './args.js';
import { EXIT } from './exit-codes.js';
import { withPorts } from './ports.js';
import { colours, wantsColour, type Colors } from './style.js';

export interface PlanOptions {
  to: string;
  local?: boolean;
  json?: boolean;
}

/**
 * `lifeboat plan APP --to REGION`: the dry run. Arguments are checked against the configuration
 * first (exit 2 naming the field); then the current state is read and the plan printed. Exit 0
 * when the failover would go ahead, 1 when something would refuse it. Changes nothing.
 */
export async function planCommand(config: LifeboatConfig, appName: string, options: PlanOptions, out: (text: string) => void): Promise<number> {
  const app = appArgument(config, appName);
  const to = regionArgument(app, options.to, '--to');
  const plan = await withPorts(config, options.local, async (ports) => {
    const active = await activeRegionOf(ports, app);
    differentFrom(to, active.region.name, app);
    return planFailover(ports, app, active.region, to, active.source);
  });
  out(options.json ? `${JSON.stringify(plan, null, 2)}\n` : `${renderPlan(plan, colours(wantsColour()), options.local)}\n`);
  return plan.refusals.length === 0 ? EXIT.ok : EXIT.failed;
}

function sizes(s: { minSize: number; desiredSize: number; maxSize: number }): string {
  return `min ${s.minSize} / desired ${s.desiredSize} / max ${s.maxSize}`;
}

/** The plan as an operator reads it: one line per change, unchanged things marked so. */
export function renderPlan(plan: FailoverPlan, c: Colors, local?: boolean): string {
  const arrow = (changes: boolean, before: string, after: string) => (changes ? `${before} → ${c.bold(after)}` : `${before} ${c.dim('(unchanged)')}`);
  const lines = [
    c.bold(`Plan: fail ${plan.app} over from ${plan.from} to ${plan.to}`) + c.dim(` (dry run at ${plan.plannedAt}${local ? ' in the local world' : ''}; nothing was changed)`),
    c.dim(`${plan.from} serves ${plan.app} ${plan.fromSource === 'recorded' ? 'since its last failover' : '(its configured primary; no failover recorded)'}`),
    '',
    'weights (Route 53)',
  ];
  for (const [setId, before] of Object.entries(plan.weights.before)) {
    const after = plan.weights.after?.[setId];
    lines.push(`  ${setId.padEnd(28)} ${after === undefined ? `${before} ${c.dim('(not planned)')}` : arrow(plan.weights.changed.includes(setId), String(before), String(after))}`);
  }
  if (Object.keys(plan.weights.before).length === 0) lines.push(c.dim('  (none read)'));
  lines.push(`node groups (${plan.to})`);
  for (const group of plan.nodegroups) lines.push(`  ${group.name.padEnd(28)} ${arrow(group.changes, sizes(group.before), sizes(group.after))}${group.status === 'ACTIVE' ? '' : c.yellow(` [${group.status}]`)}`);
  lines.push(`deployments (${plan.to})`);
  for (const d of plan.deployments) lines.push(`  ${`${d.namespace}/${d.name}`.padEnd(28)} ${arrow(d.changes, `${d.before} replicas`, `${d.after} replicas`)}`);
  lines.push('restore (Velero)');
  if (plan.restore) {
    const age = `${plan.restore.backup.ageMinutes} min old, completed ${plan.restore.backup.completedAt}`;
    lines.push(`  ${plan.restore.backup.name} (${plan.restore.withinRpo ? age : c.red(`${age}: over the RPO`)}) into ${plan.restore.cluster}${plan.restore.includedNamespaces ? `, namespaces ${plan.restore.includedNamespaces.join(', ')}` : ''}`);
  } else lines.push(c.red('  no Completed backup to restore'));
  if (plan.cooldown) lines.push(c.dim(`cooldown   until ${plan.cooldown.until} after ${plan.cooldown.incidentId}: automatic failovers are suppressed; this manual one is not`));
  lines.push('');
  if (plan.refusals.length === 0) lines.push(c.green('preflight would pass: the failover would go ahead with these changes'));
  else {
    lines.push(c.red(c.bold(`the failover would be refused (${plan.refusals.length} reason${plan.refusals.length === 1 ? '' : 's'}); nothing would change:`)));
    for (const reason of plan.refusals) lines.push(`  - ${reason}`);
  }
  return lines.join('\n');
}
