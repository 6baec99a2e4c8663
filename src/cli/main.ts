import { readFileSync, writeFileSync } from 'node:fs';
import { Command, CommanderError, Option } from 'commander';
import { configJsonSchema } from '../domain/config.js';
import { ConfigError, InputValidationError, formatIssues } from '../domain/errors.js';
import { parseFault } from '../local/faults.js';
import { SCENARIO_SPECS, SCENARIOS, simulate, type Scenario } from '../local/simulate.js';
import { StateDir } from '../local/state-dir.js';
import { auditCommand } from './audit-command.js';
import { configPath, loadConfigFile } from '../runtime/config-file.js';
import { incidentIdArgument } from './args.js';
import { EXIT } from './exit-codes.js';
import { progressPrinter, summary } from './simulate-output.js';


function readEventFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new InputValidationError([{ path: '--event', message: `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}` }], 'arguments');
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new InputValidationError([{ path: file, message: `not valid JSON (${(error as Error).message})` }], 'event file');
  }
}

/**
 * Builds the `lifeboat` program; `main` runs it and turns errors into exit codes. A command reports
 * its exit code through `exit`, never `process.exitCode`: main also runs in-process (tests, scripts),
 * where a global exit code outlives the call and fails whatever process hosts it.
 */
export function program(out: (text: string) => void, err: (text: string) => void, exit: (code: number) => void): Command {
  const cli = new Command('lifeboat')
    .description('Failover orchestrator for multi-region EKS on AWS')
    .option('-c, --config <file>', 'configuration file (default: $LIFEBOAT_CONFIG_FILE or lifeboat.config.yaml)')
    .option('--verbose', "also print the handlers' structured (JSON) logs")
    .showHelpAfterError()
    .exitOverride()
    .configureOutput({ writeOut: out, writeErr: err });

  const configFile = () => (cli.opts().config as string | undefined) ?? configPath();

  // Every command that takes an incident id refuses a malformed one (exit 2) before it reads anything
  // (`report` checks its own, with its own wording).
  cli.hook('preAction', (_root, command) => {
    if (command.name() === 'report') return;
    command.registeredArguments.forEach((argument, index) => {
      const value = command.processedArgs[index] as unknown;
      if (argument.name() === 'incident' && typeof value === 'string') incidentIdArgument(value);
    });
  });

  cli
    .command('validate')
    .description('check the configuration file; lists every problem, each with its path. With --live, also that every resource it names exists and matches (exit 1 when one does not)')
    .option('--live', 'also check the live resources: hosted zone, weighted record, health check, cluster (ACTIVE), node groups, alarms, and Kubernetes API access')
    .option('--local', "with --live: check the embedded default's world instead of AWS")
    .option('--json', 'print the result as JSON')
    .action(async (options: { json?: boolean; live?: boolean; local?: boolean }) => {
      const file = configFile();
      const config = loadConfigFile(file);
      const { validateCommand } = await import('./validate-command.js');
      exit(await validateCommand(file, config, options, out));
    });

  cli
    .command('plan')
    .description('dry run: read the current state and print what a failover of APP to REGION would change (weights, node groups, deployments, the backup it would restore and its age) and what preflight would refuse; changes nothing (exit 1 when it would be refused)')
    .argument('<app>', 'the app to fail over')
    .requiredOption('--to <region>', 'the region to fail over to')
    .option('--local', "plan against the embedded default's world instead of AWS")
    .option('--json', 'print the plan as JSON')
    .action(async (app: string, options: { to: string; local?: boolean; json?: boolean }) => {
      const { planCommand } = await import('./plan-command.js');
      exit(await planCommand(loadConfigFile(configFile()), app, options, out));
    });

  cli
    .command('status')
    .description('where each app stands: active region, failover lock (incident, since, lease), cooldown, last incident and its outcome, weights, health of each region (exit 1 when something could not be read)')
    .argument('[app]', 'one app (default: every app)')
    .option('--local', "the embedded default's world instead of AWS")
    .option('--json', 'print the status as JSON')
    .action(async (app: string | undefined, options: { local?: boolean; json?: boolean }) => {
      const { statusCommand } = await import('./status-command.js');
      exit(await statusCommand(loadConfigFile(configFile()), app, options, out));
    });

  cli
    .command('drill')
    .description('start a DR drill of APP to REGION and follow it live to its end (--local: in the embedded runtime); --region R evacuates every app of R on purpose. Exit 0 when the drill succeeded')
    .argument('[app]', 'the app to drill')
    .option('--to <region>', 'the region the drill moves the app to')
    .option('--region <region>', 'evacuate every app of this region instead (a region drill)')
    .option('--reason <text>', 'why, for the audit trail and Slack')
    .option('--local', "run it in the embedded default's world instead of AWS")
    .option('--approve-as <name>', 'local runs: approve the drill as NAME when its approval gate opens (drills need approval by default)')
    .option('--state-machine <arn>', 'AWS: the drill state machine (default: $LIFEBOAT_DRILL_STATE_MACHINE_ARN)')
    .option('--json', 'print one JSON document at the end instead of live progress')
    .action(async (app: string | undefined, options: { to?: string; region?: string; reason?: string; local?: boolean; json?: boolean; approveAs?: string; stateMachine?: string }) => {
      const { drillCommand } = await import('./drill-command.js');
      exit(await drillCommand(loadConfigFile(configFile()), app, options, out));
    });

  for (const decision of ['approve', 'deny'] as const) {
    cli
      .command(decision)
      .description(`${decision} a failover or drill waiting at its approval gate (as the Slack buttons do): the first decision wins; exit 1 when the incident is not waiting (unknown, already decided, timed out)`)
      .argument('<incident>', 'the incident id (the execution name)')
      .option('--as <name>', 'who decides, as recorded in the audit trail (default: the current user)')
      .option('--local', "decide in the embedded default's world instead of AWS (where AWS_REGION must be the region running the execution)")
      .option('--json', 'print the answer as JSON')
      .action(async (incident: string, options: { as?: string; local?: boolean; json?: boolean }) => {
        const { approveCommand } = await import('./approve-command.js');
        exit(await approveCommand(loadConfigFile(configFile()), incident, decision, options, out));
      });
  }

  cli
    .command('failback')
    .description("return APP's traffic to its primary (or --to REGION) after a failover, in verified steps once the primary has been healthy long enough (the failback workflow), followed live to its end")
    .argument('<app>', 'the app to fail back')
    .option('--to <region>', 'where the traffic returns (default: the first region of the app, its primary)')
    .option('--reason <text>', 'why, for the audit trail and Slack')
    .option('--local', "act on the embedded default's world instead of AWS")
    .option('--state-machine <arn>', 'AWS: the failback state machine (default: $LIFEBOAT_FAILBACK_STATE_MACHINE_ARN)')
    .option('--json', 'print the result as JSON')
    .action(async (app: string, options: { to?: string; reason?: string; local?: boolean; json?: boolean; stateMachine?: string }) => {
      const { failbackCommand } = await import('./failback-command.js');
      exit(await failbackCommand(loadConfigFile(configFile()), app, options, out));
    });

  cli
    .command('schema')
    .description('print the JSON Schema of the configuration file (for editors)')
    .option('-o, --out <file>', 'write it to a file instead')
    .action((options: { out?: string }) => {
      const text = `${JSON.stringify(configJsonSchema(), null, 2)}\n`;
      if (options.out) writeFileSync(options.out, text);
      else out(text);
    });

  cli
    .command('simulate')
    .description('run a failover end to end in the embedded runtime (no AWS account needed): the real state machine, the real handlers, simulated AWS on virtual time')
    .addOption(new Option('-s, --scenario <name>', 'what goes wrong (see below); exit 0 when the run ends in its documented safe state').choices(SCENARIOS).default('region-outage'))
    .option('-a, --app <name>', 'the app whose primary region fails (default: the first app the scenario fits)')
    .option('-e, --event <file>', 'deliver this alarm event (EventBridge, Lambda alarm action or SNS shape) instead')
    .option('--inject <fault...>', 'make something go wrong: crash:STATE:before|after|timeout, route53:Throttling[:N], eks:ResourceInUseException[:N], k8s:429[:N], dynamodb:ThrottlingException[:N], slack:503|hangup[:N]')
    .option('--reset', 'start from a clean world (forget the incidents kept in .lifeboat/)')
    .option('--json', 'print one JSON document instead of live progress')
    .addHelpText('after', `\nScenarios (what goes wrong → the safe end state):\n${SCENARIOS.map((name) => `  ${name.padEnd(19)} ${SCENARIO_SPECS[name].what}\n  ${''.padEnd(19)} → ${SCENARIO_SPECS[name].outcome}: ${SCENARIO_SPECS[name].safeState}`).join('\n')}`)
    .action(async (options: { scenario: string; app?: string; event?: string; json?: boolean; inject?: string[]; reset?: boolean }) => {
      const config = loadConfigFile(configFile());
      if (options.app && !config.apps.some((a) => a.name === options.app)) {
        throw new InputValidationError([{ path: '--app', message: `unknown app ${JSON.stringify(options.app)} (known: ${config.apps.map((a) => a.name).join(', ')})` }], 'arguments');
      }
      const event = options.event ? readEventFile(options.event) : undefined;
      const faults = (options.inject ?? []).map(parseFault);
      const state = new StateDir();
      if (options.reset) state.reset();
      const colour = !options.json && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
      const report = await simulate({
        config,
        app: options.app,
        scenario: options.scenario as Scenario,
        event,
        faults,
        state,
        onProgress: options.json ? undefined : progressPrinter((line) => out(`${line}\n`), colour),
      });
      out(options.json ? `${JSON.stringify(report, null, 2)}\n` : `${summary(report, colour)}\n`);
      // A scenario asks "does Lifeboat end this safely?": exit 0 when it reached its documented end
      // state (a refusal can be the safe answer). An event file asks "did the failover work?".
      const ok = report.scenario ? report.outcome === report.scenario.expectedOutcome : report.outcome === 'succeeded' || report.outcome === 'ignored';
      if (!ok) exit(EXIT.failed);
    });

  cli
    .command('audit')
    .description("print an incident's audit trail; --verify checks its hash chain (exit 1 on a break, naming the record)")
    .argument('<incident>', 'the incident id (the execution name `simulate` prints)')
    .option('--verify', 'check the hash chain')
    .option('--local', "read the embedded default's trail in .lifeboat/ instead of AWS")
    .option('--table <name>', 'the audit table on AWS (default: $LIFEBOAT_AUDIT_TABLE)')
    .option('--json', 'print the records (and the verification) as JSON')
    .action(async (incident: string, options: { verify?: boolean; local?: boolean; json?: boolean; table?: string }) => {
      const colour = !options.json && Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
      if (!(await auditCommand(incident, options, out, colour))) exit(EXIT.failed);
    });

  cli
    .command('report')
    .description("build an incident's drill report from its audit trail: timeline, RTO and RPO against the app's targets, before/after of each step, chain verification (exit 1 when the chain is broken)")
    .argument('<incident>', 'the incident id (the execution name `simulate` prints)')
    .option('--local', "read the embedded default's trail in .lifeboat/ instead of AWS")
    .option('--table <name>', 'the audit table on AWS (default: $LIFEBOAT_AUDIT_TABLE)')
    .option('-o, --out <file.html>', 'write the self-contained HTML report here')
    .option('--markdown <file.md>', 'write the Markdown summary here')
    .option('--json', 'print the report model as JSON')
    .action(async (incident: string, options: { local?: boolean; table?: string; out?: string; markdown?: string; json?: boolean }) => {
      const { reportCommand } = await import('./report-command.js');
      if (!(await reportCommand(incident, options, () => loadConfigFile(configFile()), out))) exit(EXIT.failed);
    });

  return cli;
}

export async function main(argv: string[], out = (t: string) => void process.stdout.write(t), err = (t: string) => void process.stderr.write(t)): Promise<number> {
  let code: number = EXIT.ok;
  try {
    await program(out, err, (exitCode) => void (code = exitCode)).parseAsync(argv);
    return code;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? EXIT.ok : EXIT.invalidInput;
    if (error instanceof ConfigError || error instanceof InputValidationError) {
      err(`${error.message.split('\n')[0]}\n${formatIssues(error.issues)}\n`);
      return EXIT.invalidInput;
    }
    err(`lifeboat: ${error instanceof Error ? error.message : String(error)}\n`);
    return EXIT.failed;
  }
}
