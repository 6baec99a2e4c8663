import type { AwsFault } from './aws-fault.js';

/** Any SDK exception class: modeled ones take their members, the base class takes `name`/`$fault`. */
export type SdkExceptionClass = new (options: never) => Error;

/** The exception classes one SDK client exports, to build errors exactly as the client would. */
export interface ExceptionCatalog {
  /** The client's `…ServiceException`, which the SDK uses for error codes it does not model. */
  readonly base: SdkExceptionClass;
  /** Modeled exception classes by the name the SDK gives them (`InvalidChangeBatch`, ...). */
  readonly modeled: ReadonlyMap<string, SdkExceptionClass>;
}

/**
 * Collects the modeled exceptions of a client package: every export that extends its base
 * `…ServiceException`. Reading them from the package (rather than listing them) keeps the fakes
 * in step with the installed SDK.
 */
export function exceptionCatalog(sdkModule: Readonly<Record<string, unknown>>, base: SdkExceptionClass): ExceptionCatalog {
  const modeled = new Map<string, SdkExceptionClass>();
  for (const [exportName, value] of Object.entries(sdkModule)) {
    if (typeof value !== 'function' || value === base) continue;
    if (!Object.prototype.isPrototypeOf.call(base.prototype, value.prototype)) continue;
    modeled.set(exportName, value as SdkExceptionClass);
  }
  return { base, modeled };
}

/** Per-request details the SDK puts on `$metadata`. */
export interface ResponseMetadata {
  httpStatusCode: number;
  requestId: string;
  attempts: number;
  totalRetryDelay: number;
}

/**
 * Builds the exception the SDK would throw for this fault: an instance of the modeled class when
 * the client has one, otherwise the client's base exception with `name` set to the error code
 * (which is what the SDK does for unmodeled codes such as Route 53's `Throttling`).
 */
export function sdkExceptionFor(catalog: ExceptionCatalog, fault: AwsFault, requestId: string): Error {
  const $metadata: ResponseMetadata = { httpStatusCode: fault.httpStatusCode, requestId, attempts: 1, totalRetryDelay: 0 };
  // The SDK falls back to "UnknownError" when a service sends no message (SSM's ParameterNotFound does).
  const message = fault.message || 'UnknownError';
  const Modeled = catalog.modeled.get(fault.code);
  const options = { ...fault.fields, name: fault.code, $fault: fault.fault, $metadata, message };
  const exception = Modeled ? new Modeled(options as never) : new catalog.base(options as never);
  // Modeled classes fix `$fault` per class; an unmodeled code keeps the side the status says.
  return Object.assign(exception, { $metadata, message });
}
