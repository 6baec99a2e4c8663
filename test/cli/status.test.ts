import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useLocalWorld } from '../../src/cli/local-world.js';
import { eventBridgeAlarmEvent } from '../../src/local/alarm-event-builders.js';
import { SimulatedWorld } from '../../src/local/world.js';
import { dynamoDbLocks } from '../../src/runtime/wiring/dynamodb.js';
import { exampleConfig, invoke } from '../support/world.js';
import { run } from './support.js';
import { snapshotWorld } from './world-snapshot.js';

describe('lifeboat status --local', () => {
  let world: SimulatedWorld;
  let incidentId: string;

  beforeAll(async () => {
    // arrange: catalog failed over from eu-west-1 to eu-central-1 through the real trigger and workflow
    world = await SimulatedWorld.create({ config: exampleConfig(), homeRegion: 'eu-central-1' });
    useLocalWorld(world);
    const change = world.failRegion('catalog', 'eu-west-1');
    const started = (await invoke('alarmTrigger', eventBridgeAlarmEvent(change, randomUUID()))) as { started: { executionName: string }[] };
    incidentId = started.started[0]!.executionName;
    await world.sfn.settle();
  });

  afterAll(async () => {
    useLocalWorld(undefined);
    await world.close();
  });

  it('shows the active region, cooldown, last incident and its outcome, weights and health of an app that failed over', async () => {
    // act
    const { code, stdout } = await run('status', 'catalog', '--local');
    // assert
    expect(code).toBe(0);
    expect(stdout).toContain('active     eu-central-1 (since its last failover)');
    expect(stdout).toContain('lock       free');
    expect(stdout).toMatch(/cooldown   until \S+ \(after alarm-catalog-\S+, away from eu-west-1\): automatic failovers suppressed/);
    expect(stdout).toContain(`last       ${incidentId} (failover, eu-west-1 → eu-central-1, `);
    expect(stdout).toMatch(/\): succeeded\n/);
    expect(stdout).toMatch(/ {5}eu-west-1 +weight +0 +UNHEALTHY \(0\/8 checkers\)/);
    expect(stdout).toMatch(/ \* eu-central-1 +weight 100 +healthy \(8\/8 checkers\)/);
  });

  it('shows every app as JSON, an untouched one on its primary with nothing recorded', async () => {
    // act
    const { code, stdout } = await run('status', '--local', '--json');
    // assert
    expect(code).toBe(0);
    const { apps } = JSON.parse(stdout);
    expect(apps.map((a: { app: string }) => a.app)).toEqual(['payments', 'catalog', 'checkout']);
    expect(apps[0]).toMatchObject({ app: 'payments', activeRegion: 'us-east-1', activeSource: 'primary', lock: null, cooldown: null, lastIncident: null, errors: [] });
    expect(apps[0].regions).toEqual([
      { name: 'us-east-1', setIdentifier: 'payments-us-east-1', weight: 100, healthCheckId: expect.any(String), health: { healthy: true, healthyCheckers: 8, totalCheckers: 8 } },
      { name: 'us-west-2', setIdentifier: 'payments-us-west-2', weight: 0, healthCheckId: expect.any(String), health: { healthy: true, healthyCheckers: 8, totalCheckers: 8 } },
    ]);
    expect(apps[1]).toMatchObject({ activeRegion: 'eu-central-1', lastIncident: { incidentId, outcome: 'succeeded', mode: 'failover', from: 'eu-west-1', to: 'eu-central-1' } });
  });

  it('shows who holds a lock, since when and the lease, and the incident in progress', async () => {
    // arrange
    const holder = { incidentId: 'failover-payments-us-west-2-0123456789', executionName: 'failover-payments-us-west-2-0123456789' };
    const at = world.clock.now();
    await dynamoDbLocks().acquire('payments', holder, 600, at);
    try {
      // act
      const { stdout } = await run('status', 'payments', '--local', '--json');
      // assert
      const [payments] = JSON.parse(stdout).apps;
      expect(payments.lock).toEqual({ ...holder, acquiredAt: at.toISOString(), leaseExpiresAt: new Date(at.getTime() + 600_000).toISOString() });
      expect(payments.lastIncident).toMatchObject({ incidentId: holder.incidentId });
    } finally {
      await dynamoDbLocks().release('payments', holder.incidentId);
    }
  });

  it('changes nothing', async () => {
    const before = await snapshotWorld(world);
    await run('status', '--local');
    expect(await snapshotWorld(world)).toEqual(before);
  });

  it('refuses an unknown app (exit 2, naming it)', async () => {
    const { code, stderr } = await run('status', 'billing', '--local');
    expect(code).toBe(2);
    expect(stderr).toContain('APP: unknown app "billing" (known: payments, catalog, checkout)');
  });
});
