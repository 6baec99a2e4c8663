import { describe, expect, it } from '@jest/globals';
import { Route53Client, UpdateHealthCheckCommand, type ResourceRecordSet } from '@aws-sdk/client-route-53';
import { Route53Dns } from '../../../src/adapters/aws/route53-dns.js';
import { ConfigError, InvalidChangeError, ResourceNotFoundError } from '../../../src/domain/errors.js';
import { attachFake } from '../../../src/local/aws/attach-fake.js';
import { FakeRoute53 } from '../../../src/local/aws/fake-route53.js';
import { VirtualClock } from '../../../src/local/virtual-clock.js';

/*
 * The health-check gates of data-plane failover, through the real Route 53 client and adapter
 * against the fake: UpdateHealthCheck's rules for the fields Lifeboat sets, and DNS answers that
 * follow health (Route 53's weighted-routing rules with health checks).
 */

const ZONE = 'Z0123456789ABCDEFGHIJ';
const [EAST, WEST, EAST_GATE, WEST_GATE] = ['hc-east', 'hc-west', 'gate-east', 'gate-west'];

function setup() {
  const clock = new VirtualClock('2026-03-01T12:00:00.000Z');
  const fake = new FakeRoute53(clock, { requestsPerSecond: 1000 }).addHostedZone(ZONE, 'example.com');
  for (const id of [EAST, WEST]) fake.addHealthCheck(id);
  fake.addGate(EAST_GATE, EAST).addGate(WEST_GATE, WEST);
  const record = (setIdentifier: string, weight: number, healthCheckId: string): ResourceRecordSet => ({
    Name: 'app.example.com', Type: 'A', SetIdentifier: setIdentifier, Weight: weight, TTL: 60, ResourceRecords: [{ Value: '192.0.2.1' }], HealthCheckId: healthCheckId,
  });
  fake.putRecord(ZONE, record('east', 100, EAST_GATE)).putRecord(ZONE, record('west', 0, WEST_GATE));
  const client = new Route53Client({});
  attachFake(client, fake);
  const share = () => fake.trafficShare(ZONE, 'app.example.com', 'A');
  return { fake, client, dns: new Route53Dns(client), share };
}

describe('health-check gates in the fake Route 53', () => {
  it('opens and closes a gate with one UpdateHealthCheck each, and DNS answers follow', async () => {
    const { dns, share, fake } = setup();
    expect(share()).toEqual({ east: 1, west: 0 });
    expect(await dns.readGate(EAST_GATE)).toEqual({ healthCheckId: EAST_GATE, open: true, version: 1 });

    await dns.setGate(WEST_GATE, true);
    expect(await dns.setGate(EAST_GATE, false)).toEqual({ healthCheckId: EAST_GATE, open: false, version: 2 });

    // the only healthy record has weight 0: Route 53 answers with it
    expect(share()).toEqual({ east: 0, west: 1 });
    expect(fake.calls.filter((c) => c.operation === 'UpdateHealthCheck')).toHaveLength(2);
  });

  it('keeps an open gate over a failing endpoint unhealthy, and answers as if all were healthy when none is', () => {
    const { fake, share } = setup();
    fake.setHealthCheck(EAST, false);
    expect(fake.isHealthy(EAST_GATE)).toBe(false);
    expect(share()).toEqual({ east: 0, west: 1 });
    fake.setHealthCheck(WEST, false);
    expect(share()).toEqual({ east: 1, west: 0 }); // every record unhealthy: by weight, as if healthy
  });

  it.each([
    ['an older HealthCheckVersion', { HealthCheckId: EAST_GATE, HealthCheckVersion: 7, HealthThreshold: 2 }, 'HealthCheckVersionMismatch'],
    ['HealthThreshold on an endpoint check', { HealthCheckId: EAST, HealthThreshold: 1 }, 'InvalidInput'],
    ['HealthThreshold above 256', { HealthCheckId: EAST_GATE, HealthThreshold: 257 }, 'InvalidInput'],
    ['an unknown health check', { HealthCheckId: 'nope', HealthThreshold: 1 }, 'NoSuchHealthCheck'],
  ])('refuses UpdateHealthCheck with %s, changing nothing', async (_what, input, name) => {
    const { client, fake } = setup();
    await expect(client.send(new UpdateHealthCheckCommand(input))).rejects.toMatchObject({ name });
    expect(fake.isHealthy(EAST_GATE)).toBe(true);
  });

  it('fails loudly on UpdateHealthCheck fields it does not model', async () => {
    const { client } = setup();
    await expect(client.send(new UpdateHealthCheckCommand({ HealthCheckId: EAST_GATE, Inverted: true }))).rejects.toThrow(/UpdateHealthCheck of Inverted is not modelled/);
  });

  it('maps the adapter errors: not a gate → ConfigError, refused update → InvalidChangeError, unknown → ResourceNotFoundError', async () => {
    const { dns } = setup();
    await expect(dns.readGate(EAST)).rejects.toThrow(ConfigError);
    await expect(dns.setGate(EAST, false)).rejects.toThrow(InvalidChangeError);
    await expect(dns.setGate('nope', false)).rejects.toThrow(ResourceNotFoundError);
  });
});
