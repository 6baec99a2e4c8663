import * as sfnSdk from '@aws-sdk/client-sfn';
import type { AwsFake, FakeCallContext } from './aws/attach-fake.js';
import { AwsFault } from './aws/aws-fault.js';
import { exceptionCatalog, type SdkExceptionClass } from './aws/exception-catalog.js';
import type { ExecutionOutcome, LocalStateMachineRunner } from './state-machine-runner.js';
import type { TimelineListener } from './step-timeline.js';
import type { Clock } from '../ports/clock.js';

interface LocalExecution {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  input: string;
  startDate: Date;
  status: 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  outcome?: ExecutionOutcome;
  done: Promise<ExecutionOutcome>;
}

const MAX_INPUT_BYTES = 256 * 1024;

/**
 * Step Functions for the embedded runtime: `StartExecution` runs the real ASL with the local
 * runner. It keeps the service's rules for the calls we make: names of 1-80 characters from
 * `[A-Za-z0-9-_]`, input valid JSON of at most 256 KiB, and the idempotency of standard workflows
 * (same name and input while running → the same execution; a closed execution or different input
 * → `ExecutionAlreadyExists`).
 */
export class FakeStepFunctions implements AwsFake {
  readonly fakeName = 'FakeStepFunctions';
  readonly exceptions = exceptionCatalog(sfnSdk, sfnSdk.SFNServiceException as unknown as SdkExceptionClass);
  private readonly machines = new Map<string, LocalStateMachineRunner>();
  private readonly executions = new Map<string, LocalExecution>();
  readonly calls: { operation: string; input: unknown }[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly listener?: (execution: { name: string }) => TimelineListener | undefined,
  ) {}

  register(stateMachineArn: string, runner: LocalStateMachineRunner): void {
    this.machines.set(stateMachineArn, runner);
  }

  /** Every execution started so far, oldest first. */
  list(): { name: string; status: string; input: unknown; outcome?: ExecutionOutcome }[] {
    return [...this.executions.values()].map((e) => ({ name: e.name, status: e.status, input: JSON.parse(e.input), outcome: e.outcome }));
  }

  /** Resolves when every execution started so far has finished. */
  async settle(): Promise<ExecutionOutcome[]> {
    return Promise.all([...this.executions.values()].map((e) => e.done));
  }

  handle(operation: string, input: unknown, _context: FakeCallContext): object {
    this.calls.push({ operation, input });
    switch (operation) {
      case 'StartExecution':
        return this.startExecution(input as sfnSdk.StartExecutionInput);
      case 'DescribeExecution':
        return this.describeExecution(input as sfnSdk.DescribeExecutionInput);
      default:
        throw new AwsFault('UnknownOperationException', `${this.fakeName} does not implement ${operation}`);
    }
  }

  private startExecution(input: sfnSdk.StartExecutionInput): object {
    const runner = input.stateMachineArn ? this.machines.get(input.stateMachineArn) : undefined;
    if (!runner) throw new AwsFault('StateMachineDoesNotExist', `State Machine Does Not Exist: '${input.stateMachineArn}'`);
    const name = input.name ?? '';
    if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) throw new AwsFault('InvalidName', `Invalid Name: '${name}'`);
    const text = input.input ?? '{}';
    if (Buffer.byteLength(text) > MAX_INPUT_BYTES) throw new AwsFault('InvalidExecutionInput', 'Input exceeds 262144 bytes');
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new AwsFault('InvalidExecutionInput', 'Invalid State Machine Execution Input: not valid JSON');
    }
    const executionArn = input.stateMachineArn!.replace(':stateMachine:', ':execution:') + `:${name}`;
    const existing = this.executions.get(executionArn);
    if (existing) {
      if (existing.status === 'RUNNING' && existing.input === text) return { executionArn, startDate: existing.startDate };
      throw new AwsFault('ExecutionAlreadyExists', `Execution Already Exists: '${executionArn}'`);
    }
    const execution: LocalExecution = {
      executionArn,
      stateMachineArn: input.stateMachineArn!,
      name,
      input: text,
      startDate: this.clock.now(),
      status: 'RUNNING',
      done: Promise.resolve() as never,
    };
    execution.done = runner.run(name, parsed, this.listener?.({ name })).then((outcome) => {
      execution.status = outcome.status;
      execution.outcome = outcome;
      return outcome;
    });
    this.executions.set(executionArn, execution);
    return { executionArn, startDate: execution.startDate };
  }

  private describeExecution(input: sfnSdk.DescribeExecutionInput): object {
    const execution = input.executionArn ? this.executions.get(input.executionArn) : undefined;
    if (!execution) throw new AwsFault('ExecutionDoesNotExist', `Execution Does Not Exist: '${input.executionArn}'`);
    return {
      executionArn: execution.executionArn,
      stateMachineArn: execution.stateMachineArn,
      name: execution.name,
      status: execution.status,
      startDate: execution.startDate,
      stopDate: execution.outcome ? new Date(execution.outcome.stoppedAt) : undefined,
      input: execution.input,
      output: execution.outcome?.output === undefined ? undefined : JSON.stringify(execution.outcome.output),
      error: execution.outcome?.error,
      cause: execution.outcome?.cause,
    };
  }
}
