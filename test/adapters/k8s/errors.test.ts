import { describe, expect, it } from '@jest/globals';
import { toDomainError } from '../../../src/adapters/k8s/errors.js';
import { KubeApiError } from '../../../src/adapters/k8s/kube-http.js';
import {
  ConflictError,
  DependencyUnavailableError,
  InvalidChangeError,
  NotConvergedError,
  PermissionDeniedError,
  ResourceNotFoundError,
  ThrottledError,
} from '../../../src/domain/errors.js';

function apiException(code: number, reason?: string, message?: string): KubeApiError {
  const body = reason ? JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', reason, message, code }) : '';
  return new KubeApiError(code, body, {}, 'GET /apis/x');
}

describe('toDomainError', () => {
  it.each([
    [401, 'Unauthorized', PermissionDeniedError],
    [403, 'Forbidden', PermissionDeniedError],
    [404, 'NotFound', ResourceNotFoundError],
    [409, 'Conflict', ConflictError],
    [400, 'BadRequest', InvalidChangeError],
    [422, 'Invalid', InvalidChangeError],
    [429, 'TooManyRequests', ThrottledError],
    [500, 'InternalError', DependencyUnavailableError],
    [503, 'ServiceUnavailable', DependencyUnavailableError],
    [504, 'Timeout', DependencyUnavailableError],
  ] as const)('maps HTTP %d %s to %p, keeping the cause', (code, reason, errorClass) => {
    const cause = apiException(code, reason, 'what the server said');

    const error = toDomainError(cause, 'read thing x');

    expect(error).toBeInstanceOf(errorClass);
    expect(error.message).toBe(`read thing x: HTTP ${code} ${reason}: what the server said`);
    expect(error.cause).toBe(cause);
  });

  it('copes with a 401 that has no body', () => {
    expect(toDomainError(apiException(401), 'read thing x').message).toBe('read thing x: HTTP 401');
  });

  it('maps a refused connection to DependencyUnavailableError', () => {
    const refused = Object.assign(new Error('request to https://k8s failed, reason: connect ECONNREFUSED'), { name: 'FetchError', type: 'system', code: 'ECONNREFUSED' });

    expect(toDomainError(refused, 'read thing x')).toBeInstanceOf(DependencyUnavailableError);
  });

  it('passes our own errors through and leaves bugs alone', () => {
    const ours = new NotConvergedError('not yet');
    const bug = new TypeError('cannot read properties of undefined');

    expect(toDomainError(ours, 'x')).toBe(ours);
    expect(toDomainError(bug, 'x')).toBe(bug);
  });
});
