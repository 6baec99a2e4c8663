import { describe, expect, it } from '@jest/globals';
import { FAILOVER_WORK_RESERVE_MINUTES, FAILOVER_WORKFLOW_MINUTES, MAX_APPROVAL_TIMEOUT_MINUTES, MIN_LOCK_LEASE_MINUTES, validateConfig } from '../../src/domain/config.js';
import { ConfigError } from '../../src/domain/errors.js';
import { loadDefinition, type AslDefinition, type AslRetrier, type AslState } from '../../src/local/asl.js';
import { RetryPolicy } from '../../src/local/retry-policy.js';
import { exampleConfig } from '../support/world.js';

/*
 * The failover workflow's time limit against what the configuration lets it wait for. Step Functions
 * ends a run past its TimeoutSeconds as TIMED_OUT, running none of its states: no failure notice,
 * no lock released. So the approval wait plus everything the workflow waits for by design must fit
 * in that limit, and the app's lock lease must outlast it.
 */

const failover = loadDefinition('statemachines/failover.asl.json');

/** The waits of one retrier when every attempt fails, by the runner's own reading of Step Functions' Retry rules (no jitter: its longest). */
function retrierWaitSeconds(retrier: AslRetrier): number {
  const policy = new RetryPolicy([retrier]);
  let totalMs = 0;
  for (let delayMs = policy.nextDelayMs(retrier.ErrorEquals[0]!); delayMs !== undefined; delayMs = policy.nextDelayMs(retrier.ErrorEquals[0]!)) totalMs += delayMs;
  return totalMs / 1000;
}

/** A state's own waits: each retrier runs its course (they count attempts separately). Approval's states wait for a person: counted apart. */
const ownWaitSeconds = (name: string, state: AslState) => (/Approval/.test(name) ? 0 : (state.Retry ?? []).reduce((sum, retrier) => sum + retrierWaitSeconds(retrier), 0));

/** The longest chain of retry waits from `name` to an end, success or failure paths alike; a Parallel waits for its slowest branch. */
function longestWaitSeconds(asl: AslDefinition, name: string, memo = new Map<string, number>()): number {
  const known = memo.get(name);
  if (known !== undefined) return known;
  memo.set(name, Number.POSITIVE_INFINITY); // a cycle would have no bound: it shows as Infinity
  const state = asl.States[name]!;
  const branches = state.Type === 'Parallel' ? Math.max(...(state.Branches ?? []).map((branch) => longestWaitSeconds(branch, branch.StartAt))) : 0;
  const transitions = state as AslState & { Next?: string; Default?: string; Choices?: { Next: string }[]; Catch?: { Next: string }[] };
  const onward = [transitions.Next, transitions.Default, ...(transitions.Choices ?? []).map((c) => c.Next), ...(transitions.Catch ?? []).map((c) => c.Next)].filter((next): next is string => next !== undefined);
  const total = ownWaitSeconds(name, state) + branches + Math.max(0, ...onward.map((next) => longestWaitSeconds(asl, next, memo)));
  memo.set(name, total);
  return total;
}

describe('the failover workflow fits its time limit', () => {
  it('runs under the limit the configuration is checked against', () => {
    expect(failover.TimeoutSeconds).toBe(FAILOVER_WORKFLOW_MINUTES * 60);
  });

  it('waits, by design, less than the reserve the approval wait leaves it (every retrier on the longest path spent)', () => {
    const minutes = longestWaitSeconds(failover, failover.StartAt) / 60;
    expect(minutes).toBeGreaterThan(30); // the Velero restore's convergence alone waits 30 min: the walk found it
    expect(minutes).toBeLessThanOrEqual(FAILOVER_WORK_RESERVE_MINUTES);
    expect(MAX_APPROVAL_TIMEOUT_MINUTES + FAILOVER_WORK_RESERVE_MINUTES).toBeLessThanOrEqual(FAILOVER_WORKFLOW_MINUTES);
  });
});

describe('the configuration keeps approval and the lock within the workflow limit', () => {
  const withPolicy = (edit: (policy: Record<string, unknown>) => void) => {
    const config = JSON.parse(JSON.stringify(exampleConfig())) as { apps: { policy: Record<string, unknown> }[] };
    edit(config.apps[0]!.policy);
    return () => validateConfig(config);
  };
  const issuesOf = (run: () => unknown) => {
    try {
      run();
    } catch (error) {
      if (error instanceof ConfigError) return error.message;
      throw error;
    }
    return 'accepted';
  };

  it(`refuses an approval wait over ${MAX_APPROVAL_TIMEOUT_MINUTES} min, naming the field and why`, () => {
    const message = issuesOf(withPolicy((policy) => (policy.approval = { drill: 'required', timeoutMinutes: MAX_APPROVAL_TIMEOUT_MINUTES + 1 })));
    expect(message).toMatch(/apps\[0\]\.policy\.approval\.timeoutMinutes/);
    expect(message).toMatch(/must fit in the workflow's 120 min limit/);
    expect(issuesOf(withPolicy((policy) => (policy.approval = { drill: 'required', timeoutMinutes: MAX_APPROVAL_TIMEOUT_MINUTES })))).toBe('accepted');
  });

  it(`refuses a lock lease shorter than ${MIN_LOCK_LEASE_MINUTES} min, which would let a second failover start during the first`, () => {
    const message = issuesOf(withPolicy((policy) => (policy.lockLeaseMinutes = MIN_LOCK_LEASE_MINUTES - 1)));
    expect(message).toMatch(/apps\[0\]\.policy\.lockLeaseMinutes/);
    expect(message).toMatch(/second failover of the app could start/);
    expect(issuesOf(withPolicy((policy) => (policy.lockLeaseMinutes = MIN_LOCK_LEASE_MINUTES)))).toBe('accepted');
    expect(MIN_LOCK_LEASE_MINUTES).toBeGreaterThan(FAILOVER_WORKFLOW_MINUTES);
  });
});
