import { userInfo } from 'node:os';
import type { LifeboatConfig } from '../domain/config.js';
import { InputValidationError } from '../domain/errors.js';
import { localHandlers } from '../local/handlers.js';
import { lambdaContext } from '../local/lambda-context.js';
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
 * `lifeboat drill APP --to REGION`: a drill of one app, started as an operator's manual request
 * (mode `drill`: the same lock, the same deterministic execution name, the app's approval policy
 * for drills) and followed live to its end. `lifeboat drill --region R`: every app of R evacuated on
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
  if (!options.local) {
    refuse('--local', 'a drill on AWS starts the drill state machine, which is not deployed by this version yet: run it in the embedded runtime with --local');
  }
  const colour = wantsColour(options.json);
  const c = colours(colour);
  const write = (line: string) => out(`${line}\n`);
  // A manual request acts in its target region's stack, so the local world runs there.
  return withPorts(
    config,
    true,
    async (ports, session) => {
      const world = session!.world;
      const active = await activeRegionOf(ports, app);
      differentFrom(to, active.region.name, app);
      const before = world.weights(app.name);
      const printer = options.json ? undefined : progressPrinter(write, colour);
      followExecutions(() => (event) => printer?.({ kind: 'step', event, at: world.clock.now() }));
      try {
        if (!options.json) write(c.dim(`drill: ${app.name} ${active.region.name} → ${to.name} in the local world (virtual time; home region ${world.homeRegion})`));
        const started = (await localHandlers.manualTrigger!(
          { actor: localActor(), app: app.name, from: active.region.name, to: to.name, mode: 'drill', reason: options.reason ?? `DR drill of ${app.name} from the command line` },
          lambdaContext('manualTrigger'),
        )) as { incidentId: string; executionName: string; alreadyStarted: boolean };
        if (!options.json) write(`${c.bold('manual-trigger')}: ${started.alreadyStarted ? 'already started' : 'started'} ${c.cyan(started.executionName)}`);
        const outcomes = await world.sfn.settle();
        const outcome = outcomes.find((o) => o.name === started.executionName);
        const records = await world.auditTrail(started.incidentId);
        const report = buildDrillReport({ incidentId: started.incidentId, records, verification: { breaks: [] }, targets: { rpoMinutes: app.policy.rpoMinutes, rtoMinutes: app.policy.rtoMinutes }, generatedAt: world.clock.now() });
        const after = world.weights(app.name);
        const result = {
          outcome: report.outcome,
          reason: report.outcomeReason,
          incidentId: started.incidentId,
          app: app.name,
          from: active.region.name,
          to: report.to ?? to.name,
          status: outcome?.status ?? null,
          error: outcome?.status === 'FAILED' ? `${outcome.error}: ${outcome.cause}` : null,
          rtoSeconds: report.rto.seconds,
          rpoSeconds: report.rpo.seconds,
          weights: { before, after },
          steps: (outcome?.steps ?? []).map(({ name, status, start, end }) => ({ name, status, start, end })),
        };
        if (options.json) out(`${JSON.stringify(result, null, 2)}\n`);
        else {
          const ok = outcome?.status === 'SUCCEEDED';
          write('');
          write(ok ? c.green(c.bold(`Drill succeeded: ${app.name} ${result.from} → ${result.to}, RTO ${formatSeconds(result.rtoSeconds)} (simulated)`)) : c.red(c.bold(`Drill ${report.outcome}: ${app.name} ${result.from} → ${result.to}: ${result.error ?? report.outcomeReason}`)));
          write(`incident   ${started.incidentId}`);
          write(`weights    ${Object.keys({ ...before, ...after }).map((id) => `${id} ${before[id]}→${after[id]}`).join(', ')}`);
          write(`report     lifeboat report ${started.incidentId} --local --out drill.html`);
        }
        return outcome?.status === 'SUCCEEDED' ? EXIT.ok : EXIT.failed;
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
