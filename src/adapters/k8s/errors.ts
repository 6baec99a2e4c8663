import {
  ConflictError,
  DependencyUnavailableError,
  InvalidChangeError,
  LifeboatError,
  PermissionDeniedError,
  ResourceNotFoundError,
  ThrottledError,
} from '../../domain/errors.js';
import { KubeApiError, KubeTransportError } from './kube-http.js';

/** The parts of a Kubernetes `Status` error body we use. */
export interface KubeStatus {
  code?: number;
  reason?: string;
  message?: string;
}

/** The HTTP status and `Status` body of a `KubeApiError` (its body is the raw text), else undefined. */
export function apiFailure(error: unknown): { code: number; status: KubeStatus } | undefined {
  if (!(error instanceof KubeApiError)) return undefined;
  const { code, body } = error;
  let status: KubeStatus = {};
  if (body) {
    try {
      const parsed = JSON.parse(body) as unknown;
      status = typeof parsed === 'object' && parsed !== null ? (parsed as KubeStatus) : { message: body };
    } catch {
      status = { message: body };
    }
  }
  return { code, status };
}

// What KubeHttpClient rejects with when there was no answer, and Node's socket errors (and fetch-style wrappers of them).
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_SOCKET']);

function isNetworkError(error: unknown): boolean {
  if (error instanceof KubeTransportError) return true;
  if (!(error instanceof Error)) return false;
  const { code, type } = error as Error & { code?: unknown; type?: unknown };
  return (
    error.name === 'FetchError' ||
    error.name === 'AbortError' ||
    type === 'system' ||
    (typeof code === 'string' && (NETWORK_CODES.has(code) || code.startsWith('ERR_SSL') || code.startsWith('CERT_') || code.startsWith('DEPTH_ZERO')))
  );
}

/**
 * Turns what the API client threw into our error family, keeping it as `cause`. `what` names the
 * call and object (`read deployment prod/web on eu-west-1/blue`) for the message.
 * 401/403 → PermissionDenied; 404 → ResourceNotFound; 409 → Conflict (callers that create
 * handle AlreadyExists first); 400/422 and other 4xx → InvalidChange (400 is what strict field
 * validation answers); 429 → Throttled; 5xx, 408, 410 and network failures → DependencyUnavailable.
 * Our own errors pass through; anything else (a bug) is rethrown as is.
 */
export function toDomainError(error: unknown, what: string): Error {
  if (error instanceof LifeboatError) return error;
  const failure = apiFailure(error);
  if (failure) {
    const { code, status } = failure;
    const detail = `${what}: HTTP ${code}${status.reason ? ` ${status.reason}` : ''}${status.message ? `: ${status.message}` : ''}`;
    const options = { cause: error };
    if (code === 401 || code === 403) return new PermissionDeniedError(detail, options);
    if (code === 404) return new ResourceNotFoundError(detail, options);
    if (code === 409) return new ConflictError(detail, options);
    if (code === 429) return new ThrottledError(detail, options);
    if (code >= 500 || code === 408 || code === 410) return new DependencyUnavailableError(detail, options);
    if (code >= 400) return new InvalidChangeError(detail, options);
    return new DependencyUnavailableError(`${what}: unexpected HTTP ${code}`, options);
  }
  if (isNetworkError(error)) {
    return new DependencyUnavailableError(`${what}: ${(error as Error).message}`, { cause: error });
  }
  return error instanceof Error ? error : new Error(String(error));
}
