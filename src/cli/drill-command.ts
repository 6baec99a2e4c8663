import { userInfo } from 'node:os';
import type { LifeboatConfig } from '../domain/config.js';
import { InputValidationError } from '../domain/errors.js';
import { deployedArn, drillNeedsApproval, runLocally, runOnAws, workflowName } from './workflow-run.js';
import { activeRegionOf } from '../planning/plan.js';
import { buildDrillReport } from '../report/index.js';
import { formatSeconds } from '../report/format.js';
import { anyRegionArgument, appArgument, differentFrom, regionArgument } from './args.js';
import { EXIT } from './exit-codes.js';
import { followExecutions } from './local-world.js';
import { withPorts } from './ports.js';
import { progressPrinter } from './simulate-output.js';
import { colours, wantsColour } from './style.js';

export interface DrillOptions {
  to?: string;
  region?: string;
  reason?: string;
  local?: boolean;
  json?: boolean;
  /** Local runs: who approves the drill when its approval gate opens. */
  approveAs?: string;
  /** AWS: the drill state machine's ARN (default: $LIFEBOAT_DRILL_STATE_MACHINE_ARN). */
  stateMachine?: string;
}

/** Who the embedded runtime records as the operator. */
export function localActor(): string {
  let name = process.env.USER ?? 'operator';
  try {
    name = userInfo().username;
  } catch {
    // no user database entry (containers): keep $USER
  }
  return `local:${name}`;
}

function refuse(path: string, message: string): never {
  throw new InputValidationError([{ path, message }], 'arguments');
}

/**
 * `lifeboat drill APP --to REGION`: the drill workflow (statemachines/drill.asl.json: the failover
 * nested, a hold while verifying, the failback nested, the report posted) started for one app and
 * followed live to its end. `lifeboat drill --region R`: every app of R evacuated on
 * purpose. Exit 0 when the run succeeded, 1 otherwise, 2 on bad input.
 */
