import type { LifeboatConfig } from '../domain/config.js';
import { InputValidationError } from '../domain/errors.js';
import { localHandlers } from '../local/handlers.js';
import { lambdaContext } from '../local/lambda-context.js';
import type { ExecutionOutcome } from '../local/state-machine-runner.js';
import type { SimulatedWorld } from '../local/world.js';
import type { AuditRecord } from '../ports/audit.js';
import { sfnExecutions } from '../runtime/wiring/sfn.js';
import { dynamoDbAuditTrail } from '../runtime/wiring/dynamodb.js';

/*
 * Running the drill and failback workflows from the command line: in the embedded runtime (the
 * real state machines on the world's fake Step Functions, an operator's approval given when the gate
 * opens if asked for), or on AWS (StartExecution, then followed through DescribeExecution and the
 * incident's audit trail until it ends).
 */

/** A name Step Functions accepts (≤ 80 of [A-Za-z0-9_-]), unique per app and second of virtual or real time. */
export function workflowName(kind: 'drill' | 'failback', app: string, at: Date): string {
  return `${kind}-${app}-${at.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}`.slice(0, 80);
}

export interface LocalRun {
  outcome: ExecutionOutcome;
  /** The approval given at the gate, when one was asked for. */
  approval?: unknown;
}

/**
 * Starts `stateMachineArn` in the local world and waits for its end. With `approveAs`, the first
 * approval gate that opens for this incident is approved a virtual minute later by that person,
 * through the same handler `lifeboat approve` and the Slack buttons reach.
 */
export async function runLocally(world: SimulatedWorld, stateMachineArn: string, name: string, input: unknown, approveAs?: string): Promise<LocalRun> {
  let approval: Promise<unknown> | undefined;
  if (approveAs) {
    world.sfn.onTaskToken((task) => {
      if (approval || !task.state.includes('Approval') || !task.execution.startsWith(name)) return;
      approval = world.scheduler.run(async () => {
        await world.scheduler.sleep(60_000);
        return localHandlers.slackInteraction!({ actor: approveAs, incidentId: name, decision: 'approve' }, lambdaContext('slackInteraction'));
      });
    });
  }
  const outcome = await world.sfn.startNested(stateMachineArn, name, input).done;
  return { outcome, approval: await approval };
}

/** The ARN of a deployed workflow: from the option, else the environment variable naming it. */
export function deployedArn(option: string | undefined, variable: string, what: string): string {
  const arn = option ?? process.env[variable];
  if (!arn) throw new InputValidationError([{ path: '--state-machine', message: `the ${what} state machine's ARN is needed on AWS: pass --state-machine ARN or set ${variable} (serverless deploy prints it), or use --local` }], 'arguments');
  if (!/^arn:aws[a-z-]*:states:[a-z0-9-]+:\d{12}:stateMachine:[A-Za-z0-9_-]{1,80}$/.test(arn)) {
    throw new InputValidationError([{ path: '--state-machine', message: `not a state machine ARN: ${JSON.stringify(arn.slice(0, 200))}` }], 'arguments');
  }
  return arn;
}

/**
 * Starts the workflow on AWS and follows it: each new audit record of the incident is printed as it
 * appears, until the execution is no longer RUNNING. Real time: `pollMs` between reads.
 */
export async function runOnAws(
  stateMachineArn: string,
  name: string,
  input: unknown,
  print: (record: AuditRecord) => void,
  pollMs = 5_000,
): Promise<{ status: string; error?: string; cause?: string }> {
  const executions = sfnExecutions();
  const audit = dynamoDbAuditTrail();
  const { executionArn } = await executions.start(stateMachineArn, name, input);
  let seen = 0;
  for (;;) {
    const state = await executions.describe(executionArn);
    const records = await audit.read(name);
    for (const record of records.slice(seen)) print(record);
    seen = records.length;
    if (state.status !== 'RUNNING') return state;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}

/** Whether the app's policy stops a drill at the approval gate. */
export function drillNeedsApproval(config: LifeboatConfig, app: string): boolean {
  return config.apps.find((a) => a.name === app)?.policy.approval.drill === 'required';
}
