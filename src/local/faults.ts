import { InputValidationError } from '../domain/errors.js';

/*
 * Fault injection for the embedded runtime: crash a step at a chosen point, or make a dependency
 * fail the way the real one does. The workflow's own Retry/Catch must carry every case to the same
 * final state as a fault-free run (test/statemachines/fault-matrix.e2e.test.ts).
 */

/**
 * Where a step dies:
 * - `before`: the Lambda crashes before doing anything (Step Functions sees `Runtime.ExitError`);
 * - `after`: the step did its work but the Lambda crashes before its result reaches Step Functions;
 * - `timeout`: the Lambda times out right after its first side effect, mid-step (`Sandbox.Timedout`).
 */
export type CrashPoint = 'before' | 'after' | 'timeout';
export const CRASH_POINTS: readonly CrashPoint[] = ['before', 'after', 'timeout'];

export type DependencyFault =
  | { kind: 'route53'; error: 'Throttling' | 'PriorRequestNotComplete'; times: number }
  | { kind: 'eks'; error: 'ResourceInUseException' | 'ThrottlingException' | 'ServerException'; times: number }
  | { kind: 'kubernetes'; status: 409 | 429 | 500; times: number }
  | { kind: 'dynamodb'; error: 'ThrottlingException' | 'ProvisionedThroughputExceededException' | 'InternalServerError'; times: number }
  | { kind: 'slack'; failure: 500 | 503 | 'hangup'; times: number };

export type Fault = { kind: 'crash'; state: string; point: CrashPoint } | DependencyFault;

/** An error as the Lambda service reports a dead invocation: its name is the error type Step Functions matches. */
export class SimulatedLambdaFailure extends Error {
  constructor(name: 'Runtime.ExitError' | 'Sandbox.Timedout', state: string) {
    super(name === 'Sandbox.Timedout' ? `Task timed out (injected) in ${state}` : `Runtime exited without providing a reason (injected crash in ${state})`);
    this.name = name;
  }
}

/** The crashes still to happen, consulted by the local runner and the side-effect hooks. */
export class CrashPlan {
  private readonly pending: { state: string; point: CrashPoint }[] = [];
  readonly fired: { state: string; point: CrashPoint }[] = [];

  add(state: string, point: CrashPoint): void {
    this.pending.push({ state, point });
  }

  /** Called by the runner before invoking a state's handler. */
  beforeInvoke(state: string): void {
    this.fire(state, 'before', 'Runtime.ExitError');
  }

  /** Called by the runner after a state's handler returned, before the result is handed back. */
  afterInvoke(state: string): void {
    this.fire(state, 'after', 'Runtime.ExitError');
  }

  /** Called after each side effect a step makes. */
  afterSideEffect(state: string | undefined): void {
    if (state) this.fire(state, 'timeout', 'Sandbox.Timedout');
  }

  private fire(state: string, point: CrashPoint, name: 'Runtime.ExitError' | 'Sandbox.Timedout'): void {
    const index = this.pending.findIndex((crash) => crash.state === state && crash.point === point);
    if (index < 0) return;
    this.fired.push(...this.pending.splice(index, 1));
    throw new SimulatedLambdaFailure(name, state);
  }
}

const SPEC_HELP =
  'crash:STATE:before|after|timeout, route53:Throttling|PriorRequestNotComplete[:N], eks:ResourceInUseException|ThrottlingException|ServerException[:N], ' +
  'k8s:409|429|500[:N], dynamodb:ThrottlingException|ProvisionedThroughputExceededException|InternalServerError[:N], slack:500|503|hangup[:N]';

/** Parses `lifeboat simulate --inject` values, e.g. `crash:ShiftTraffic:after`, `route53:Throttling:3`, `k8s:429`. */
export function parseFault(spec: string): Fault {
  const [kind, what, count] = spec.split(':');
  const times = count === undefined ? 1 : Number(count);
  const fail = (message: string): never => {
    throw new InputValidationError([{ path: '--inject', message: `${JSON.stringify(spec)}: ${message} (expected ${SPEC_HELP})` }], 'arguments');
  };
  if (kind !== 'crash' && !(Number.isInteger(times) && times >= 1 && times <= 100)) fail('the count must be a whole number from 1 to 100');
  switch (kind) {
    case 'crash':
      if (!what || !CRASH_POINTS.includes(count as CrashPoint)) fail('name a state and a crash point');
      return { kind: 'crash', state: what!, point: count as CrashPoint };
    case 'route53':
      if (what !== 'Throttling' && what !== 'PriorRequestNotComplete') fail('unknown Route 53 fault');
      return { kind: 'route53', error: what as 'Throttling', times };
    case 'eks':
      if (!['ResourceInUseException', 'ThrottlingException', 'ServerException'].includes(what ?? '')) fail('unknown EKS fault');
      return { kind: 'eks', error: what as 'ResourceInUseException', times };
    case 'k8s':
    case 'kubernetes':
      if (!['409', '429', '500'].includes(what ?? '')) fail('unknown Kubernetes status');
      return { kind: 'kubernetes', status: Number(what) as 409, times };
    case 'dynamodb':
      if (!['ThrottlingException', 'ProvisionedThroughputExceededException', 'InternalServerError'].includes(what ?? '')) fail('unknown DynamoDB fault');
      return { kind: 'dynamodb', error: what as 'ThrottlingException', times };
    case 'slack':
      if (!['500', '503', 'hangup'].includes(what ?? '')) fail('unknown Slack fault');
      return { kind: 'slack', failure: what === 'hangup' ? 'hangup' : (Number(what) as 500), times };
    default:
      return fail('unknown kind of fault');
  }
}