export async function drillCommand(config: LifeboatConfig, appName: string | undefined, options: DrillOptions, out: (text: string) => void): Promise<number> {
  if (options.region !== undefined) {
    if (appName !== undefined || options.to !== undefined) refuse('--region', 'evacuates every app of a region: give either APP --to REGION or --region REGION, not both');
    return evacuationDrill(config, anyRegionArgument(config, options.region), options, out);
  }
  if (appName === undefined) refuse('APP', 'required (or --region REGION to evacuate a whole region)');
  const app = appArgument(config, appName);
  if (options.to === undefined) refuse('--to', 'required: the region the drill moves the app to');
  const to = regionArgument(app, options.to, '--to');
  const reason = options.reason ?? `DR drill of ${app.name} from the command line`;
  const colour = wantsColour(options.json);
  const c = colours(colour);
  const write = (line: string) => out(`${line}\n`);
  if (!options.local) {
    // On AWS: the deployed drill state machine, followed through its incident's audit trail.
    const arn = deployedArn(options.stateMachine, 'LIFEBOAT_DRILL_STATE_MACHINE_ARN', 'drill');
    const name = workflowName('drill', app.name, new Date());
    if (!options.json) write(c.dim(`drill: ${app.name} → ${to.name} (${name}); approve it from Slack or with lifeboat approve ${name} if the app's policy asks`));
    const state = await runOnAws(arn, name, { app: app.name, to: to.name, actor: localActor(), reason }, (record) => {
      if (!options.json) write(`${record.at} ${record.step} ${record.outcome}${record.error ? `: ${record.error}` : ''}`);
    });
    if (options.json) out(`${JSON.stringify({ incidentId: name, status: state.status, error: state.error ?? null }, null, 2)}\n`);
    else write(state.status === 'SUCCEEDED' ? c.green(c.bold(`Drill succeeded: ${name}; report: lifeboat report ${name}`)) : c.red(c.bold(`Drill ${state.status}: ${state.error ?? ''} ${state.cause ?? ''}`)));
    return state.status === 'SUCCEEDED' ? EXIT.ok : EXIT.failed;
  }
  // The drill's failover acts in its target region's stack, so the local world runs there.
  return withPorts(
    config,
    true,
    async (ports, session) => {
      const world = session!.world;
      const active = await activeRegionOf(ports, app);
      differentFrom(to, active.region.name, app);
      if (drillNeedsApproval(config, app.name) && !options.approveAs) {
        refuse('--approve-as', `${app.name}'s drills need an approval (policy.approval.drill): give --approve-as NAME to approve it when its gate opens in the local world (on AWS: the Slack buttons or lifeboat approve)`);
      }
      const before = world.weights(app.name);
      const printer = options.json ? undefined : progressPrinter(write, colour);
      followExecutions(() => (event) => printer?.({ kind: 'step', event, at: world.clock.now() }));
      try {
        const name = workflowName('drill', app.name, world.clock.now());
        if (!options.json) write(c.dim(`drill: ${app.name} ${active.region.name} → ${to.name} and back, in the local world (virtual time; the drill workflow: failover, hold, failback, report)`));
        const run = await runLocally(world, world.workflowArns.drill, name, { app: app.name, to: to.name, actor: localActor(), reason }, options.approveAs);
        const { outcome } = run;
        const records = await world.auditTrail(name);
        const report = buildDrillReport({ incidentId: name, records, verification: { breaks: [] }, targets: { rpoMinutes: app.policy.rpoMinutes, rtoMinutes: app.policy.rtoMinutes }, generatedAt: world.clock.now() });
        const after = world.weights(app.name);
        const result = {
          outcome: report.outcome,
          reason: report.outcomeReason,
          incidentId: name,
          app: app.name,
          from: active.region.name,
          to: report.to ?? to.name,
          status: outcome.status,
          error: outcome.status !== 'SUCCEEDED' ? `${outcome.error}: ${outcome.cause}` : null,
          rtoSeconds: report.rto.seconds,
          rpoSeconds: report.rpo.seconds,
          weights: { before, after },
          executions: world.sfn.list().filter((e) => e.name.startsWith(name)).map((e) => ({ name: e.name, status: e.status })),
        };
        if (options.json) out(`${JSON.stringify(result, null, 2)}\n`);
        else {
          const ok = outcome.status === 'SUCCEEDED';
          write('');
          write(ok ? c.green(c.bold(`Drill succeeded: ${app.name} ${result.from} → ${result.to} and back; RTO ${formatSeconds(result.rtoSeconds)}, RPO ${formatSeconds(result.rpoSeconds)} (simulated)`)) : c.red(c.bold(`Drill ${outcome.status.toLowerCase()}: ${app.name} ${result.from} → ${result.to}: ${result.error ?? report.outcomeReason}`)));
          write(`incident   ${name}`);
          write(`runs       ${result.executions.map((e) => `${e.name} ${e.status}`).join(', ')}`);
          write(`weights    ${Object.keys({ ...before, ...after }).map((id) => `${id} ${before[id]}→${after[id]}`).join(', ')}`);
          write(`report     lifeboat report ${name} --local --out drill.html`);
        }
        return outcome.status === 'SUCCEEDED' ? EXIT.ok : EXIT.failed;
      } finally {
        followExecutions(undefined);
      }
    },
    { homeRegion: to.name },
  );
}

/** `drill --region R`: every app of R moved away on purpose, through the evacuation workflow. */
async function evacuationDrill(config: LifeboatConfig, region: string, options: DrillOptions, out: (text: string) => void): Promise<number> {
  if (!options.local) refuse('--local', 'a region drill on AWS invokes the evacuate trigger, which this command does not call yet: run it in the embedded runtime with --local');
  const { evacuationDrillLocal } = await import('./evacuation-drill.js');
  return evacuationDrillLocal(config, region, options, out);
}
