import * as sfnSdk from '@aws-sdk/client-sfn';
import { randomBytes } from 'node:crypto';
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
  status: 'RUNNING' | ExecutionOutcome['status'];
  outcome?: ExecutionOutcome;
  done: Promise<ExecutionOutcome>;
}

const MAX_INPUT_BYTES = 256 * 1024;

/** A Task waiting on the callback pattern (`.waitForTaskToken`): open until answered or closed. */
interface CallbackTask {
  token: string;
  execution: string;
  state: string;
  status: 'waiting' | 'succeeded' | 'failed' | 'closed';
  output?: unknown;
  error?: string;
  cause?: string;
  lastHeartbeatMs: number;
}

/** What a callback Task got: still waiting, or its answer. */
export type CallbackAnswer = { status: 'waiting' } | { status: 'succeeded'; output: unknown } | { status: 'failed'; error: string; cause: string } | { status: 'closed' };

/** Task tokens look like Step Functions' (opaque base64, hundreds of characters); anything else is `InvalidToken`. */
const TOKEN_SHAPE = /^AQ[A-Za-z0-9+/=]{40,1022}$/;

/**
 * Step Functions for the embedded runtime: `StartExecution` runs the real ASL with the local
 * runner. It keeps the service's rules for the calls we make: names of 1-80 characters from
 * `[A-Za-z0-9-_]`, input valid JSON of at most 256 KiB, and the idempotency of standard workflows
 * (same name and input while running → the same execution; a closed execution or different input
 * → `ExecutionAlreadyExists`). The callback pattern too: task tokens the local runner hands its
 * `.waitForTaskToken` Tasks, answered by SendTaskSuccess / SendTaskFailure / SendTaskHeartbeat with
 * the service's errors (`InvalidToken` for a malformed token, `TaskDoesNotExist` for an unknown one,
 * `TaskTimedOut` once the task stopped waiting: answered already, timed out, or its attempt failed).
 */
export class FakeStepFunctions implements AwsFake {
  readonly fakeName = 'FakeStepFunctions';
  readonly exceptions = exceptionCatalog(sfnSdk, sfnSdk.SFNServiceException as unknown as SdkExceptionClass);
  private readonly machines = new Map<string, LocalStateMachineRunner>();
  private readonly executions = new Map<string, LocalExecution>();
  private readonly tasks = new Map<string, CallbackTask>();
  private readonly tokenListeners: ((task: { token: string; execution: string; state: string }) => void)[] = [];
  readonly calls: { operation: string; input: unknown; region: string; error?: string }[] = [];
  /** Regions whose Step Functions endpoint does not answer (a regional outage). */
  private readonly regionsDown = new Set<string>();

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

  /** Takes the Step Functions endpoint of `region` down: every call from a client in that region fails (and is logged). */
  failRegion(region: string): this {
    this.regionsDown.add(region);
    return this;
  }

  handle(operation: string, input: unknown, context: FakeCallContext): object {
    if (this.regionsDown.has(context.region)) {
      this.calls.push({ operation, input, region: context.region, error: 'ServiceUnavailable' });
      throw new AwsFault('ServiceUnavailable', `Step Functions in ${context.region} is unavailable (simulated regional outage)`, { httpStatusCode: 503 });
    }
    this.calls.push({ operation, input, region: context.region });
    switch (operation) {
      case 'StartExecution':
        return this.startExecution(input as sfnSdk.StartExecutionInput);
      case 'DescribeExecution':
        return this.describeExecution(input as sfnSdk.DescribeExecutionInput);
      case 'SendTaskSuccess':
        return this.sendTaskSuccess(input as sfnSdk.SendTaskSuccessInput);
      case 'SendTaskFailure':
        return this.sendTaskFailure(input as sfnSdk.SendTaskFailureInput);
      case 'SendTaskHeartbeat':
        return this.sendTaskHeartbeat(input as sfnSdk.SendTaskHeartbeatInput);
      default:
        throw new AwsFault('UnknownOperationException', `${this.fakeName} does not implement ${operation}`);
    }
  }

