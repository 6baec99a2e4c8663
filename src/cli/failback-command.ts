import type { LifeboatConfig } from '../domain/config.js';
import { activeRegionOf } from '../planning/plan.js';
import { formatSeconds } from '../report/format.js';
import { appArgument, differentFrom, regionArgument } from './args.js';
import { localActor } from './drill-command.js';
import { EXIT } from './exit-codes.js';
import { followExecutions } from './local-world.js';
import { withPorts } from './ports.js';
import { progressPrinter } from './simulate-output.js';
import { colours, wantsColour } from './style.js';
import { deployedArn, runLocally, runOnAws, workflowName } from './workflow-run.js';

export interface FailbackOptions {
  to?: string;
  reason?: string;
  local?: boolean;
  json?: boolean;
  stateMachine?: string;
}

/**
 * `lifeboat failback APP [--to REGION]`: the failback workflow (statemachines/failback.asl.json)
 * returns the app's traffic to its primary (or REGION) once that has been healthy for
 * `failback.healthyForMinutes`, in verified steps, and is followed live to its end. Bad input (unknown
 * app or region, a target that already serves the app): exit 2, nothing started.
 */
export async function failbackCommand(config: LifeboatConfig, appName: string, options: FailbackOptions, out: (text: string) => void): Promise<number> {
  const app = appArgument(config, appName);
  const to = regionArgument(app, options.to ?? app.regions[0]!.name, '--to');
  const reason = options.reason ?? `failback of ${app.name} to ${to.name} from the command line`;
  const colour = wantsColour(options.json);
  const c = colours(colour);
  const write = (line: string) => out(`${line}\n`);
  if (!options.local) {
    const arn = deployedArn(options.stateMachine, 'LIFEBOAT_FAILBACK_STATE_MACHINE_ARN', 'failback');
    await withPorts(config, false, async (ports) => differentFrom(to, (await activeRegionOf(ports, app)).region.name, app));
    const name = workflowName('failback', app.name, new Date());
    const state = await runOnAws(arn, name, { app: app.name, to: to.name, actor: localActor(), reason }, (record) => {
      if (!options.json) write(`${record.at} ${record.step} ${record.outcome}${record.error ? `: ${record.error}` : ''}`);
    });
    if (options.json) out(`${JSON.stringify({ incidentId: name, status: state.status, error: state.error ?? null }, null, 2)}\n`);
    else write(state.status === 'SUCCEEDED' ? c.green(c.bold(`Failback succeeded: ${name}`)) : c.red(c.bold(`Failback ${state.status}: ${state.error ?? ''} ${state.cause ?? ''}`)));
    return state.status === 'SUCCEEDED' ? EXIT.ok : EXIT.failed;
  }
  return withPorts(config, true, async (ports, session) => {
    const world = session!.world;
    const active = await activeRegionOf(ports, app);
    differentFrom(to, active.region.name, app);
    const before = world.weights(app.name);
    const printer = options.json ? undefined : progressPrinter(write, colour);
    followExecutions(() => (event) => printer?.({ kind: 'step', event, at: world.clock.now() }));
    try {
      const name = workflowName('failback', app.name, world.clock.now());
      const started = world.clock.now().getTime();
      const { outcome } = await runLocally(world, world.workflowArns.failback, name, { app: app.name, to: to.name, actor: localActor(), reason });
      const after = world.weights(app.name);
      const result = { incidentId: name, app: app.name, from: active.region.name, to: to.name, status: outcome.status, error: outcome.status !== 'SUCCEEDED' ? `${outcome.error}: ${outcome.cause}` : null, seconds: Math.round((world.clock.now().getTime() - started) / 1000), weights: { before, after } };
      if (options.json) out(`${JSON.stringify(result, null, 2)}\n`);
      else {
        write('');
        write(outcome.status === 'SUCCEEDED' ? c.green(c.bold(`Failback succeeded: ${app.name} ${active.region.name} → ${to.name} in ${formatSeconds(result.seconds)} (simulated)`)) : c.red(c.bold(`Failback ${outcome.status.toLowerCase()}: ${result.error}`)));
        write(`incident   ${name}`);
        write(`weights    ${Object.keys({ ...before, ...after }).map((id) => `${id} ${before[id]}→${after[id]}`).join(', ')}`);
      }
      return outcome.status === 'SUCCEEDED' ? EXIT.ok : EXIT.failed;
    } finally {
      followExecutions(undefined);
    }
  });
}
