import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { relayExecutions, useLocalWorld } from '../../src/cli/local-world.js';
import { SimulatedWorld } from '../../src/local/world.js';
import { exampleConfig, invoke } from '../support/world.js';
import { run } from './support.js';
import { snapshotWorld } from './world-snapshot.js';

describe('lifeboat drill, approve and deny --local', () => {
  let world: SimulatedWorld;

  beforeAll(async () => {
    world = await SimulatedWorld.create({ config: exampleConfig(), onExecution: relayExecutions });
    useLocalWorld(world);
  });

  afterAll(async () => {
    useLocalWorld(undefined);
    await world.close();
  });

  /** Starts a payments drill (its policy requires approval) and resolves once its gate waits for an answer. */
  async function drillWaitingForApproval(): Promise<string> {
    world.actIn('us-west-2');
    const waiting = new Promise<void>((resolve) => world.sfn.onTaskToken((task) => task.state === 'AwaitApproval' && resolve()));
    const started = (await invoke('manualTrigger', { actor: 'test', app: 'payments', to: 'us-west-2', mode: 'drill', reason: 'quarterly DR drill', requestId: String(Math.random()) })) as { incidentId: string };
    await waiting;
    return started.incidentId;
  }

  it.each([
    [['drill', 'billing', '--to', 'us-west-2'], 'APP: unknown app "billing" (known: payments, catalog, checkout)'],
    [['drill', 'payments', '--to', 'eu-north-1'], '--to: "eu-north-1" is not a region of payments (us-east-1, us-west-2)'],
    [['drill', 'payments', '--to', 'us-east-1'], '--to: payments is already served from us-east-1'],
    [['drill', 'payments'], '--to: required'],
    [['drill', '--region', 'eu-north-1'], '--region: "eu-north-1" is not a region of any app'],
    [['drill', 'payments', '--region', 'us-east-1'], '--region: evacuates every app of a region: give either APP --to REGION or --region REGION, not both'],
    [['approve', 'not an id!'], 'INCIDENT: malformed incident id "not an id!"'],
    [['deny', 'x'.repeat(81)], 'INCIDENT: malformed incident id'],
  ])('refuses %j with a message naming the field, exit 2, nothing changed', async (args, message) => {
    // arrange
    const before = await snapshotWorld(world);
    // act
    const { code, stderr } = await run(...args, '--local');
    // assert
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(await snapshotWorld(world)).toEqual(before);
  });

  it('runs a drill of catalog to its end, following each step live', async () => {
    // act
    const { code, stdout } = await run('drill', 'catalog', '--to', 'eu-central-1', '--local');
    // assert
    expect(code).toBe(0);
    expect(stdout).toMatch(/manual-trigger: started drill-catalog-eu-central-1-[0-9a-f]{10}\n/);
    expect(stdout).toMatch(/\[\+00:00\] ✓ Preflight\n/);
    expect(stdout).toMatch(/\[\+0\d:\d\d\] ✓ ShiftTraffic\n/);
    expect(stdout).toContain('Drill succeeded: catalog eu-west-1 → eu-central-1, RTO 5m 0s (simulated)');
    expect(stdout).toContain('weights    catalog-eu-west-1 100→0, catalog-eu-central-1 0→100');
    expect(world.weights('catalog')).toEqual({ 'catalog-eu-west-1': 0, 'catalog-eu-central-1': 100 });
  });

  it('approves a drill waiting at its gate, which then runs to its end', async () => {
    // arrange
    const incidentId = await drillWaitingForApproval();
    // act
    const { code, stdout } = await run('approve', incidentId, '--local', '--as', 'alice');
    const [outcome] = (await world.sfn.settle()).filter((o) => o.name === incidentId);
    // assert
    expect(code).toBe(0);
    expect(stdout).toBe(`incident ${incidentId} approved by user:alice\n`);
    expect(outcome?.status).toBe('SUCCEEDED');
    expect(await world.auditTrail(incidentId)).toContainEqual(expect.objectContaining({ step: 'AwaitApproval', outcome: 'Passed', actor: 'user:alice' }));
    // a second answer changes nothing
    const again = await run('deny', incidentId, '--local', '--as', 'bob');
    expect(again.code).toBe(1);
    expect(again.stdout).toContain(`incident ${incidentId} is closed: already approved by user:alice`);
  });

  it('denies a drill waiting at its gate: nothing moves', async () => {
    // arrange
    const weights = world.weights('payments');
    const incidentId = await drillWaitingForApproval();
    // act
    const { code, stdout } = await run('deny', incidentId, '--local', '--as', 'carol', '--json');
    const [outcome] = (await world.sfn.settle()).filter((o) => o.name === incidentId);
    // assert
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ incidentId, decision: 'deny', outcome: 'denied' });
    expect(outcome?.status).toBe('FAILED');
    expect(world.weights('payments')).toEqual(weights);
  });

  it('refuses to approve an incident that is not waiting (exit 1)', async () => {
    const { code, stdout } = await run('approve', 'drill-payments-us-west-2-0000000000', '--local');
    expect(code).toBe(1);
    expect(stdout).toContain('no incident drill-payments-us-west-2-0000000000 is waiting for approval');
  });
});
