import { describe, expect, it, jest } from '@jest/globals';
import type { AslDefinition } from '../../src/local/asl.js';
import { VirtualScheduler } from '../../src/local/scheduler.js';
import { LocalStateMachineRunner, STATE_DATA_LIMIT_BYTES } from '../../src/local/state-machine-runner.js';
import { VirtualClock } from '../../src/local/virtual-clock.js';
import { NotConvergedError } from '../../src/domain/errors.js';

const fn = (name: string) => ({ 'Fn::GetAtt': [name, 'Arn'] });
const waitRetry = (interval: number, attempts = 100) => [{ ErrorEquals: ['NotConvergedError'], IntervalSeconds: interval, MaxAttempts: attempts, BackoffRate: 1 }];

/** A handler that is done once `seconds` of virtual time have passed since its first call. */
function doneAfter(clock: VirtualClock, seconds: number) {
  let firstCall: number | undefined;
  return async () => {
    firstCall ??= clock.now().getTime();
    if (clock.now().getTime() - firstCall < seconds * 1000) throw new NotConvergedError('not yet');
    return { doneAt: clock.now().toISOString() };
  };
}

function setup(definition: AslDefinition, handlers: Record<string, (clock: VirtualClock) => (event: unknown) => Promise<unknown>>) {
  const clock = new VirtualClock('2026-01-01T00:00:00Z');
  const bound = Object.fromEntries(Object.entries(handlers).map(([name, make]) => [name, make(clock)]));
  const runner = new LocalStateMachineRunner(definition, bound, clock, new VirtualScheduler(clock));
  return { clock, runner };
}

