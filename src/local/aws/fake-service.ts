import type { Clock } from '../../ports/clock.js';
import { currentState } from '../step-context.js';
import { AwsFault, FakeNotImplementedError, type AwsFaultOptions } from './aws-fault.js';
import type { AwsFake, FakeCallContext } from './attach-fake.js';
import type { ExceptionCatalog } from './exception-catalog.js';

/** One call a fake answered (or refused), for tests and the simulator's timeline. */
export interface FakeCall {
  operation: string;
  region: string;
  input: unknown;
  at: Date;
  /** The error code when the call failed. */
  error?: string;
  /** The state machine state whose Task made the call; absent for a trigger, the CLI or a test. */
  state?: string;
}

/** A failure `failNext` can inject: what the service sends for that error code. */
export interface FaultTemplate extends AwsFaultOptions {
  message: string;
}

/** The account every fake pretends to run in, used in ARNs. */
export const FAKE_ACCOUNT_ID = '123456789012';

type Operation = (input: never, context: FakeCallContext) => object;

/**
 * What every fake shares: dispatch by operation name to a method of the same name, a call log,
 * and fault injection. State lives in the subclasses and is computed from `clock.now()` when read,
 * so nothing needs timers: advancing a virtual clock is enough for asynchronous work to finish.
 */
export abstract class FakeAwsService implements AwsFake {
  abstract readonly fakeName: string;
  abstract readonly exceptions: ExceptionCatalog;
  /** Operations this fake models; each is a method with that exact (PascalCase) name. */
  protected abstract readonly operations: readonly string[];
  /** Error codes `failNext` accepts, with the status and message the real service sends. */
  protected abstract readonly injectableFaults: Readonly<Record<string, FaultTemplate>>;

  /** Every call in order, including injected and validation failures. */
  readonly calls: FakeCall[] = [];
  private readonly pendingFaults = new Map<string, string[]>();
  private readonly regionsDown = new Map<string, string>();

  constructor(protected readonly clock: Clock) {}

  /**
   * Makes the next `times` calls of `operation` fail with `errorName` before the fake looks at
   * the input, as a throttled or busy service would. Unknown operations or error names throw, so
   * a typo cannot silently inject nothing.
   */
  failNext(operation: string, errorName: string, times = 1): this {
    if (!this.operations.includes(operation)) {
      throw new RangeError(`${this.fakeName} has no operation ${operation}; it models ${this.operations.join(', ')}`);
    }
    if (!(errorName in this.injectableFaults)) {
      throw new RangeError(
        `${this.fakeName} cannot inject ${errorName}; choose one of ${Object.keys(this.injectableFaults).join(', ')}`,
      );
    }
    if (!(Number.isInteger(times) && times > 0)) throw new RangeError(`times must be a positive integer, got ${times}`);
    const queue = this.pendingFaults.get(operation) ?? [];
    queue.push(...Array.from({ length: times }, () => errorName));
    this.pendingFaults.set(operation, queue);
    return this;
  }

  /**
   * A regional outage of this service: every call to `region` fails with `errorName` until
   * `restoreRegion`. Lets a simulation prove the workflow does not depend on the failing region.
   */
  failRegion(region: string, errorName: string): this {
    if (!(errorName in this.injectableFaults)) throw new RangeError(`${this.fakeName} cannot inject ${errorName}`);
    this.regionsDown.set(region, errorName);
    return this;
  }

  restoreRegion(region: string): this {
    this.regionsDown.delete(region);
    return this;
  }

  /** How many calls of `operation` (or of any operation) the fake received. */
  callCount(operation?: string): number {
    return operation === undefined ? this.calls.length : this.calls.filter((call) => call.operation === operation).length;
  }

  async handle(operation: string, input: unknown, context: FakeCallContext): Promise<object> {
    const call = this.logCall(operation, input, context);
    try {
      if (!this.operations.includes(operation)) {
        throw new FakeNotImplementedError(
          `${this.fakeName} does not implement ${operation} (called through ${context.clientName}); ` +
            `it models ${this.operations.join(', ')}`,
        );
      }
      const injected = this.regionsDown.get(context.region) ?? this.pendingFaults.get(operation)?.shift();
      if (injected) throw this.faultFor(injected);
      const method = (this as unknown as Record<string, Operation>)[operation];
      if (typeof method !== 'function') throw new FakeNotImplementedError(`${this.fakeName}.${operation} is listed but missing`);
      return method.call(this, (input ?? {}) as never, context);
    } catch (error) {
      call.error = error instanceof AwsFault ? error.code : error instanceof Error ? error.name : 'unknown';
      throw error;
    }
  }

  /**
   * Refuses a call over the service's request rate with `Throttling` ("Rate exceeded"), logged
   * like any other failed call, before the fake looks at the input: the service's front door.
   */
  protected throttle(operation: string, input: unknown, context: FakeCallContext): never {
    this.logCall(operation, input, context).error = 'Throttling';
    const { message, ...options } = this.injectableFaults.Throttling ?? { message: 'Rate exceeded', httpStatusCode: 400 };
    throw new AwsFault('Throttling', message, options);
  }

  private logCall(operation: string, input: unknown, context: FakeCallContext): FakeCall {
    const state = currentState();
    const call: FakeCall = { operation, region: context.region, input: structuredClone(input), at: this.clock.now(), ...(state === undefined ? {} : { state }) };
    this.calls.push(call);
    return call;
  }

  private faultFor(errorName: string): AwsFault {
    const template = this.injectableFaults[errorName];
    if (!template) throw new RangeError(`${this.fakeName} cannot inject ${errorName}`);
    const { message, ...options } = template;
    return new AwsFault(errorName, message, options);
  }
}
