/**
 * The error family of Lifeboat. Every error a step can throw is one of these, with an explicit
 * `name`: Lambda reports `error.name` as the error type, and the state machines Retry and Catch by
 * these names (a test checks every `ErrorEquals` name exists here). Names are string literals, not
 * `this.constructor.name`, because minification renames classes.
 */
export abstract class LifeboatError extends Error {
  /** Whether trying again later can succeed (throttling, races, not-yet-converged work). */
  abstract readonly retryable: boolean;

  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
  }
}

/** A field-level problem in some input: `path` names the field (`apps[1].regions[0].name`). */
export interface FieldIssue {
  path: string;
  message: string;
}

export function formatIssues(issues: readonly FieldIssue[]): string {
  return issues.map((issue) => `${issue.path || '(root)'}: ${issue.message}`).join('\n');
}

// ---- Retryable ---------------------------------------------------------------------------------

/** Asynchronous work (a Route 53 change, a node group update, a restore) has not finished yet. */
export class NotConvergedError extends LifeboatError {
  override readonly name = 'NotConvergedError';
  readonly retryable = true;
}

/** A dependency said "slow down" (Route 53 `Throttling`, Kubernetes 429, ...). */
export class ThrottledError extends LifeboatError {
  override readonly name = 'ThrottledError';
  readonly retryable = true;
}

/** Somebody else is changing the same resource right now (EKS `ResourceInUseException`,
 * Route 53 `PriorRequestNotComplete`, Kubernetes 409 on an update). */
export class ConflictError extends LifeboatError {
  override readonly name = 'ConflictError';
  readonly retryable = true;
}

/** A dependency failed in a way that may pass (5xx, timeouts, connection resets). */
export class DependencyUnavailableError extends LifeboatError {
  override readonly name = 'DependencyUnavailableError';
  readonly retryable = true;
}

// ---- Fatal -------------------------------------------------------------------------------------

/** An event, request or step input does not have the expected shape. Never retried. */
export class InputValidationError extends LifeboatError {
  override readonly name = 'InputValidationError';
  readonly retryable = false;
  constructor(
    readonly issues: readonly FieldIssue[],
    what = 'input',
  ) {
    super(`invalid ${what}:\n${formatIssues(issues)}`);
  }
}

/** The configuration file is invalid; `issues` lists every problem, each naming its path. */
export class ConfigError extends LifeboatError {
  override readonly name = 'ConfigError';
  readonly retryable = false;
  constructor(
    readonly issues: readonly FieldIssue[],
    source = 'configuration',
  ) {
    super(`invalid ${source}:\n${formatIssues(issues)}`);
  }
}

/** Preflight found the target unsafe (cluster not ACTIVE, health check failing, stale backup). */
export class PreflightRefusedError extends LifeboatError {
  override readonly name = 'PreflightRefusedError';
  readonly retryable = false;
  constructor(readonly reasons: readonly string[]) {
    super(`preflight refused the failover: ${reasons.join('; ')}`);
  }
}

/** A Velero Restore reached a final phase other than Completed. */
export class RestoreFailedError extends LifeboatError {
  override readonly name = 'RestoreFailedError';
  readonly retryable = false;
}

/** An EKS node group update ended Failed or Cancelled. */
export class NodegroupUpdateFailedError extends LifeboatError {
  override readonly name = 'NodegroupUpdateFailedError';
  readonly retryable = false;
}

/** The target did not prove healthy after traffic moved. */
export class VerificationFailedError extends LifeboatError {
  override readonly name = 'VerificationFailedError';
  readonly retryable = false;
}

/** A resource the configuration names does not exist (hosted zone, record, cluster, node group...). */
export class ResourceNotFoundError extends LifeboatError {
  override readonly name = 'ResourceNotFoundError';
  readonly retryable = false;
}

/** A change was rejected by the service as invalid (Route 53 `InvalidChangeBatch`, EKS `InvalidParameterException`). */
export class InvalidChangeError extends LifeboatError {
  override readonly name = 'InvalidChangeError';
  readonly retryable = false;
}

/** The caller lacks a permission (AWS AccessDenied, Kubernetes 401/403). */
export class PermissionDeniedError extends LifeboatError {
  override readonly name = 'PermissionDeniedError';
  readonly retryable = false;
}

/** A notification could not be delivered. Retried a few times by the workflow, then ignored. */
export class NotificationFailedError extends LifeboatError {
  override readonly name = 'NotificationFailedError';
  readonly retryable = true;
}

/** A safety invariant would be broken by the change (traffic to an unhealthy region, every weight 0): nothing was changed. */
export class InvariantViolatedError extends LifeboatError {
  override readonly name = 'InvariantViolatedError';
  readonly retryable = false;
}

/** Another incident holds the app's failover lock: this one is collapsed into it, not run. */
export class LockHeldError extends LifeboatError {
  override readonly name = 'LockHeldError';
  readonly retryable = false;
}

/** Every error name that our code can raise, as the state machines refer to them. */
export const LIFEBOAT_ERROR_NAMES = [
  'NotConvergedError',
  'ThrottledError',
  'ConflictError',
  'DependencyUnavailableError',
  'InputValidationError',
  'ConfigError',
  'PreflightRefusedError',
  'RestoreFailedError',
  'NodegroupUpdateFailedError',
  'VerificationFailedError',
  'ResourceNotFoundError',
  'InvalidChangeError',
  'PermissionDeniedError',
  'NotificationFailedError',
  'LockHeldError',
  'InvariantViolatedError',
] as const;

export type LifeboatErrorName = (typeof LIFEBOAT_ERROR_NAMES)[number];

/**
 * Error names raised by the platform or a library rather than by our code, which the state machines
 * may also match: Step Functions' own, the Lambda service's invocation failures (including a crashed
 * or timed-out function), and Powertools idempotency's store errors.
 */
export const PLATFORM_ERROR_NAMES = [
  'States.ALL',
  'States.TaskFailed',
  'States.Timeout',
  'Lambda.ServiceException',
  'Lambda.AWSLambdaException',
  'Lambda.SdkClientException',
  'Lambda.TooManyRequestsException',
  'Lambda.Unknown',
  'Runtime.ExitError',
  'Sandbox.Timedout',
  'IdempotencyAlreadyInProgressError',
  'IdempotencyPersistenceLayerError',
] as const;

/** True for errors worth trying again; unknown errors count as not retryable. */
export function isRetryable(error: unknown): boolean {
  return error instanceof LifeboatError && error.retryable;
}
