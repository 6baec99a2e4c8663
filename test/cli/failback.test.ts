import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useLocalWorld } from '../../src/cli/local-world.js';
import { SimulatedWorld } from '../../src/local/world.js';
import { dynamoDbLocks } from '../../src/runtime/wiring/dynamodb.js';
import { exampleConfig } from '../support/world.js';
import { run } from './support.js';
import { snapshotWorld } from './world-snapshot.js';

describe('lifeboat failback APP --local (the command shell)', () => {
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

  it('says plainly that failback is not available yet once the arguments are good (exit 2, nothing changed)', async () => {
    // arrange: payments failed over to us-west-2 earlier
    await dynamoDbLocks().setActiveRegion('payments', 'us-west-2', 'alarm-earlier', world.clock.now());
    const before = await snapshotWorld(world);
    // act
    const { code, stderr } = await run('failback', 'payments', '--local');
    // assert
    expect(code).toBe(2);
    expect(stderr).toContain('failback: not available yet');
    expect(await snapshotWorld(world)).toEqual(before);
  });
});
