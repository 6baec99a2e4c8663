import './polyfills.js';
import { ExecutionError, StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';
import { STEP_FUNCTIONS_STATE_LIMIT_BYTES } from '../domain/evacuation-capacity.js';
import { lambdaContext, type LambdaContextLike } from './lambda-context.js';
import { allStates, taskFunctions, withPlaceholderArns, type AslDefinition, type AslState } from './asl.js';
import type { CallbackAnswer } from './fake-step-functions.js';
import { RetryPolicy, seededRandom } from './retry-policy.js';
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

/**
 * The service integrations aws-local-stepfunctions does not emulate, provided by the fake Step
 * Functions: the callback pattern (`.waitForTaskToken`) and nested executions (`.sync`).
 */
export interface LocalIntegrations {
  callbacks?: {
    issueTaskToken(execution: string, state: string): string;
    callbackOf(token: string): CallbackAnswer;
    lastHeartbeat(token: string): number;
    closeTask(token: string): void;
  };
  executions?: {
    startNested(stateMachineArn: string, name: string | undefined, input: unknown): { executionArn: string; done: Promise<ExecutionOutcome> };
  };
  /** `{"Ref": "<logical id>"}` of a state machine in the ASL → the ARN it is registered under. */
  stateMachineArns?: Record<string, string>;
}

/** How a `.waitForTaskToken` or `.sync` Task is emulated: the function it invokes and its timeouts. */
interface IntegrationSpec {
  kind: 'callback' | 'sync';
  fn?: string;
  /** `.sync:2` hands back the nested execution's Input and Output as JSON; `.sync` as strings. */
  json?: boolean;
  timeoutSeconds?: number;
  heartbeatSeconds?: number;
}

/** What `$$.Task.Token` evaluates to inside the interpreter; each attempt replaces it with a fresh token. */
const TOKEN_PLACEHOLDER = 'lifeboat-local-task-token';
/** Carries a `...SecondsPath` value from the state input to the emulation (stripped before the Lambda sees it). */
const TIMEOUT_KEY = '__lifeboatTimeoutSeconds';
const HEARTBEAT_KEY = '__lifeboatHeartbeatSeconds';
/**
 * The interpreter enforces a Task's TimeoutSeconds in real time, but here real time is not the
 * Lambda's: 500 Map iterations share one thread, so a handler that AWS would run in 200 ms can wait
 * seconds for its turn, and on a loaded machine past a 30 s TimeoutSeconds (States.Timeout, an app
 * failed for nothing). Every Task gets this backstop instead and the runner enforces the state's own
 * timeout on virtual time. Below setTimeout's 2^31 ms limit.
 */
const INTERPRETER_BACKSTOP_SECONDS = 2_000_000;
/** Step Functions' TimeoutSeconds when a Task gives none. */
const DEFAULT_TASK_TIMEOUT_SECONDS = 99_999_999;
/** How often a waiting Task looks for its answer, in virtual milliseconds. */
const POLL_MS = 1000;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function integrationOf(state: AslState): IntegrationSpec | undefined {
  if (state.Type !== 'Task' || typeof state.Resource !== 'string') return undefined;
  const timeouts = {
    ...(typeof state.TimeoutSeconds === 'number' ? { timeoutSeconds: state.TimeoutSeconds } : {}),
    ...(typeof state.HeartbeatSeconds === 'number' ? { heartbeatSeconds: state.HeartbeatSeconds } : {}),
  };
  if (/^arn:aws:states:::lambda:invoke\.waitForTaskToken$/.test(state.Resource)) {
    const ref = isObject(state.Parameters) ? (state.Parameters.FunctionName as Record<string, unknown> | undefined)?.['Fn::GetAtt'] : undefined;
    const fn = Array.isArray(ref) && typeof ref[0] === 'string' ? ref[0] : undefined;
    return { kind: 'callback', fn, ...timeouts };
  }
  const sync = /^arn:aws:states:::states:startExecution\.sync(:2)?$/.exec(state.Resource);
  if (sync) return { kind: 'sync', json: sync[1] === ':2', ...timeouts };
  return undefined;
}

/** Replaces every occurrence of `from` (as a whole string) in a JSON value. */
function replaceString(value: unknown, from: string, to: string): unknown {
  if (value === from) return to;
  if (Array.isArray(value)) return value.map((item) => replaceString(item, from, to));
  if (isObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceString(v, from, to)]));
  return value;
}

