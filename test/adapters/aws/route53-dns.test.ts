import { describe, expect, it } from '@jest/globals';
import { Route53Client, type ResourceRecordSet } from '@aws-sdk/client-route-53';
import {
  ConflictError,
  DependencyUnavailableError,
  InputValidationError,
  InvalidChangeError,
  PermissionDeniedError,
  ResourceNotFoundError,
  ThrottledError,
} from '../../../src/domain/errors.js';
import type { WeightedRecord } from '../../../src/ports/dns.js';
import { Route53Dns } from '../../../src/adapters/aws/route53-dns.js';
import { attachFake } from '../../../src/local/aws/attach-fake.js';
import { FakeRoute53 } from '../../../src/local/aws/fake-route53.js';
import { VirtualClock } from '../../../src/local/virtual-clock.js';

const ZONE = 'Z0123456789ABCDEFGHIJ';

function weighted(Name: string, SetIdentifier: string, Weight: number, Value: string, extra: Partial<ResourceRecordSet> = {}): ResourceRecordSet {
  return { Name, Type: 'A', SetIdentifier, Weight, TTL: 60, ResourceRecords: [{ Value }], ...extra };
}

function setup(pageSize?: number) {
  const clock = new VirtualClock('2026-03-01T12:00:00.000Z');
  const fake = new FakeRoute53(clock)
    .addHostedZone(ZONE, 'example.com')
    .addHealthCheck('hc-blue')
    .addHealthCheck('hc-green')
    .putRecord(ZONE, { Name: 'api.example.com', Type: 'A', TTL: 300, ResourceRecords: [{ Value: '192.0.2.99' }] })
    .putRecord(ZONE, { Name: 'app.example.com', Type: 'AAAA', SetIdentifier: 'blue', Weight: 1, TTL: 60, ResourceRecords: [{ Value: '2001:db8::1' }] })
    .putRecord(ZONE, weighted('app.example.com', 'blue', 100, '192.0.2.1', { HealthCheckId: 'hc-blue' }))
    .putRecord(ZONE, weighted('app.example.com', 'green', 0, '192.0.2.2', { HealthCheckId: 'hc-green' }))
    .putRecord(ZONE, weighted('app.example.com', 'amber', 0, '192.0.2.3'))
    .putRecord(ZONE, { Name: 'apps.example.com', Type: 'A', TTL: 300, ResourceRecords: [{ Value: '192.0.2.50' }] })
    .putRecord(ZONE, { Name: '*.example.com', Type: 'A', SetIdentifier: 'blue', Weight: 5, TTL: 60, ResourceRecords: [{ Value: '192.0.2.7' }] });
  const client = new Route53Client({});
  attachFake(client, fake);
  return { clock, fake, dns: new Route53Dns(client, pageSize === undefined ? {} : { pageSize }) };
}

const blue: WeightedRecord = {
  name: 'app.example.com.',
  type: 'A',
  setIdentifier: 'blue',
  weight: 100,
  ttl: 60,
  values: ['192.0.2.1'],
  healthCheckId: 'hc-blue',
};

describe('Route53Dns.readWeightedRecords', () => {
  it('reads every weighted record of one name and type, and nothing else', async () => {
    const { dns } = setup();
    const records = await dns.readWeightedRecords(ZONE, 'APP.Example.com', 'A');
    expect(records).toEqual([
      { name: 'app.example.com.', type: 'A', setIdentifier: 'amber', weight: 0, ttl: 60, values: ['192.0.2.3'] },
      blue,
      { ...blue, setIdentifier: 'green', weight: 0, values: ['192.0.2.2'], healthCheckId: 'hc-green' },
    ]);
  });

  it('pages through MaxItems-sized pages while the group continues, and stops when it ends', async () => {
    const { dns, fake } = setup(1);
    const records = await dns.readWeightedRecords(ZONE, 'app.example.com.', 'A');
    expect(records.map((record) => record.setIdentifier)).toEqual(['amber', 'blue', 'green']);
    const listCalls = fake.calls.filter((call) => call.operation === 'ListResourceRecordSets');
    expect(listCalls.map((call) => (call.input as { StartRecordIdentifier?: string }).StartRecordIdentifier)).toEqual([
      undefined,
      'blue',
      'green',
    ]);
  });

  it.each([2, 3, 300])('gives the same answer with pages of %i', async (pageSize) => {
    const { dns } = setup(pageSize);
    expect((await dns.readWeightedRecords(ZONE, 'app.example.com', 'A')).map((record) => record.setIdentifier)).toEqual([
      'amber',
      'blue',
      'green',
    ]);
  });

  it('understands wildcard names in either spelling', async () => {
    const { dns } = setup();
    const [record] = await dns.readWeightedRecords(ZONE, '*.example.com', 'A');
    expect(record).toMatchObject({ name: '\\052.example.com.', setIdentifier: 'blue', weight: 5 });
    expect(await dns.readWeightedRecords(ZONE, '\\052.example.com.', 'A')).toHaveLength(1);
  });

  it('returns nothing for a name without weighted records', async () => {
    const { dns } = setup();
    expect(await dns.readWeightedRecords(ZONE, 'api.example.com', 'A')).toEqual([]);
    expect(await dns.readWeightedRecords(ZONE, 'missing.example.com', 'A')).toEqual([]);
  });
});