describe('the local state machine runner', () => {
  it('overlaps the waits of parallel branches in virtual time, as AWS would', async () => {
    // arrange
    const definition: AslDefinition = {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          End: true,
          Branches: [
            { StartAt: 'Slow', States: { Slow: { Type: 'Task', Resource: fn('slow'), Retry: waitRetry(15), End: true } } },
            { StartAt: 'Fast', States: { Fast: { Type: 'Task', Resource: fn('fast'), Retry: waitRetry(10), End: true } } },
          ],
        },
      },
    };
    const { runner } = setup(definition, { slow: (clock) => doneAfter(clock, 180), fast: (clock) => doneAfter(clock, 120) });

    // act
    const outcome = await runner.run('parallel', {});

    // assert
    expect(outcome.status).toBe('SUCCEEDED');
    expect(outcome.stoppedAt).toBe('2026-01-01T00:03:00.000Z');
    const byName = Object.fromEntries(outcome.steps.map((s) => [s.name, s]));
    expect(byName.Slow).toMatchObject({ status: 'succeeded', end: '2026-01-01T00:03:00.000Z', attempts: 13 });
    expect(byName.Fast).toMatchObject({ status: 'succeeded', end: '2026-01-01T00:02:00.000Z', attempts: 13 });
  });

  it('catches by error name once the retries are exhausted, with the Lambda-shaped cause', async () => {
    const definition: AslDefinition = {
      StartAt: 'Never',
      States: {
        Never: { Type: 'Task', Resource: fn('never'), Retry: waitRetry(10, 3), Catch: [{ ErrorEquals: ['NotConvergedError'], ResultPath: '$.error', Next: 'Failed' }], End: true },
        Failed: { Type: 'Fail', ErrorPath: '$.error.Error', CausePath: '$.error.Cause' },
      },
    };
    const { runner } = setup(definition, { never: () => async () => Promise.reject(new NotConvergedError('still waiting')) });

    const outcome = await runner.run('exhausted', {});

    expect(outcome.status).toBe('FAILED');
    expect(outcome.error).toBe('NotConvergedError');
    expect(JSON.parse(outcome.cause!)).toEqual({ errorType: 'NotConvergedError', errorMessage: 'still waiting' });
    expect(outcome.steps[0]).toMatchObject({ attempts: 4, status: 'failed' });
    expect(outcome.stoppedAt).toBe('2026-01-01T00:00:30.000Z');
  });

  it('fails the execution with States.DataLimitExceeded when a Task result is over 256 KiB, past any Catch, and runs nothing after it', async () => {
    // arrange: States.ALL does not catch the data limit on AWS, so the Catch below must not run
    const definition: AslDefinition = {
      StartAt: 'Big',
      States: {
        Big: { Type: 'Task', Resource: fn('big'), Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'After' }], Next: 'After' },
        After: { Type: 'Task', Resource: fn('after'), End: true },
      },
    };
    let afterRan = false;
    const { runner } = setup(definition, {
      big: () => async (event) => ({ event, padding: 'x'.repeat(STATE_DATA_LIMIT_BYTES) }),
      after: () => async () => { afterRan = true; return {}; },
    });

    // act
    const outcome = await runner.run('too-big', {});

    // assert
    expect(outcome.status).toBe('FAILED');
    expect(outcome.error).toBe('States.DataLimitExceeded');
    expect(outcome.cause).toMatch(/result of state 'Big' has 2621\d\d bytes/);
    expect(afterRan).toBe(false);
    expect(outcome.steps).toEqual([expect.objectContaining({ name: 'Big', status: 'failed', error: expect.stringMatching(/^States\.DataLimitExceeded/) })]);
  });

  it("times the execution out at the definition's TimeoutSeconds on virtual time: TIMED_OUT, past any Catch, nothing runs after", async () => {
    // arrange: a wait that never converges (60 s retries, 100 of them) in a run limited to 10 minutes:
    // attempts at 0, 1, … 9 min; the one due at 10 min finds the execution over
    const definition: AslDefinition = {
      TimeoutSeconds: 600,
      StartAt: 'Wait',
      States: {
        Wait: { Type: 'Task', Resource: fn('never'), Retry: waitRetry(60), Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Cleanup' }], End: true },
        Cleanup: { Type: 'Task', Resource: fn('cleanup'), End: true },
      },
    };
    let cleanupRan = false;
    const { runner } = setup(definition, {
      never: () => async () => Promise.reject(new NotConvergedError('not yet')),
      cleanup: () => async () => { cleanupRan = true; return {}; },
    });

    // act
    const outcome = await runner.run('too-long', {});

    // assert
    expect(outcome).toMatchObject({ status: 'TIMED_OUT', error: 'States.Timeout', stoppedAt: '2026-01-01T00:10:00.000Z' });
    expect(outcome.cause).toMatch(/ran past its TimeoutSeconds \(600 s\) in state 'Wait'/);
    expect(cleanupRan).toBe(false);
    expect(outcome.steps).toEqual([expect.objectContaining({ name: 'Wait', status: 'failed', attempts: 10, end: '2026-01-01T00:10:00.000Z' })]);
  });

  it('lets a run that ends inside its TimeoutSeconds succeed', async () => {
    const definition: AslDefinition = { TimeoutSeconds: 600, StartAt: 'Wait', States: { Wait: { Type: 'Task', Resource: fn('wait'), Retry: waitRetry(60), End: true } } };
    const { runner } = setup(definition, { wait: (clock) => doneAfter(clock, 540) });

    const outcome = await runner.run('in-time', {});

    expect(outcome).toMatchObject({ status: 'SUCCEEDED', stoppedAt: '2026-01-01T00:09:00.000Z' });
  });

  it('passes a Task result of exactly 256 KiB', async () => {
    const definition: AslDefinition = { StartAt: 'Full', States: { Full: { Type: 'Task', Resource: fn('full'), End: true } } };
    const { runner } = setup(definition, { full: () => async () => 'x'.repeat(STATE_DATA_LIMIT_BYTES - 2) });

    const outcome = await runner.run('at-limit', {});

    expect(outcome.status).toBe('SUCCEEDED');
  });

  it("does not time a Lambda Task out on real time: a handler slow on a busy machine is not a Lambda past its TimeoutSeconds", async () => {
    // arrange: the handler answers only after 61 s of (fake) real time, with TimeoutSeconds 60.
    // 500 Map iterations share this thread, so a handler's real time says nothing of its Lambda's.
    const definition: AslDefinition = { StartAt: 'Busy', States: { Busy: { Type: 'Task', Resource: fn('busy'), TimeoutSeconds: 60, End: true } } };
    let entered!: () => void;
    const started = new Promise<void>((resolve) => (entered = resolve));
    let answer!: () => void;
    const answered = new Promise<void>((resolve) => (answer = resolve));
    const { runner } = setup(definition, { busy: () => async () => { entered(); await answered; return { done: true }; } });
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    try {
      // act
      const run = runner.run('busy', {});
      await started;
      jest.advanceTimersByTime(61_000);
      answer();
      const outcome = await run;

      // assert
      expect(outcome).toMatchObject({ status: 'SUCCEEDED', output: { done: true } });
    } finally {
      jest.useRealTimers();
    }
  });

  it('times a Lambda Task out on virtual time: States.Timeout, retried and caught by that name', async () => {
    // arrange: each attempt takes 61 s of virtual time (a slow Lambda), TimeoutSeconds 60
    const definition: AslDefinition = {
      StartAt: 'Slow',
      States: {
        Slow: {
          Type: 'Task',
          Resource: fn('slow'),
          TimeoutSeconds: 60,
          Retry: [{ ErrorEquals: ['States.Timeout'], IntervalSeconds: 5, MaxAttempts: 1 }],
          Catch: [{ ErrorEquals: ['States.Timeout'], ResultPath: '$.error', Next: 'TimedOut' }],
          End: true,
        },
        TimedOut: { Type: 'Pass', End: true },
      },
    };
    let attempts = 0;
    const { runner } = setup(definition, { slow: (clock) => async () => { attempts += 1; clock.advance(61_000); return {}; } });

    // act
    const outcome = await runner.run('slow', {});

    // assert
    expect(outcome.status).toBe('SUCCEEDED');
    expect(outcome.output).toMatchObject({ error: { Error: 'States.Timeout', Cause: expect.stringMatching(/61 s of virtual time, TimeoutSeconds is 60/) } });
    expect(attempts).toBe(2);
    expect(outcome.steps[0]).toMatchObject({ name: 'Slow', attempts: 2, status: 'failed' });
  });

  it('times a Lambda Task out on virtual time only when it reaches TimeoutSeconds', async () => {
    const definition: AslDefinition = { StartAt: 'Quick', States: { Quick: { Type: 'Task', Resource: fn('quick'), TimeoutSeconds: 60, End: true } } };
    const { runner } = setup(definition, { quick: (clock) => async () => { clock.advance(59_999); return { ok: true }; } });

    const outcome = await runner.run('quick', {});

    expect(outcome.status).toBe('SUCCEEDED');
  });

  it('refuses a definition whose Task names a function without a handler', () => {
    const definition: AslDefinition = { StartAt: 'X', States: { X: { Type: 'Task', Resource: fn('missing'), End: true } } };
    expect(() => setup(definition, {})).toThrow(/function missing/);
  });

  it('validates every definition it has not accepted before: an invalid one is refused each time', () => {
    // a Choice without Choices, and a Pass whose Next names no state: asl-validator refuses both
    const invalid = { StartAt: 'Pick', States: { Pick: { Type: 'Choice', Default: 'Done' }, Done: { Type: 'Pass', Next: 'Nowhere' } } } as unknown as AslDefinition;
    expect(() => setup(invalid, {})).toThrow();
    expect(() => setup(invalid, {})).toThrow();
    const valid: AslDefinition = { StartAt: 'Done', States: { Done: { Type: 'Pass', End: true } } };
    expect(() => setup(valid, {})).not.toThrow();
    expect(() => setup(valid, {})).not.toThrow();
  });
});
