import {
  ConflictError,
  DependencyUnavailableError,
  InvalidChangeError,
  LifeboatError,
  PermissionDeniedError,
  ResourceNotFoundError,
  ThrottledError,
} from '../../domain/errors.js';

/*
 * The one place AWS SDK errors become Lifeboat's. The SDK gives every service error a `name`
 * (the error code, e.g. Route 53's `Throttling`), `$fault`, `$metadata.httpStatusCode` and
 * sometimes `$retryable`; network failures arrive as Node errors with a `code` (ECONNRESET...) or
 * as `TimeoutError`. The state machines Retry and Catch by the domain names.
 */

const THROTTLING = new Set([
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'ProvisionedThroughputExceededException', // DynamoDB, on-demand tables included
]);

const CONFLICT = new Set([
  'PriorRequestNotComplete', // Route 53: a change to the zone is still being processed
  'ResourceInUseException', // EKS: another update of the node group is in progress
  'ConcurrentModification',
  'ConcurrentModificationException',
  'ConflictException',
]);

const INVALID = new Set([
  'InvalidChangeBatch',
  'InvalidInput',
  'InvalidParameterException',
  'InvalidRequestException',
  'InvalidParameterValueException',
  'InvalidParameterCombinationException',
  'InvalidFormatFault',
  'ValidationException',
  'ValidationError',
  'InvalidArn',
  'InvalidName',
  'InvalidExecutionInput',
]);

const NOT_FOUND = new Set([
  'NoSuchHostedZone',
  'NoSuchHealthCheck',
  'NoSuchChange',
  'ResourceNotFoundException',
  'ResourceNotFound',
  'NotFoundException',
  'ParameterNotFound',
  'ParameterVersionNotFound',
  'StateMachineDoesNotExist',
]);

const PERMISSION = new Set([
  'UnrecognizedClient',
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'ExpiredTokenException',
  'NotAuthorizedException',
  'CredentialsProviderError', // no credentials at all: as fatal as being refused
]);

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

const TIMEOUT_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'AbortError']);

interface SdkErrorShape {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  $fault?: unknown;
  $retryable?: { throttling?: boolean };
  $metadata?: { httpStatusCode?: number };
}

/**
 * Maps an error from an AWS SDK call to a Lifeboat error, naming the call that failed and keeping
 * the original as `cause`: throttling → ThrottledError; a concurrent change (Route 53
 * PriorRequestNotComplete, EKS ResourceInUseException) → ConflictError; a rejected change or
 * request → InvalidChangeError; a missing zone, change, health check, cluster, alarm, parameter...
 * → ResourceNotFoundError; AccessDenied* and bad credentials → PermissionDeniedError; 5xx,
 * `$retryable`, time-outs and network errors → DependencyUnavailableError. Anything else (and
 * errors that already are Lifeboat errors) is returned unchanged, for the caller to rethrow.
 *
 * @param call what was being done, e.g. `route53:ChangeResourceRecordSets Z123`.
 */
export function toDomainError(error: unknown, call: string): unknown {
  if (error instanceof LifeboatError || typeof error !== 'object' || error === null) return error;
  const shape = error as SdkErrorShape;
  const name = typeof shape.name === 'string' ? shape.name : '';
  const status = shape.$metadata?.httpStatusCode;
  const message = `${call} failed: ${name || 'Error'}: ${typeof shape.message === 'string' ? shape.message : ''}`.trimEnd();
  const options = { cause: error };

  if (THROTTLING.has(name) || shape.$retryable?.throttling === true) return new ThrottledError(message, options);
  if (CONFLICT.has(name)) return new ConflictError(message, options);
  if (INVALID.has(name)) return new InvalidChangeError(message, options);
  if (NOT_FOUND.has(name)) return new ResourceNotFoundError(message, options);
  if (name.startsWith('AccessDenied') || PERMISSION.has(name)) return new PermissionDeniedError(message, options);
  const transient =
    shape.$fault === 'server' ||
    (typeof status === 'number' && status >= 500) ||
    shape.$retryable !== undefined ||
    TIMEOUT_NAMES.has(name) ||
    (typeof shape.code === 'string' && NETWORK_CODES.has(shape.code));
  if (transient) return new DependencyUnavailableError(message, options);
  return error;
}

/** Runs one SDK call and throws its failure as a Lifeboat error (see `toDomainError`). */
export async function awsCall<T>(call: string, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw toDomainError(error, call);
  }
}
