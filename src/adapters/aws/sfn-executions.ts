import { DescribeExecutionCommand, ExecutionAlreadyExists, StartExecutionCommand, type SFNClient } from '@aws-sdk/client-sfn';
import type { Executions } from '../../ports/executions.js';
import { toDomainError } from './errors.js';

/**
 * The ARN of the execution `name` of a state machine: `arn:aws:states:R:A:stateMachine:N` (or a
 * version/alias ARN `...:stateMachine:N:1`) gives `arn:aws:states:R:A:execution:N:name`.
 */
export function executionArnFor(stateMachineArn: string, name: string): string {
  const parts = stateMachineArn.split(':');
  const [arn, partition, service, region, account, resource, machine] = parts;
  if (parts.length < 7 || arn !== 'arn' || service !== 'states' || resource !== 'stateMachine' || !machine) {
    throw new RangeError(`not a state machine ARN: ${stateMachineArn}`);
  }
  return ['arn', partition, 'states', region, account, 'execution', machine, name].join(':');
}

/** Starts Step Functions executions (port `Executions`) under deterministic names. */
export class SfnExecutions implements Executions {
  constructor(private readonly client: SFNClient) {}

  /**
   * StartExecution with `input` as JSON. A name that was already used is not a failure:
   * `ExecutionAlreadyExists` means this incident's workflow is already running (or ran), so the
   * caller gets that execution's ARN with `alreadyStarted: true`. (For a standard workflow, the
   * same name and input while it runs is answered with success and the running execution's ARN,
   * which is indistinguishable here and reported as `alreadyStarted: false`.)
   */
  async start(stateMachineArn: string, name: string, input: unknown): Promise<{ executionArn: string; alreadyStarted: boolean }> {
    try {
      const output = await this.client.send(new StartExecutionCommand({ stateMachineArn, name, input: JSON.stringify(input ?? {}) }));
      return { executionArn: output.executionArn ?? executionArnFor(stateMachineArn, name), alreadyStarted: false };
    } catch (error) {
      if (error instanceof ExecutionAlreadyExists) return { executionArn: executionArnFor(stateMachineArn, name), alreadyStarted: true };
      throw toDomainError(error, `states:StartExecution ${stateMachineArn} ${name}`);
    }
  }

  /** Where an execution stands (DescribeExecution): the CLI follows drills and failbacks with it. */
  async describe(executionArn: string): Promise<{ status: string; error?: string; cause?: string }> {
    try {
      const output = await this.client.send(new DescribeExecutionCommand({ executionArn }));
      return { status: output.status ?? 'UNKNOWN', ...(output.error ? { error: output.error } : {}), ...(output.cause ? { cause: output.cause } : {}) };
    } catch (error) {
      throw toDomainError(error, `states:DescribeExecution ${executionArn}`);
    }
  }
}
