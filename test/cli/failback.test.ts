import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useLocalWorld } from '../../src/cli/local-world.js';
import { SimulatedWorld } from '../../src/local/world.js';
import { exampleConfig, invoke } from '../support/world.js';
import { run } from './support.js';
import { snapshotWorld } from './world-snapshot.js';

describe('lifeboat failback APP --local', () => {
  let world: SimulatedWorld;

  beforeAll(async () => {
    world = await SimulatedWorld.create({ config: exampleConfig() });
    useLocalWorld(world);
  });

  afterAll(async () => {
    useLocalWorld(undefined);
    await world.close();
  });

  it.each([
    [['failback', 'billing'], 'APP: unknown app "billing" (known: payments, catalog, checkout)'],
    [['failback', 'payments', '--to', 'eu-north-1'], '--to: "eu-north-1" is not a region of payments (us-east-1, us-west-2)'],
    [['failback', 'payments'], '--to: payments is already served from us-east-1'],
  ])('refuses %j with a message naming the field, exit 2, nothing changed', async (args, message) => {
    const before = await snapshotWorld(world);
    const { code, stderr } = await run(...args, '--local');
    expect(code).toBe(2);
    expect(stderr).toContain(message);
    expect(await snapshotWorld(world)).toEqual(before);
  });

  it('fails payments back to its primary in verified steps, following the workflow live', async () => {
    // arrange: payments failed over to us-west-2 by an operator
    world.actIn('us-west-2');
    await invoke('manualTrigger', { actor: 'alice', app: 'payments', to: 'us-west-2', mode: 'failover', reason: 'moving by hand' });
    await world.sfn.settle();
    expect(world.weights('payments')).toEqual({ 'payments-us-east-1': 0, 'payments-us-west-2': 100 });
    // act
    const { code, stdout } = await run('failback', 'payments', '--local');
    // assert
    expect(code).toBe(0);
    expect(stdout).toMatch(/Failback succeeded: payments us-west-2 → us-east-1 in .+ \(simulated\)/);
    expect(stdout).toContain('weights    payments-us-east-1 0→100, payments-us-west-2 100→0');
    expect(world.weights('payments')).toEqual({ 'payments-us-east-1': 100, 'payments-us-west-2': 0 });
    const incident = /incident   (failback-payments-\S+)/.exec(stdout)![1]!;
    expect((await world.auditTrail(incident)).filter((r) => r.step === 'FailbackShift').length).toBeGreaterThanOrEqual(3);
  });

  it('needs the failback state machine on AWS: --state-machine or $LIFEBOAT_FAILBACK_STATE_MACHINE_ARN (exit 2 without)', async () => {
    delete process.env.LIFEBOAT_FAILBACK_STATE_MACHINE_ARN;
    const { code, stderr } = await run('failback', 'payments');
    expect(code).toBe(2);
    expect(stderr).toContain('--state-machine: the failback state machine');
  });
});