/**
 * The definition as the interpreter runs it: emulated Tasks get a backstop timeout (they enforce
 * theirs on virtual time), their `...SecondsPath` values ride along in Parameters (resolved against
 * the state input, as Step Functions does), and `{"Ref": ...}` state machine references become ARNs.
 */
function forInterpreter(definition: AslDefinition, arns: Record<string, string>): AslDefinition {
  const copy = JSON.parse(JSON.stringify(definition)) as AslDefinition;
  for (const [name, state] of allStates(copy)) {
    if (state.Type !== 'Task') continue;
    state.TimeoutSeconds = INTERPRETER_BACKSTOP_SECONDS;
    if (!integrationOf(state)) continue;
    const parameters = isObject(state.Parameters) ? state.Parameters : {};
    if (typeof state.TimeoutSecondsPath === 'string') parameters[`${TIMEOUT_KEY}.$`] = state.TimeoutSecondsPath;
    if (typeof state.HeartbeatSecondsPath === 'string') parameters[`${HEARTBEAT_KEY}.$`] = state.HeartbeatSecondsPath;
    for (const key of ['TimeoutSecondsPath', 'HeartbeatSecondsPath', 'HeartbeatSeconds']) delete state[key];
    state.Parameters = JSON.parse(JSON.stringify(parameters), (_key, value) => {
      if (isObject(value) && typeof value.Ref === 'string' && Object.keys(value).length === 1) {
        const arn = arns[value.Ref];
        if (!arn) throw new Error(`state ${name} refers to state machine ${value.Ref}, which is not registered locally`);
        return arn;
      }
      return value;
    });
  }
  return copy;
}

