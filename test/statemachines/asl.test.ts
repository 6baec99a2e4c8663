import { readdirSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import aslValidator from 'asl-validator';
import { LIFEBOAT_ERROR_NAMES, PLATFORM_ERROR_NAMES } from '../../src/domain/errors.js';
import { allStates, loadDefinition, taskFunctions, withPlaceholderArns } from '../../src/local/asl.js';
import { localHandlers } from '../../src/local/handlers.js';
import { readServerlessYml } from '../support/serverless.js';

const files = readdirSync('statemachines').filter((file) => /\.asl\.json$/.test(file));
const definitions = files.map((file) => [file, loadDefinition(`statemachines/${file}`)] as const);
const serverless = readServerlessYml();

describe.each(definitions)('the state machine %s', (_file, definition) => {
  it('passes asl-validator', () => {
    const result = aslValidator(withPlaceholderArns(definition));
    expect(result.errors).toEqual([]);
    expect(result.isValid).toBe(true);
  });

  it('retries and catches only error names the errors module defines (or the platform raises)', () => {
    const known = new Set<string>([...LIFEBOAT_ERROR_NAMES, ...PLATFORM_ERROR_NAMES]);
    const named = allStates(definition).flatMap(([, state]) =>
      [...(state.Retry ?? []), ...((state.Catch as { ErrorEquals: string[] }[] | undefined) ?? [])].flatMap((rule) => rule.ErrorEquals),
    );
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((name) => !known.has(name))).toEqual([]);
  });

  it('invokes only functions that serverless.yml deploys and the embedded runtime binds', () => {
    const invoked = new Set(taskFunctions(definition).values());
    for (const fn of invoked) {
      expect(serverless.functions).toHaveProperty(fn);
      expect(localHandlers).toHaveProperty(fn);
    }
  });

  it('has no Wait state (waiting is a Retry on NotConvergedError) and a timeout on every Task', () => {
    const states = allStates(definition);
    expect(states.filter(([, s]) => s.Type === 'Wait')).toEqual([]);
    // A fixed TimeoutSeconds, or one from the input (the approval gate's comes from the app's policy).
    const timed = (s: Record<string, unknown>) => typeof s.TimeoutSeconds === 'number' || typeof s.TimeoutSecondsPath === 'string';
    expect(states.filter(([, s]) => s.Type === 'Task' && !timed(s)).map(([n]) => n)).toEqual([]);
  });
});

describe('the embedded runtime', () => {
  it('binds a handler for every function serverless.yml deploys, by the same name and file', () => {
    expect(Object.keys(localHandlers).sort()).toEqual(Object.keys(serverless.functions).sort());
  });
});
