/** How a fake describes a failure: status, fault side and the exception's modeled members. */
export interface AwsFaultOptions {
  httpStatusCode?: number;
  fault?: 'client' | 'server';
  /** Modeled members of the exception (`messages` of `InvalidChangeBatch`, `clusterName`, ...). */
  fields?: Record<string, unknown>;
}

/**
 * An error a fake raises in the service's own terms: the error code the service would send
 * (`InvalidChangeBatch`, `ResourceInUseException`, `Throttling`, ...), its message and HTTP status.
 * `attachFake` turns it into the exception the real SDK client would have thrown, so fakes never
 * build SDK exception objects themselves.
 */
export class AwsFault extends Error {
  override readonly name = 'AwsFault';
  readonly httpStatusCode: number;
  readonly fault: 'client' | 'server';
  readonly fields: Record<string, unknown>;

  constructor(
    /** The error code as the SDK names it (the exception class name where the SDK models one). */
    readonly code: string,
    message: string,
    options: AwsFaultOptions = {},
  ) {
    super(message);
    this.fault = options.fault ?? ((options.httpStatusCode ?? 400) >= 500 ? 'server' : 'client');
    this.httpStatusCode = options.httpStatusCode ?? (this.fault === 'server' ? 500 : 400);
    this.fields = options.fields ?? {};
  }
}

/** Raised when a test or the runtime calls an operation (or an option) a fake does not model. */
export class FakeNotImplementedError extends Error {
  override readonly name = 'FakeNotImplementedError';
}