  /**
   * A new task token for a `.waitForTaskToken` Task the local runner entered (what Step Functions
   * puts in `$$.Task.Token`). The runner then waits for `callbackOf(token)` to change.
   */
  issueTaskToken(execution: string, state: string): string {
    const token = `AQ${randomBytes(240).toString('base64')}`;
    this.tasks.set(token, { token, execution, state, status: 'waiting', lastHeartbeatMs: this.clock.now().getTime() });
    for (const listener of this.tokenListeners) listener({ token, execution, state });
    return token;
  }

  /** Called with each token issued (tests learn a token the way a worker would). */
  onTaskToken(listener: (task: { token: string; execution: string; state: string }) => void): void {
    this.tokenListeners.push(listener);
  }

  callbackOf(token: string): CallbackAnswer {
    const task = this.tasks.get(token);
    if (!task || task.status === 'closed') return { status: 'closed' };
    if (task.status === 'succeeded') return { status: 'succeeded', output: task.output };
    if (task.status === 'failed') return { status: 'failed', error: task.error ?? '', cause: task.cause ?? '' };
    return { status: 'waiting' };
  }

  /** When the Task last heard from its worker (its start, or the last SendTaskHeartbeat). */
  lastHeartbeat(token: string): number {
    return this.tasks.get(token)?.lastHeartbeatMs ?? 0;
  }

  /** The Task stopped waiting (timed out, or its attempt failed): later callbacks get `TaskTimedOut`. */
  closeTask(token: string): void {
    const task = this.tasks.get(token);
    if (task && task.status === 'waiting') task.status = 'closed';
  }

  /** Starts an execution as `states:startExecution.sync` does, with a promise of its end. */
  startNested(stateMachineArn: string, name: string | undefined, input: unknown): { executionArn: string; done: Promise<ExecutionOutcome> } {
    const text = typeof input === 'string' ? input : JSON.stringify(input ?? {});
    const { executionArn } = this.startExecution({ stateMachineArn, name: name ?? `nested-${randomBytes(8).toString('hex')}`, input: text }) as { executionArn: string };
    return { executionArn, done: this.executions.get(executionArn)!.done };
  }

  /** The waiting Task a token names, or the error Step Functions answers with. */
  private waitingTask(token: string | undefined): CallbackTask {
    if (!token || !TOKEN_SHAPE.test(token)) throw new AwsFault('InvalidToken', 'Invalid Token: the task token is malformed');
    const task = this.tasks.get(token);
    if (!task) throw new AwsFault('TaskDoesNotExist', 'Task Does Not Exist: no task with this token');
    if (task.status !== 'waiting') throw new AwsFault('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
    return task;
  }

  private sendTaskSuccess(input: sfnSdk.SendTaskSuccessInput): object {
    const task = this.waitingTask(input.taskToken);
    const text = input.output ?? '';
    if (Buffer.byteLength(text) > MAX_INPUT_BYTES) throw new AwsFault('InvalidOutput', 'Output exceeds 262144 bytes');
    let output: unknown;
    try {
      output = JSON.parse(text);
    } catch {
      throw new AwsFault('InvalidOutput', 'Invalid Output: not valid JSON');
    }
    Object.assign(task, { status: 'succeeded', output });
    return {};
  }

  private sendTaskFailure(input: sfnSdk.SendTaskFailureInput): object {
    if ((input.error ?? '').length > 256) throw new AwsFault('ValidationException', "1 validation error detected: Value at 'error' failed to satisfy constraint: Member must have length less than or equal to 256");
    if ((input.cause ?? '').length > 32_768) throw new AwsFault('ValidationException', "1 validation error detected: Value at 'cause' failed to satisfy constraint: Member must have length less than or equal to 32768");
    const task = this.waitingTask(input.taskToken);
    Object.assign(task, { status: 'failed', error: input.error ?? '', cause: input.cause ?? '' });
    return {};
  }

  private sendTaskHeartbeat(input: sfnSdk.SendTaskHeartbeatInput): object {
    this.waitingTask(input.taskToken).lastHeartbeatMs = this.clock.now().getTime();
    return {};
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
