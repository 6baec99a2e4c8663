import './polyfills.js';
import { ExecutionError, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { lambdaContext, type LambdaContextLike } from './lambda-context.js';
import { allStates, taskFunctions, withPlaceholderArns, type AslDefinition } from './asl.js';
import { RetryPolicy } from './retry-policy.js';
import type { VirtualScheduler } from './scheduler.js';
import { runInState } from './step-context.js';
import { StepTimeline, type StepRecord, type TimelineListener } from './step-timeline.js';
import type { VirtualClock } from './virtual-clock.js';

export type { LambdaContextLike };

/** Hooks around each Task invocation (fault injection). */
export interface InvocationHooks {
  beforeInvoke(state: string): void;
  afterInvoke(state: string): void;
}

/** A Lambda handler as the runtime calls it. */
export type LambdaHandler = (event: unknown, context: LambdaContextLike) => Promise<unknown>;

export interface ExecutionOutcome {
  name: string;
  status: 'SUCCEEDED' | 'FAILED';
  startedAt: string;
  stoppedAt: string;
  output?: unknown;
  error?: string;
  cause?: string;
  steps: StepRecord[];
}

/**
 * What Step Functions sees of a Lambda error: the type is the error's name, the Cause a JSON
 * document with `errorType` and `errorMessage`. Reproducing that keeps Retry/Catch by name and the
 * workflow's error handling identical to AWS.
 */
function asLambdaError(error: unknown): Error {
  const errorType = error instanceof Error ? error.name : 'Error';
  const errorMessage = error instanceof Error ? error.message : String(error);
  const lambdaError = new Error(JSON.stringify({ errorType, errorMessage }));
  lambdaError.name = errorType;
  return lambdaError;
}

/**
 * Runs the real ASL file in-process with aws-local-stepfunctions, each Task bound to the real
 * Lambda handler of the function its Resource names, on virtual time: a Retry interval becomes a
 * virtual sleep (so a 3-minute node group update takes 3 minutes of reported time and no real time).
 */
export class LocalStateMachineRunner {
  private readonly bindings: Map<string, string>;
  private readonly retriers: Map<string, NonNullable<ReturnType<typeof allStates>[number][1]['Retry']>>;
  private readonly machine: StateMachine;

  constructor(
    definition: AslDefinition,
    private readonly handlers: Record<string, LambdaHandler>,
    private readonly clock: VirtualClock,
    private readonly scheduler: VirtualScheduler,
    private readonly hooks?: InvocationHooks,
  ) {
    const states = allStates(definition);
    const waits = states.filter(([, state]) => state.Type === 'Wait').map(([name]) => name);
    // A Wait state would sleep in real time here; the workflows wait with Retry instead.
    if (waits.length > 0) throw new Error(`the local runner does not emulate Wait states (${waits.join(', ')}): use Retry on NotConvergedError`);
    this.bindings = taskFunctions(definition);
    for (const [state, fn] of this.bindings) {
      if (!handlers[fn]) throw new Error(`state ${state} invokes function ${fn}, which has no local handler`);
    }
    this.retriers = new Map(states.filter(([, s]) => s.Retry).map(([name, s]) => [name, s.Retry!]));
    this.machine = new StateMachine(withPlaceholderArns(definition) as unknown as StateMachineDefinition, {
      validationOptions: { checkArn: true, checkPaths: true },
    });
  }

  /** Runs one execution to its end and reports it, with a virtual-time record of each Task. */
  async run(name: string, input: unknown, listener?: TimelineListener): Promise<ExecutionOutcome> {
    const timeline = new StepTimeline(listener);
    const startedAt = this.clock.now().toISOString();
    const taskResourceLocalHandlers = Object.fromEntries(
      [...this.bindings].map(([state, fn]) => [state, this.bindTask(state, fn, timeline)]),
    );
    // Retry intervals are slept on the virtual clock by bindTask; the interpreter must not also wait.
    const retryIntervalOverrides = Object.fromEntries([...this.retriers.keys()].map((state) => [state, 0]));
    const execution = this.machine.run(input as never, {
      overrides: { taskResourceLocalHandlers, retryIntervalOverrides },
      context: { Execution: { Name: name, Id: `local:execution:${name}` } } as never,
    });
    try {
      const output = await execution.result;
      return { name, status: 'SUCCEEDED', startedAt, stoppedAt: this.clock.now().toISOString(), output, steps: timeline.steps() };
    } catch (error) {
      const cause = error instanceof ExecutionError && error.cause instanceof Error ? error.cause : (error as Error);
      return { name, status: 'FAILED', startedAt, stoppedAt: this.clock.now().toISOString(), error: cause.name, cause: cause.message, steps: timeline.steps() };
    }
  }

  private bindTask(state: string, fn: string, timeline: StepTimeline) {
    const handler = this.handlers[fn]!;
    // One retry count per invocation input: the iterations of a Map state run the same Task state
    // side by side, and each retries on its own (a retry gets the same input again).
    const policies = new Map<string, RetryPolicy>();
    return (input: unknown) =>
      this.scheduler.run(async () => {
        const key = JSON.stringify(input);
        let policy = policies.get(key);
        if (!policy) policies.set(key, (policy = new RetryPolicy(this.retriers.get(state) ?? [])));
        timeline.attempt(state, this.clock.now());
        try {
          const output = await runInState(state, async () => {
            this.hooks?.beforeInvoke(state);
            const result = await handler(input, lambdaContext(fn, 60_000));
            this.hooks?.afterInvoke(state);
            return result;
          });
          policies.delete(key);
          timeline.finish(state, this.clock.now());
          return output as never;
        } catch (error) {
          const lambdaError = asLambdaError(error);
          const message = error instanceof Error ? error.message : String(error);
          const delayMs = policy.nextDelayMs(lambdaError.name);
          if (delayMs === undefined) {
            policies.delete(key);
            timeline.finish(state, this.clock.now(), `${lambdaError.name}: ${message}`);
          } else {
            timeline.retrying(state, lambdaError.name, message, delayMs);
            await this.scheduler.sleep(delayMs);
          }
          throw lambdaError;
        }
      });
  }
}
