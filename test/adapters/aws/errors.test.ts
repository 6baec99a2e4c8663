import { describe, expect, it } from '@jest/globals';
import { Route53ServiceException } from '@aws-sdk/client-route-53';
import {
  ConflictError,
  DependencyUnavailableError,
  InvalidChangeError,
  NotConvergedError,
  PermissionDeniedError,
  ResourceNotFoundError,
  ThrottledError,
} from '../../../src/domain/errors.js';
import { awsCall, toDomainError } from '../../../src/adapters/aws/errors.js';

/** A raw SDK-like error, as the SDK builds for a code it does not model. */
function sdkError(name: string, httpStatusCode = 400, fault: 'client' | 'server' = 'client'): Error {
  return new Route53ServiceException({ name, $fault: fault, $metadata: { httpStatusCode }, message: `${name} happened` });
}

describe('toDomainError', () => {
  it.each([
    ['Throttling', 'ThrottledError', ThrottledError],
    ['ThrottlingException', 'ThrottledError', ThrottledError],
    ['TooManyRequestsException', 'ThrottledError', ThrottledError],
    ['RequestLimitExceeded', 'ThrottledError', ThrottledError],
    ['PriorRequestNotComplete', 'ConflictError', ConflictError],
    ['ResourceInUseException', 'ConflictError', ConflictError],
    ['ConcurrentModification', 'ConflictError', ConflictError],
    ['InvalidChangeBatch', 'InvalidChangeError', InvalidChangeError],
    ['InvalidInput', 'InvalidChangeError', InvalidChangeError],
    ['InvalidParameterException', 'InvalidChangeError', InvalidChangeError],
    ['InvalidRequestException', 'InvalidChangeError', InvalidChangeError],
    ['NoSuchHostedZone', 'ResourceNotFoundError', ResourceNotFoundError],
    ['NoSuchHealthCheck', 'ResourceNotFoundError', ResourceNotFoundError],
    ['NoSuchChange', 'ResourceNotFoundError', ResourceNotFoundError],
    ['ResourceNotFoundException', 'ResourceNotFoundError', ResourceNotFoundError],
    ['ResourceNotFound', 'ResourceNotFoundError', ResourceNotFoundError],
    ['AccessDenied', 'PermissionDeniedError', PermissionDeniedError],
    ['AccessDeniedException', 'PermissionDeniedError', PermissionDeniedError],
    ['UnrecognizedClientException', 'PermissionDeniedError', PermissionDeniedError],
  ])('maps %s to %s', (name, _domainName, DomainError) => {
    expect(toDomainError(sdkError(name), 'route53:ChangeResourceRecordSets Z1')).toBeInstanceOf(DomainError);
  });

  it('says which call failed and keeps the SDK error as the cause', () => {
    const original = sdkError('Throttling');
    const mapped = toDomainError(original, 'route53:ChangeResourceRecordSets Z1') as Error;
    expect(mapped.message).toBe('route53:ChangeResourceRecordSets Z1 failed: Throttling: Throttling happened');
    expect(mapped.cause).toBe(original);
  });

  it.each([
    ['a 5xx response', sdkError('InternalFailure', 500, 'server')],
    ['a 503 without a server fault', sdkError('ServiceUnavailable', 503)],
    ['an error the SDK marks retryable', Object.assign(sdkError('Unknown'), { $retryable: {} })],
    ['a time-out', Object.assign(new Error('socket hang up'), { name: 'TimeoutError' })],
    ['a reset connection', Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' })],
    ['a DNS failure', Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' })],
  ])('treats %s as the dependency being unavailable', (_case, error) => {
    expect(toDomainError(error, 'eks:DescribeCluster')).toBeInstanceOf(DependencyUnavailableError);
  });

  it('treats throttling marked by the SDK as throttling, even under an unknown name', () => {
    expect(toDomainError(Object.assign(sdkError('SlowDown', 503), { $retryable: { throttling: true } }), 'x')).toBeInstanceOf(ThrottledError);
  });

  it('returns other errors, and Lifeboat errors, unchanged', () => {
    const bug = new TypeError('cannot read properties of undefined');
    const ours = new NotConvergedError('not yet');
    expect(toDomainError(bug, 'x')).toBe(bug);
    expect(toDomainError(ours, 'x')).toBe(ours);
    expect(toDomainError(sdkError('SomethingNew'), 'x')).toBeInstanceOf(Route53ServiceException);
  });

  it('awsCall throws the mapped error and passes results through', async () => {
    await expect(awsCall('x', async () => 42)).resolves.toBe(42);
    await expect(awsCall('x', async () => Promise.reject(sdkError('Throttling')))).rejects.toBeInstanceOf(ThrottledError);
  });
});
