import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useLocalWorld } from '../../src/cli/local-world.js';
import { SimulatedWorld } from '../../src/local/world.js';
import { dynamoDbLocks } from '../../src/runtime/wiring/dynamodb.js';
import { exampleConfig } from '../support/world.js';
import { run } from './support.js';
import { snapshotWorld } from './world-snapshot.js';

describe('lifeboat plan APP --to REGION --local', () => {
  let world: SimulatedWorld;

  beforeAll(async () => {
    world = await SimulatedWorld.create({ config: exampleConfig() });
    useLocalWorld(world);
  });

  afterAll(async () => {
    useLocalWorld(undefined);
    await world.close();
  });

  it('prints exactly what a failover would change, and changes nothing', async () => {
    // arrange
    const before = await snapshotWorld(world);
    // act
    const { code, stdout } = await run('plan', 'payments', '--to', 'us-west-2', '--local');
    // assert
    expect(code).toBe(0);
    expect(stdout).toContain('Plan: fail payments over from us-east-1 to us-west-2');
    expect(stdout).toMatch(/payments-us-east-1 +100 → 0\n/);
    expect(stdout).toMatch(/payments-us-west-2 +0 → 100\n/);
    expect(stdout).toMatch(/payments-workers +min 1 \/ desired 1 \/ max 12 → min 3 \/ desired 6 \/ max 12\n/);
    expect(stdout).toMatch(/payments\/api +1 replicas → 6 replicas\n/);
    expect(stdout).toMatch(/payments\/ledger-worker +1 replicas → 3 replicas\n/);
    expect(stdout).toMatch(/payments-hourly-\d{14} \(25 min old, completed .*\) into payments-usw2/);
    expect(stdout).toContain('preflight would pass');
    expect(await snapshotWorld(world)).toEqual(before);
  });

  it('gives the same plan as one JSON document, the third region of three left as it is', async () => {
    // act
    const { code, stdout } = await run('plan', 'checkout', '--to', 'eu-west-1', '--local', '--json');
    // assert
    expect(code).toBe(0);
    const plan = JSON.parse(stdout);
    expect(plan).toMatchObject({
      app: 'checkout',
      from: 'us-east-1',
      to: 'eu-west-1',
      fromSource: 'primary',
      weights: { before: { 'checkout-us-east-1': 100, 'checkout-us-west-2': 0, 'checkout-eu-west-1': 0 }, after: { 'checkout-us-east-1': 0, 'checkout-us-west-2': 0, 'checkout-eu-west-1': 100 }, changed: ['checkout-eu-west-1', 'checkout-us-east-1'] },
      nodegroups: [{ name: 'checkout-workers', before: { minSize: 1, desiredSize: 1, maxSize: 8 }, after: { minSize: 2, desiredSize: 4, maxSize: 8 }, changes: true }],
      deployments: [{ namespace: 'checkout', name: 'cart', before: 1, after: 4, changes: true }],
      restore: { backup: { ageMinutes: 25 }, withinRpo: true },
      refusals: [],
      lock: null,
    });
  });

  it('says what preflight would refuse, exits 1, and still changes nothing', async () => {
    // arrange: the standby's health check fails
    const target = world.config.apps[1]!.regions[1]!;
    world.route53.setHealthCheck(target.route53.healthCheckId, false);
    const before = await snapshotWorld(world);
    try {
      // act
      const { code, stdout } = await run('plan', 'catalog', '--to', 'eu-central-1', '--local');
      // assert
      expect(code).toBe(1);
      expect(stdout).toContain('the failover would be refused (1 reason); nothing would change:');
      expect(stdout).toContain(`- preflight: target health check ${target.route53.healthCheckId} is unhealthy (0/8 checkers healthy)`);
      expect(stdout).toMatch(/catalog-eu-west-1 +100 → 0\n/);
      expect(await snapshotWorld(world)).toEqual(before);
    } finally {
      world.route53.setHealthCheck(target.route53.healthCheckId, true);
    }
  });

  it.each([
    [['plan', 'billing', '--to', 'us-west-2'], 'APP: unknown app "billing" (known: payments, catalog, checkout)'],
    [['plan', 'payments', '--to', 'eu-north-1'], '--to: "eu-north-1" is not a region of payments (us-east-1, us-west-2)'],
    [['plan', 'payments', '--to', 'us-east-1'], '--to: payments is already served from us-east-1: the target must be another region (us-west-2)'],
  ])('refuses %j with a message naming the field, exit 2, nothing changed', async (args, message) => {
    // arrange
    const before = await snapshotWorld(world);
    // act
    const { code, stdout, stderr } = await run(...args, '--local');
    // assert
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(message);
    expect(await snapshotWorld(world)).toEqual(before);
  });

  it('refuses a plan without --to (exit 2)', async () => {
    const { code, stderr } = await run('plan', 'payments', '--local');
    expect(code).toBe(2);
    expect(stderr).toContain("required option '--to <region>' not specified");
  });

  it('plans from the region the last failover moved the app to', async () => {
    // arrange: the locks table says payments now runs in us-west-2
    await dynamoDbLocks().setActiveRegion('payments', 'us-west-2', 'alarm-earlier-incident', world.clock.now());
    try {
      // act
      const same = await run('plan', 'payments', '--to', 'us-west-2', '--local');
      const back = await run('plan', 'payments', '--to', 'us-east-1', '--local', '--json');
      // assert
      expect(same.code).toBe(2);
      expect(same.stderr).toContain('--to: payments is already served from us-west-2');
      expect(JSON.parse(back.stdout)).toMatchObject({ from: 'us-west-2', to: 'us-east-1', fromSource: 'recorded' });
    } finally {
      await dynamoDbLocks().setActiveRegion('payments', 'us-east-1', 'test-cleanup', world.clock.now());
    }
  });
});
