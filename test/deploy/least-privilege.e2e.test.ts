import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { recordedActions, resetRecordedActions } from '../../src/local/iam-recorder.js';
import { simulateEvacuation } from '../../src/local/evacuate.js';
import { SCENARIOS, simulate } from '../../src/local/simulate.js';
import { exampleConfig, invoke, withWorld } from '../support/world.js';

/*
 * Least privilege, checked from the code's side: the embedded runtime records every SDK call each
 * deployed function makes (src/local/iam-recorder.ts) while the real workflows run — every chaos
 * scenario, a manual failover, an approved drill (failover, hold, failback), a region evacuation —
 * and each recorded action must be one the function's role grants (serverless/roles.cjs). The
 * packaged-template tests check the roles against the configuration; this one checks them against
 * what the code calls, so a change that starts calling something new fails here, not in AWS.
 */

const require = createRequire(import.meta.url);
const { grants } = require('../../serverless/roles.cjs') as {
  grants: (args: { apps: unknown[]; tables: Record<string, string>; stateMachineName: string; evacuationStateMachineName: string }) => Record<string, { Action: string[] }[]>;
};

/** What each function's role allows, for every app of the example (the union over the regional stacks). */
function grantedActions(): Map<string, Set<string>> {
  const byFunction = grants({
    apps: exampleConfig().apps,
    tables: { audit: 'lifeboat-dev-audit', locks: 'lifeboat-dev-locks', idempotency: 'lifeboat-dev-idempotency' },
    stateMachineName: 'lifeboat-dev-failover',
    evacuationStateMachineName: 'lifeboat-dev-evacuation',
  });
  return new Map(Object.entries(byFunction).map(([fn, statements]) => [fn, new Set(statements.flatMap((s) => s.Action))]));
}

describe('every SDK call a function makes is one its role grants', () => {
  let called: Map<string, Set<string>>;

  beforeAll(async () => {
    resetRecordedActions();
    for (const scenario of SCENARIOS) await simulate({ config: exampleConfig(), scenario });
    // an operator's failover, then an approved drill (nested failover, hold, failback, report)
    await withWorld(async (world) => {
      await invoke('manualTrigger', { actor: 'alice', app: 'payments', to: 'us-west-2', mode: 'failover', reason: 'moving by hand' });
      await world.sfn.settle();
    });
    await withWorld(async (world) => {
      const drill = world.sfn.startNested(world.workflowArns.drill, 'drill-payments-least-privilege', { app: 'payments', actor: 'alice', reason: 'drill' });
      const approval = world.scheduler.run(async () => {
        await world.scheduler.sleep(60_000);
        return invoke('slackInteraction', { actor: 'arn:aws:iam::000000000000:user/bob', incidentId: 'drill-payments-least-privilege', decision: 'approve' });
      });
      await drill.done;
      await approval;
    });
    await simulateEvacuation({ config: exampleConfig(), region: 'us-east-1' });
    called = recordedActions();
  }, 180_000);

  afterAll(() => resetRecordedActions());

  it('exercises the functions of every workflow (so the check below means something)', () => {
    for (const fn of ['alarmTrigger', 'manualTrigger', 'preflight', 'shiftTraffic', 'compensateTraffic', 'notify', 'releaseLock', 'approvalGate', 'slackInteraction', 'failback', 'drill', 'evacuateTrigger', 'evacuationShift']) {
      expect({ fn, calls: (called.get(fn)?.size ?? 0) > 0 }).toEqual({ fn, calls: true });
    }
  });

  it('grants each function every action it was seen calling', () => {
    const granted = grantedActions();
    const missing = [...called].flatMap(([fn, actions]) => [...actions].filter((action) => !granted.get(fn)?.has(action)).map((action) => `${fn}: ${action}`));
    expect(missing).toEqual([]);
  });

  it('reports the granted actions no run exercised (kept for paths these runs do not take)', () => {
    const granted = grantedActions();
    const unused = [...granted].flatMap(([fn, actions]) => [...actions].filter((action) => !called.get(fn)?.has(action)).map((action) => `${fn}: ${action}`));
    process.stdout.write(`least privilege: ${[...called.values()].reduce((n, s) => n + s.size, 0)} (function, action) pairs called; granted but not exercised here: ${unused.join(', ') || 'none'}\n`);
    expect(Array.isArray(unused)).toBe(true);
  });
});
