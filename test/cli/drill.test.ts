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

  // Last: each drill holds and waits for the primary's health for ~40 virtual minutes, ageing the
  // world's backups past payments' 60-minute RPO for any payments run after it.
  it('runs the drill workflow of catalog to its end (failover, hold, failback, report), following each step live', async () => {
    // act
    const { code, stdout, stderr } = await run('drill', 'catalog', '--to', 'eu-central-1', '--local');
    // assert
    expect({ code, tail: code === 0 ? '' : `${stdout.slice(-1500)}${stderr}` }).toEqual({ code: 0, tail: '' });
    expect(stdout).toMatch(/\[\+\d\d:\d\d\] ✓ Preflight( \(\d+ attempts\))?\n/);
    expect(stdout).toMatch(/\[\+\d\d:\d\d\] ✓ ShiftTraffic( \(\d+ attempts\))?\n/);
    expect(stdout).toMatch(/Drill succeeded: catalog eu-west-1 → eu-central-1 and back; RTO \d+m \d+s, RPO .+ \(simulated\)/);
    expect(stdout).toMatch(/runs       drill-catalog-\d{8}T\d{6}Z SUCCEEDED, drill-catalog-\d{8}T\d{6}Z-failover SUCCEEDED, drill-catalog-\d{8}T\d{6}Z-failback SUCCEEDED\n/);
    // back where it started: the drill failed back
    expect(world.weights('catalog')).toEqual({ 'catalog-eu-west-1': 100, 'catalog-eu-central-1': 0 });
    const incident = /incident   (drill-catalog-\S+)/.exec(stdout)![1]!;
    expect((await world.auditTrail(incident)).at(-1)).toMatchObject({ step: 'DrillReport', outcome: 'Notified' });
  });

  it('needs the drill state machine on AWS: --state-machine or $LIFEBOAT_DRILL_STATE_MACHINE_ARN (exit 2 without)', async () => {
    const { code, stderr } = await run('drill', 'catalog', '--to', 'eu-central-1', '--state-machine', 'not-an-arn');
    expect(code).toBe(2);
    expect(stderr).toContain('--state-machine: not a state machine ARN: "not-an-arn"');
  });
});

describe('lifeboat drill --local of an app whose drills need approval', () => {
  let world: SimulatedWorld;

  beforeAll(async () => {
    world = await SimulatedWorld.create({ config: exampleConfig(), onExecution: relayExecutions });
    useLocalWorld(world);
  });

  afterAll(async () => {
    useLocalWorld(undefined);
    await world.close();
  });

  it('asks who approves a drill that needs approval, and runs it approved by that person', async () => {
    const [from, to] = ['us-east-1', 'us-west-2'];
    const refused = await run('drill', 'payments', '--to', to, '--local');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--approve-as: payments's drills need an approval");
    const { code, stdout, stderr } = await run('drill', 'payments', '--to', to, '--local', '--approve-as', 'arn:aws:iam::000000000000:user/dana', '--json');
    expect({ code, out: code === 0 ? '' : `${stdout}${stderr}` }).toEqual({ code: 0, out: '' });
    const result = JSON.parse(stdout);
    expect(result).toMatchObject({ outcome: 'succeeded', status: 'SUCCEEDED', app: 'payments', from, to });
    expect(result.weights.after).toEqual(result.weights.before);
    expect(await world.auditTrail(result.incidentId)).toContainEqual(expect.objectContaining({ step: 'AwaitApproval', outcome: 'Passed', actor: 'user:arn:aws:iam::000000000000:user/dana' }));
  });
});
