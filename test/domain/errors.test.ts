import { describe, expect, it } from '@jest/globals';
import * as errors from '../../src/domain/errors.js';

type AnyErrorClass = new (arg: never[]) => errors.LifeboatError;

describe('the errors module', () => {
  const classes = (Object.values(errors) as unknown[]).filter(
    (value): value is AnyErrorClass => typeof value === 'function' && value.prototype instanceof errors.LifeboatError,
  );

  it('lists exactly the error classes it defines, by the name each sets', () => {
    const names = classes.map((ErrorClass) => new ErrorClass([]).name);
    expect(names.sort()).toEqual([...errors.LIFEBOAT_ERROR_NAMES].sort());
  });

  it('marks throttling, conflicts and unfinished work retryable, validation fatal', () => {
    expect(errors.isRetryable(new errors.ThrottledError('slow down'))).toBe(true);
    expect(errors.isRetryable(new errors.NotConvergedError('not yet'))).toBe(true);
    expect(errors.isRetryable(new errors.InputValidationError([{ path: 'detail', message: 'required' }]))).toBe(false);
    expect(errors.isRetryable(new Error('plain'))).toBe(false);
  });

  it('names every field in a validation message', () => {
    const error = new errors.ConfigError([
      { path: 'apps[1].regions[0].route53.setIdentifier', message: 'required' },
      { path: 'apps[0].name', message: 'must not be empty' },
    ]);
    expect(error.message).toContain('apps[1].regions[0].route53.setIdentifier: required');
    expect(error.message).toContain('apps[0].name: must not be empty');
  });
});