function namedError(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/**
 * Step Functions' quota on the data one state passes on: 256 KiB of UTF-8 JSON for a state's or a
 * Task's input or output (and the execution's). Going over it fails the execution with
 * `States.DataLimitExceeded`, which no Retry or Catch handles (`States.ALL` does not match it).
 */
export const STATE_DATA_LIMIT_BYTES = STEP_FUNCTIONS_STATE_LIMIT_BYTES;

/** Throws `States.DataLimitExceeded` (once recorded for the whole execution) when `text` is over the quota. */
type DataLimitGuard = (state: string, what: 'input' | 'result', text: string) => void;

/**
 * Throws `States.Timeout` once the execution has run past its TimeoutSeconds on virtual time, and
 * stops the interpreter: Step Functions ends such a run as TIMED_OUT without running another state
 * (no Catch, so no cleanup). Checked whenever a Task starts or ends an attempt and while one waits.
 */
type DeadlineGuard = (state: string) => void;

/** A Lambda handler as the runtime calls it. */
export type LambdaHandler = (event: unknown, context: LambdaContextLike) => Promise<unknown>;

export interface ExecutionOutcome {
  name: string;
  /** TIMED_OUT: the run went past the definition's TimeoutSeconds, and Step Functions stopped it (no Catch runs). */
  status: 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT';
  startedAt: string;
  stoppedAt: string;
  output?: unknown;
  error?: string;
  cause?: string;
  steps: StepRecord[];
  /** The largest Task input or result of the run, in bytes of JSON (Step Functions allows 256 KiB), and whose. */
  largestData?: { state: string; bytes: number };
}

/**
 * What Step Functions sees of a Lambda error: the type is the error's name, the Cause a JSON
 * document with `errorType` and `errorMessage`. Reproducing that keeps Retry/Catch by name and the
 * workflow's error handling identical to AWS.
 */
function asLambdaError(error: unknown): Error {
  if (error instanceof Error && error.name.startsWith('States.')) return error; // raised by Step Functions itself, not the Lambda
  const errorType = error instanceof Error ? error.name : 'Error';
  const errorMessage = error instanceof Error ? error.message : String(error);
  const lambdaError = new Error(JSON.stringify({ errorType, errorMessage }));
  lambdaError.name = errorType;
  return lambdaError;
}

/**
 * The interpreter's ASL validation (asl-validator, JSON Schema) takes ~100 ms a definition, and a
 * simulated world builds a runner per workflow and region: each distinct definition is validated
 * by the first runner made of it in this process only.
 */
const validatedDefinitions = new Set<string>();

/**
 * Runs the real ASL file in-process with aws-local-stepfunctions, each Task bound to the real
 * Lambda handler of the function its Resource names, on virtual time: a Retry interval becomes a
 * virtual sleep (so a 3-minute node group update takes 3 minutes of reported time and no real time).
 */
export class LocalStateMachineRunner {
  private readonly bindings: Map<string, string>;
  private readonly retriers: Map<string, NonNullable<ReturnType<typeof allStates>[number][1]['Retry']>>;
  private readonly machine: StateMachine;
  private readonly integrations = new Map<string, IntegrationSpec>();
  /** Each Lambda Task state's TimeoutSeconds, in milliseconds of virtual time. */
  private readonly lambdaTimeoutsMs: Map<string, number>;
  /** The execution's own TimeoutSeconds (the definition's top level), in milliseconds of virtual time. */
  private readonly executionTimeoutMs: number | undefined;

  constructor(
    definition: AslDefinition,
    private readonly handlers: Record<string, LambdaHandler>,
    private readonly clock: VirtualClock,
    private readonly scheduler: VirtualScheduler,
    private readonly hooks?: InvocationHooks,
    private readonly services: LocalIntegrations = {},
  ) {
    const states = allStates(definition);
    const waits = states.filter(([, state]) => state.Type === 'Wait').map(([name]) => name);
    // A Wait state would sleep in real time here; the workflows wait with Retry instead.
    if (waits.length > 0) throw new Error(`the local runner does not emulate Wait states (${waits.join(', ')}): use Retry on NotConvergedError`);
    this.bindings = taskFunctions(definition);
    this.executionTimeoutMs = typeof definition.TimeoutSeconds === 'number' ? definition.TimeoutSeconds * 1000 : undefined;
    for (const [state, fn] of this.bindings) {
      if (!handlers[fn]) throw new Error(`state ${state} invokes function ${fn}, which has no local handler`);
    }
    this.retriers = new Map(states.filter(([, s]) => s.Retry).map(([name, s]) => [name, s.Retry!]));
    const unemulated = states.filter(([name, s]) => this.bindings.has(name) && (s.TimeoutSecondsPath !== undefined || s.HeartbeatSeconds !== undefined || s.HeartbeatSecondsPath !== undefined));
    if (unemulated.length > 0) throw new Error(`the local runner does not emulate TimeoutSecondsPath or heartbeats on a Lambda Task (${unemulated.map(([name]) => name).join(', ')})`);
    this.lambdaTimeoutsMs = new Map(
      states.filter(([name]) => this.bindings.has(name)).map(([name, s]) => [name, (typeof s.TimeoutSeconds === 'number' ? s.TimeoutSeconds : DEFAULT_TASK_TIMEOUT_SECONDS) * 1000]),
    );
    for (const [state, spec] of states.flatMap(([name, s]) => { const spec = integrationOf(s); return spec ? [[name, spec] as const] : []; })) {
      if (spec.kind === 'callback' && (!spec.fn || !handlers[spec.fn])) throw new Error(`state ${state} waits for a task token from function ${spec.fn ?? '(not a Fn::GetAtt reference)'}, which has no local handler`);
      if (spec.kind === 'callback' && !services.callbacks) throw new Error(`state ${state} waits for a task token: the local runner needs the fake Step Functions' callbacks`);
      if (spec.kind === 'sync' && !services.executions) throw new Error(`state ${state} runs a nested execution: the local runner needs the fake Step Functions' executions`);
      this.integrations.set(state, spec);
    }
    const interpreted = forInterpreter(withPlaceholderArns(definition), services.stateMachineArns ?? {});
    const text = JSON.stringify(interpreted);
    const validationOptions = validatedDefinitions.has(text) ? { noValidate: true } : { checkArn: true, checkPaths: true };
    this.machine = new StateMachine(interpreted as unknown as StateMachineDefinition, { validationOptions });
    validatedDefinitions.add(text); // only once the interpreter accepted it
  }

  /** Runs one execution to its end and reports it, with a virtual-time record of each Task. */
  async run(name: string, input: unknown, listener?: TimelineListener): Promise<ExecutionOutcome> {
    const timeline = new StepTimeline(listener);
    const startedAt = this.clock.now().toISOString();
    // The interpreter knows no data quota: the first Task input or result over it ends the run
    // here, as Step Functions ends the execution (the Tasks already running finish unseen).
    let overLimit: Error | undefined;
    let abort = () => {};
    let largestData: { state: string; bytes: number } | undefined;
    const guard: DataLimitGuard = (state, what, text) => {
      const bytes = Buffer.byteLength(text);
      if (bytes > (largestData?.bytes ?? -1)) largestData = { state, bytes };
      if (bytes <= STATE_DATA_LIMIT_BYTES) return;
      overLimit ??= namedError('States.DataLimitExceeded', `The ${what} of state '${state}' has ${bytes} bytes, more than the maximum of ${STATE_DATA_LIMIT_BYTES} bytes for a state's data`);
      timeline.finish(state, this.clock.now(), `${overLimit.name}: ${overLimit.message}`);
      abort();
      throw overLimit;
    };
    let timedOut: Error | undefined;
    const deadlineMs = this.executionTimeoutMs === undefined ? undefined : Date.parse(startedAt) + this.executionTimeoutMs;
    const deadline: DeadlineGuard = (state) => {
      if (deadlineMs === undefined || this.clock.now().getTime() < deadlineMs) return;
      timedOut ??= namedError('States.Timeout', `The execution ran past its TimeoutSeconds (${this.executionTimeoutMs! / 1000} s) in state '${state}'`);
      timeline.finish(state, this.clock.now(), `${timedOut.name}: ${timedOut.message}`);
      abort();
      throw timedOut;
    };
    const taskResourceLocalHandlers = Object.fromEntries([
      ...[...this.bindings].map(([state, fn]) => [state, this.bindTask(state, fn, name, timeline, guard, deadline)]),
      ...[...this.integrations].map(([state, spec]) => [state, spec.kind === 'callback' ? this.bindCallbackTask(state, spec, name, timeline, guard, deadline) : this.bindSyncTask(state, spec, timeline, guard, deadline)]),
    ]);
    // Retry intervals are slept on the virtual clock by bindTask; the interpreter must not also wait.
    const retryIntervalOverrides = Object.fromEntries([...this.retriers.keys()].map((state) => [state, 0]));
    const execution = this.machine.run(input as never, {
      overrides: { taskResourceLocalHandlers, retryIntervalOverrides },
      context: { Execution: { Name: name, Id: `local:execution:${name}` }, Task: { Token: TOKEN_PLACEHOLDER } } as never,
    });
    abort = () => execution.abort();
    try {
      const output = await execution.result;
      guard('(execution)', 'result', JSON.stringify(output) ?? 'null');
      return { name, status: 'SUCCEEDED', startedAt, stoppedAt: this.clock.now().toISOString(), output, steps: timeline.steps(), ...(largestData ? { largestData } : {}) };
    } catch (error) {
      if (timedOut && !overLimit) return { name, status: 'TIMED_OUT', startedAt, stoppedAt: this.clock.now().toISOString(), error: timedOut.name, cause: timedOut.message, steps: timeline.steps(), ...(largestData ? { largestData } : {}) };
      const cause = overLimit ?? (error instanceof ExecutionError && error.cause instanceof Error ? error.cause : (error as Error));
      return { name, status: 'FAILED', startedAt, stoppedAt: this.clock.now().toISOString(), error: cause.name, cause: cause.message, steps: timeline.steps(), ...(largestData ? { largestData } : {}) };
    }
  }

  private bindTask(state: string, fn: string, execution: string, timeline: StepTimeline, guard: DataLimitGuard, deadline: DeadlineGuard) {
    const handler = this.handlers[fn]!;
    const timeoutMs = this.lambdaTimeoutsMs.get(state)!;
    // One retry count per invocation input: the iterations of a Map state run the same Task state
    // side by side, and each retries on its own (a retry gets the same input again).
    const policies = new Map<string, RetryPolicy>();
    return (input: unknown) =>
      this.scheduler.run(async () => {
        const key = JSON.stringify(input);
        let policy = policies.get(key);
        if (!policy) policies.set(key, (policy = new RetryPolicy(this.retriers.get(state) ?? [], seededRandom(`${execution}|${state}|${key}`))));
        deadline(state);
        timeline.attempt(state, this.clock.now());
        guard(state, 'input', key);
        let output: unknown;
        const began = this.clock.now().getTime();
        try {
          output = await runInState(state, async () => {
            this.hooks?.beforeInvoke(state);
            const result = await handler(input, lambdaContext(fn, 60_000));
            this.hooks?.afterInvoke(state);
            return result;
          });
        } catch (error) {
          deadline(state);
          throw await this.failAttempt(state, policy, timeline, error);
        }
        deadline(state);
        const tookMs = this.clock.now().getTime() - began;
        if (tookMs >= timeoutMs) throw await this.failAttempt(state, policy, timeline, namedError('States.Timeout', `Task ran ${tookMs / 1000} s of virtual time, TimeoutSeconds is ${timeoutMs / 1000}`));
        policies.delete(key);
        guard(state, 'result', JSON.stringify(output) ?? 'null');
        timeline.finish(state, this.clock.now());
        return output as never;
      });
  }

  /**
   * `arn:aws:states:::lambda:invoke.waitForTaskToken`: a fresh token in place of `$$.Task.Token`,
   * the Lambda invoked with the Payload (its result ignored, as Step Functions does), then a wait on
   * virtual time for SendTaskSuccess / SendTaskFailure, or `States.Timeout` when TimeoutSeconds (or
   * HeartbeatSeconds without a heartbeat) pass. Waiting does not count as running, so the virtual
   * clock moves on while it waits (and another piece of work, a person clicking Approve, can run).
   */
  private bindCallbackTask(state: string, spec: IntegrationSpec, execution: string, timeline: StepTimeline, guard: DataLimitGuard, deadline: DeadlineGuard) {
    const handler = this.handlers[spec.fn!]!;
    const callbacks = this.services.callbacks!;
    const policy = new RetryPolicy(this.retriers.get(state) ?? [], seededRandom(`${execution}|${state}`));
    return (input: unknown) =>
      this.scheduler.run(async () => {
        deadline(state);
        timeline.attempt(state, this.clock.now());
        guard(state, 'input', JSON.stringify(input) ?? 'null');
        const parameters = (isObject(input) ? input : {}) as Record<string, unknown>;
        const timeoutSeconds = spec.timeoutSeconds ?? (parameters[TIMEOUT_KEY] as number | undefined) ?? DEFAULT_TASK_TIMEOUT_SECONDS;
        const heartbeatSeconds = spec.heartbeatSeconds ?? (parameters[HEARTBEAT_KEY] as number | undefined);
        const token = callbacks.issueTaskToken(execution, state);
        try {
          await runInState(state, async () => {
            this.hooks?.beforeInvoke(state);
            await handler(replaceString(parameters.Payload ?? {}, TOKEN_PLACEHOLDER, token), lambdaContext(spec.fn!, 60_000));
            this.hooks?.afterInvoke(state);
          });
        } catch (error) {
          callbacks.closeTask(token);
          deadline(state);
          throw await this.failAttempt(state, policy, timeline, error);
        }
        const started = this.clock.now().getTime();
        for (;;) {
          try {
            deadline(state);
          } catch (error) {
            callbacks.closeTask(token); // a late SendTaskSuccess finds no task, as on AWS
            throw error;
          }
          const answer = callbacks.callbackOf(token);
          const now = this.clock.now().getTime();
          if (answer.status === 'succeeded') {
            policy.reset();
            guard(state, 'result', JSON.stringify(answer.output) ?? 'null');
            timeline.finish(state, this.clock.now());
            return answer.output as never;
          }
          if (answer.status === 'failed') {
            policy.reset();
            timeline.finish(state, this.clock.now(), `${answer.error}: ${answer.cause}`);
            throw namedError(answer.error, answer.cause);
          }
          const timedOut = now - started >= timeoutSeconds * 1000 || (heartbeatSeconds !== undefined && now - callbacks.lastHeartbeat(token) >= heartbeatSeconds * 1000);
          if (timedOut || answer.status === 'closed') {
            callbacks.closeTask(token);
            policy.reset();
            timeline.finish(state, this.clock.now(), 'States.Timeout: no callback in time');
            throw namedError('States.Timeout', `no SendTaskSuccess or SendTaskFailure within ${timeoutSeconds} s`);
          }
          await this.scheduler.sleep(Math.min(POLL_MS, started + timeoutSeconds * 1000 - now));
        }
      });
  }

  /**
   * `arn:aws:states:::states:startExecution.sync` (and `:2`): starts the nested execution in the
   * fake Step Functions and waits, on virtual time, for its end. Its result is what Step Functions
   * returns (the execution's description; with `:2` Input and Output as JSON); a failed child fails
   * the Task with `States.TaskFailed` and the description as Cause.
   */
  private bindSyncTask(state: string, spec: IntegrationSpec, timeline: StepTimeline, guard: DataLimitGuard, deadline: DeadlineGuard) {
    const executions = this.services.executions!;
    return (input: unknown) =>
      this.scheduler.run(async () => {
        deadline(state);
        timeline.attempt(state, this.clock.now());
        guard(state, 'input', JSON.stringify(input) ?? 'null');
        const parameters = (isObject(input) ? input : {}) as Record<string, unknown>;
        const timeoutSeconds = spec.timeoutSeconds ?? (parameters[TIMEOUT_KEY] as number | undefined) ?? DEFAULT_TASK_TIMEOUT_SECONDS;
        let started: { executionArn: string; done: Promise<ExecutionOutcome> };
        try {
          started = executions.startNested(String(parameters.StateMachineArn), parameters.Name as string | undefined, parameters.Input);
        } catch (error) {
          const name = `StepFunctions.${(error as { code?: string; name?: string }).code ?? (error as Error).name}`;
          timeline.finish(state, this.clock.now(), `${name}: ${(error as Error).message}`);
          throw namedError(name, (error as Error).message);
        }
        let outcome: ExecutionOutcome | undefined;
        void started.done.then((o) => (outcome = o));
        const begun = this.clock.now().getTime();
        while (!outcome) {
          deadline(state);
          if (this.clock.now().getTime() - begun >= timeoutSeconds * 1000) {
            timeline.finish(state, this.clock.now(), 'States.Timeout: the nested execution did not finish in time');
            throw namedError('States.Timeout', `nested execution ${started.executionArn} did not finish within ${timeoutSeconds} s`);
          }
          await this.scheduler.sleep(POLL_MS);
        }
        const description = {
          ExecutionArn: started.executionArn,
          Name: outcome.name,
          Status: outcome.status,
          StartDate: Date.parse(outcome.startedAt),
          StopDate: Date.parse(outcome.stoppedAt),
          Input: spec.json ? (parameters.Input ?? {}) : JSON.stringify(parameters.Input ?? {}),
          Output: spec.json ? (outcome.output ?? null) : JSON.stringify(outcome.output ?? null),
          ...(outcome.status !== 'SUCCEEDED' ? { Error: outcome.error, Cause: outcome.cause } : {}),
        };
        if (outcome.status !== 'SUCCEEDED') {
          timeline.finish(state, this.clock.now(), `States.TaskFailed: nested execution ${outcome.name} ${outcome.status}: ${outcome.error}`);
          throw namedError('States.TaskFailed', JSON.stringify(description));
        }
        guard(state, 'result', JSON.stringify(description));
        timeline.finish(state, this.clock.now());
        return description as never;
      });
  }

  /** A failed attempt: recorded, and slept on per the state's Retry (the interpreter does the retrying). */
  private async failAttempt(state: string, policy: RetryPolicy, timeline: StepTimeline, error: unknown): Promise<Error> {
    const lambdaError = asLambdaError(error);
    const message = error instanceof Error ? error.message : String(error);
    const delayMs = policy.nextDelayMs(lambdaError.name);
    if (delayMs === undefined) {
      policy.reset();
      timeline.finish(state, this.clock.now(), `${lambdaError.name}: ${message}`);
    } else {
      timeline.retrying(state, lambdaError.name, message, delayMs);
      await this.scheduler.sleep(delayMs);
    }
    return lambdaError;
  }
}