describe('Route53Dns.upsertRecords', () => {
  it('writes the whole group in one batch, restating every field', async () => {
    const { dns, fake } = setup();
    const { changeId } = await dns.upsertRecords(
      ZONE,
      [
        { ...blue, weight: 0 },
        { ...blue, setIdentifier: 'green', weight: 100, values: ['192.0.2.2'], healthCheckId: 'hc-green' },
      ],
      'lifeboat incident-42: shift app to green',
    );
    expect(changeId).toMatch(/^\/change\/C/);
    expect(fake.callCount('ChangeResourceRecordSets')).toBe(1);
    expect(fake.record(ZONE, 'app.example.com', 'A', 'green')).toEqual(
      weighted('app.example.com.', 'green', 100, '192.0.2.2', { HealthCheckId: 'hc-green' }),
    );
    expect(fake.record(ZONE, 'app.example.com', 'A', 'blue')?.Weight).toBe(0);
    expect(fake.changesTo('app.example.com', 'A', 'amber')).toBe(0);
  });

  it('writes alias records with their target and without a TTL', async () => {
    const { dns, fake } = setup();
    fake.addHostedZone('ZALIAS', 'alias.example');
    const alias: WeightedRecord = {
      name: 'www.alias.example.',
      type: 'A',
      setIdentifier: 'eu-west-1',
      weight: 255,
      alias: { hostedZoneId: 'Z32O12XQLNTSW2', dnsName: 'dualstack.lb-1.eu-west-1.elb.amazonaws.com.', evaluateTargetHealth: true },
    };
    await dns.upsertRecords('ZALIAS', [alias], 'alias');
    expect(await dns.readWeightedRecords('ZALIAS', 'www.alias.example', 'A')).toEqual([alias]);
  });

  it('refuses an empty list instead of sending an empty batch', async () => {
    const { dns } = setup();
    await expect(dns.upsertRecords(ZONE, [], 'nothing')).rejects.toBeInstanceOf(InputValidationError);
  });

  it.each([
    ['Throttling', 'ThrottledError', ThrottledError],
    ['PriorRequestNotComplete', 'ConflictError', ConflictError],
    ['AccessDenied', 'PermissionDeniedError', PermissionDeniedError],
    ['ServiceUnavailable', 'DependencyUnavailableError', DependencyUnavailableError],
  ])('turns an injected %s into %s', async (fault, _name, DomainError) => {
    const { dns, fake } = setup();
    fake.failNext('ChangeResourceRecordSets', fault);
    await expect(dns.upsertRecords(ZONE, [blue], 'x')).rejects.toBeInstanceOf(DomainError);
  });

  it('turns a change Route 53 rejects into InvalidChangeError, naming the call', async () => {
    const { dns } = setup();
    const error = await dns.upsertRecords(ZONE, [{ ...blue, weight: 256 }], 'x').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidChangeError);
    expect((error as Error).message).toMatch(/^route53:ChangeResourceRecordSets Z0123456789ABCDEFGHIJ failed: InvalidInput: /);
    const ttlMismatch = await dns.upsertRecords(ZONE, [{ ...blue, ttl: 300 }], 'x').catch((caught: unknown) => caught);
    expect(ttlMismatch).toBeInstanceOf(InvalidChangeError);
  });

  it('turns an unknown zone into ResourceNotFoundError', async () => {
    const { dns } = setup();
    await expect(dns.readWeightedRecords('ZNOPE', 'app.example.com', 'A')).rejects.toBeInstanceOf(ResourceNotFoundError);
  });
});

describe('Route53Dns.changeStatus and observe', () => {
  it('follows a change from PENDING to INSYNC', async () => {
    const { dns, clock } = setup();
    const { changeId } = await dns.upsertRecords(ZONE, [blue], 'x');
    expect(await dns.changeStatus(changeId)).toBe('PENDING');
    clock.advanceSeconds(60);
    expect(await dns.changeStatus(changeId)).toBe('INSYNC');
  });

  it('reports each checker region, healthy when its report starts with Success', async () => {
    const { dns, fake } = setup();
    fake.setHealthCheck('hc-green', false, { regions: ['eu-west-1'] });
    const observations = await dns.observe('hc-green');
    expect(observations).toHaveLength(8);
    expect(observations.find((observation) => observation.checkerRegion === 'eu-west-1')).toMatchObject({
      healthy: false,
      report: expect.stringMatching(/^Failure: /),
      checkedAt: new Date('2026-03-01T12:00:00.000Z'),
    });
    expect(observations.filter((observation) => observation.healthy)).toHaveLength(7);
    await expect(dns.observe('hc-nope')).rejects.toBeInstanceOf(ResourceNotFoundError);
  });
});
