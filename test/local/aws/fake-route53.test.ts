import { describe, expect, it } from '@jest/globals';
import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  GetHealthCheckCommand,
  GetHealthCheckStatusCommand,
  InvalidChangeBatch,
  InvalidInput,
  ListResourceRecordSetsCommand,
  NoSuchChange,
  NoSuchHealthCheck,
  NoSuchHostedZone,
  PriorRequestNotComplete,
  Route53Client,
  type Change,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { attachFake } from '../../../src/local/aws/attach-fake.js';
import { FakeRoute53 } from '../../../src/local/aws/fake-route53.js';
import { VirtualClock } from '../../../src/local/virtual-clock.js';

const ZONE = 'Z0123456789ABCDEFGHIJ';

function setup(options: { changeSyncSeconds?: number } = {}) {
  const clock = new VirtualClock('2026-03-01T12:00:00.000Z');
  const fake = new FakeRoute53(clock, options).addHostedZone(ZONE, 'example.com');
  const client = new Route53Client({});
  attachFake(client, fake);
  const change = (...changes: Change[]) =>
    client.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: ZONE, ChangeBatch: { Changes: changes, Comment: 'test' } }));
  const failure = (...changes: Change[]) => change(...changes).catch((error: unknown) => error);
  return { clock, fake, client, change, failure };
}

function weighted(setIdentifier: string, weight: number, extra: Partial<ResourceRecordSet> = {}): ResourceRecordSet {
  return { Name: 'app.example.com', Type: 'A', SetIdentifier: setIdentifier, Weight: weight, TTL: 60, ResourceRecords: [{ Value: '192.0.2.1' }], ...extra };
}

const simple: ResourceRecordSet = { Name: 'app.example.com', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.9' }] };

describe('FakeRoute53 ChangeResourceRecordSets, through the real Route53Client', () => {
  it('accepts a batch and answers with a PENDING change submitted now', async () => {
    const { change } = setup();
    const { ChangeInfo } = await change({ Action: 'CREATE', ResourceRecordSet: weighted('blue', 100) });
    expect(ChangeInfo).toEqual({
      Id: expect.stringMatching(/^\/change\/C[0-9A-Z]{13}$/),
      Status: 'PENDING',
      SubmittedAt: new Date('2026-03-01T12:00:00.000Z'),
      Comment: 'test',
    });
  });

  it('refuses to CREATE a record set that already exists', async () => {
    const { change, failure } = setup();
    await change({ Action: 'CREATE', ResourceRecordSet: weighted('blue', 100) });
    const error = await failure({ Action: 'CREATE', ResourceRecordSet: weighted('blue', 50) });
    expect(error).toBeInstanceOf(InvalidChangeBatch);
    expect((error as InvalidChangeBatch).messages).toEqual([
      "Tried to create resource record set [name='app.example.com.', type='A', set-identifier='blue'] but it already exists",
    ]);
  });

  it('UPSERTs: creates when missing, replaces when present, and counts each change per record set', async () => {
    const { change, fake } = setup();
    await change({ Action: 'UPSERT', ResourceRecordSet: weighted('blue', 100) });
    await change({ Action: 'UPSERT', ResourceRecordSet: weighted('blue', 0) });
    expect(fake.record(ZONE, 'app.example.com.', 'A', 'blue')?.Weight).toBe(0);
    expect(fake.changesTo('APP.example.com', 'A', 'blue')).toBe(2);
    expect(fake.changesTo('app.example.com', 'A', 'green')).toBe(0);
  });

  it('deletes only a record set restated exactly (values in any order)', async () => {
    const { change, failure, fake } = setup();
    const twoValues = weighted('blue', 10, { ResourceRecords: [{ Value: '192.0.2.1' }, { Value: '192.0.2.2' }] });
    await change({ Action: 'CREATE', ResourceRecordSet: twoValues });

    const stale = await failure({ Action: 'DELETE', ResourceRecordSet: { ...twoValues, Weight: 20 } });
    expect((stale as InvalidChangeBatch).messages).toEqual([
      "Tried to delete resource record set [name='app.example.com.', type='A', set-identifier='blue'] but the values provided do not match the current values",
    ]);
    const missing = await failure({ Action: 'DELETE', ResourceRecordSet: weighted('green', 10) });
    expect((missing as InvalidChangeBatch).messages?.[0]).toMatch(/set-identifier='green'\] but it was not found$/);

    await change({ Action: 'DELETE', ResourceRecordSet: { ...twoValues, ResourceRecords: [{ Value: '192.0.2.2' }, { Value: '192.0.2.1' }] } });
    expect(fake.record(ZONE, 'app.example.com', 'A', 'blue')).toBeUndefined();
  });

  it.each<[string, ResourceRecordSet, RegExp]>([
    ['a weight above 255', weighted('blue', 256), /Value '256' at 'changeBatch.changes.1.member.resourceRecordSet.weight' failed to satisfy constraint: Member must have value less than or equal to 255/],
    ['a negative weight', weighted('blue', -1), /Member must have value greater than or equal to 0/],
    ['a weight without a set identifier', { ...simple, Weight: 10 }, /Missing field 'SetIdentifier' in Change with \[Action=CREATE, Name=app.example.com., Type=A, SetIdentifier=null\]/],
    ['a set identifier without a routing policy', { ...simple, SetIdentifier: 'blue' }, /Expected exactly one of \[Weight, Region, Failover, GeoLocation, MultiValueAnswer.*but found none/],
    ['no TTL on a non-alias record', { ...simple, TTL: undefined }, /Expected exactly one of \[AliasTarget, all of \[TTL, and ResourceRecords\], or TrafficPolicyInstanceId\], but found none/],
    ['a TTL on an alias record', { Name: 'app.example.com', Type: 'A', TTL: 60, AliasTarget: { HostedZoneId: 'Z32O12XQLNTSW2', DNSName: 'lb.elb.amazonaws.com', EvaluateTargetHealth: true } }, /but found more than one/],
    ['an unknown record type', { ...simple, Type: 'AA' as ResourceRecordSet['Type'] }, /Member must satisfy enum value set/],
  ])('rejects %s as InvalidInput', async (_case, rrset, message) => {
    const { failure } = setup();
    const error = await failure({ Action: 'CREATE', ResourceRecordSet: rrset });
    expect(error).toBeInstanceOf(InvalidInput);
    expect((error as Error).message).toMatch(message);
  });

  it('accepts an alias record without a TTL and returns its target name canonical', async () => {
    const { change, fake } = setup();
    await change({
      Action: 'CREATE',
      ResourceRecordSet: { ...weighted('blue', 1), TTL: undefined, ResourceRecords: undefined, AliasTarget: { HostedZoneId: '/hostedzone/Z32O12XQLNTSW2', DNSName: 'My-LB.eu-west-1.elb.amazonaws.com', EvaluateTargetHealth: true } },
    });
    expect(fake.record(ZONE, 'app.example.com', 'A', 'blue')?.AliasTarget).toEqual({
      HostedZoneId: 'Z32O12XQLNTSW2',
      DNSName: 'my-lb.eu-west-1.elb.amazonaws.com.',
      EvaluateTargetHealth: true,
    });
  });

  it('does not mix routing policies for one name and type', async () => {
    const { change, failure } = setup();
    await change({ Action: 'CREATE', ResourceRecordSet: simple });
    const weightedOverSimple = await failure({ Action: 'CREATE', ResourceRecordSet: weighted('blue', 1) });
    expect((weightedOverSimple as InvalidChangeBatch).messages).toEqual([
      'RRSet with DNS name app.example.com., type A, SetIdentifier blue cannot be created as a non-weighted set exists with the same name and type.',
    ]);

    const other = setup();
    await other.change({ Action: 'CREATE', ResourceRecordSet: weighted('blue', 1) });
    const simpleOverWeighted = await other.failure({ Action: 'CREATE', ResourceRecordSet: simple });
    expect((simpleOverWeighted as InvalidChangeBatch).messages).toEqual([
      'RRSet with DNS name app.example.com., type A cannot be created as other RRSets exist with the same name and type.',
    ]);
  });

  it('lets one batch turn a simple record into weighted ones (DELETE then CREATE)', async () => {
    const { change, fake } = setup();
    await change({ Action: 'CREATE', ResourceRecordSet: simple });
    await change(
      { Action: 'DELETE', ResourceRecordSet: simple },
      { Action: 'CREATE', ResourceRecordSet: weighted('blue', 1) },
      { Action: 'CREATE', ResourceRecordSet: weighted('green', 1, { ResourceRecords: [{ Value: '192.0.2.2' }] }) },
    );
    expect(fake.records(ZONE).filter((rrset) => rrset.Name === 'app.example.com.').map((rrset) => rrset.SetIdentifier)).toEqual(['blue', 'green']);
  });

  it('keeps one TTL across a weighted group', async () => {
    const { change, failure } = setup();
    await change({ Action: 'CREATE', ResourceRecordSet: weighted('blue', 1) });
    const error = await failure({ Action: 'CREATE', ResourceRecordSet: weighted('green', 1, { TTL: 300 }) });
    expect((error as InvalidChangeBatch).messages).toEqual([
      'RRSet with DNS name app.example.com. and type A, SetIdentifier green cannot be created as weighted sets must contain the same TTL.',
    ]);
    // Changing the TTL of the whole group in one batch is fine.
    await change(
      { Action: 'UPSERT', ResourceRecordSet: weighted('blue', 1, { TTL: 300 }) },
      { Action: 'UPSERT', ResourceRecordSet: weighted('green', 1, { TTL: 300 }) },
    );
  });

  it('rejects two changes to the same record set in one batch', async () => {
    const { failure } = setup();
    const error = await failure({ Action: 'UPSERT', ResourceRecordSet: weighted('blue', 1) }, { Action: 'UPSERT', ResourceRecordSet: weighted('blue', 2) });
    expect((error as InvalidChangeBatch).messages).toEqual([
      "The request contains an invalid set of changes for a resource record set 'A app.example.com.'",
    ]);
  });

  it('applies all of a batch or none of it', async () => {
    const { change, failure, fake } = setup();
    await change({ Action: 'CREATE', ResourceRecordSet: weighted('blue', 1) });
    const before = fake.records(ZONE);
    await failure({ Action: 'UPSERT', ResourceRecordSet: weighted('green', 5) }, { Action: 'CREATE', ResourceRecordSet: weighted('blue', 9) });
    expect(fake.records(ZONE)).toEqual(before);
    expect(fake.changesTo('app.example.com', 'A', 'green')).toBe(0);
  });

  it('counts ResourceRecord elements against the 1,000 per request quota, UPSERT twice', async () => {
    const { failure } = setup();
    const changes: Change[] = Array.from({ length: 501 }, (_, index) => ({
      Action: 'UPSERT',
      ResourceRecordSet: { Name: `h${index}.example.com`, Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.1' }] },
    }));
    const error = await failure(...changes);
    expect(error).toBeInstanceOf(InvalidChangeBatch);
    expect((error as InvalidChangeBatch).messages).toContain('Number of records limit of 1000 exceeded.');
  });

  it('keeps records inside the zone and CNAMEs alone at their name', async () => {
    const { change, failure } = setup();
    const outside = await failure({ Action: 'CREATE', ResourceRecordSet: { ...simple, Name: 'app.example.org' } });
    expect((outside as InvalidChangeBatch).messages).toEqual(['RRSet with DNS name app.example.org. is not permitted in zone example.com.']);
    await change({ Action: 'CREATE', ResourceRecordSet: simple });
    const cname = await failure({ Action: 'CREATE', ResourceRecordSet: { Name: 'app.example.com', Type: 'CNAME', TTL: 60, ResourceRecords: [{ Value: 'x.example.org' }] } });
    expect((cname as InvalidChangeBatch).messages?.[0]).toMatch(/RRSet of type CNAME with DNS name app.example.com. is not permitted as it conflicts/);
  });

  it('refuses an unknown hosted zone and an unknown health check', async () => {
    const { client, failure } = setup();
    await expect(
      client.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: 'ZNOPE', ChangeBatch: { Changes: [{ Action: 'CREATE', ResourceRecordSet: simple }] } })),
    ).rejects.toBeInstanceOf(NoSuchHostedZone);
    await expect(failure({ Action: 'CREATE', ResourceRecordSet: weighted('blue', 1, { HealthCheckId: 'hc-nope' }) })).resolves.toBeInstanceOf(NoSuchHealthCheck);
  });

  it('answers PriorRequestNotComplete as often as told, then accepts the change', async () => {
    const { change, failure, fake } = setup();
    fake.failNext('ChangeResourceRecordSets', 'PriorRequestNotComplete', 2);
    await expect(failure({ Action: 'CREATE', ResourceRecordSet: simple })).resolves.toBeInstanceOf(PriorRequestNotComplete);
    await expect(failure({ Action: 'CREATE', ResourceRecordSet: simple })).resolves.toMatchObject({ $metadata: { httpStatusCode: 400 } });
    await expect(change({ Action: 'CREATE', ResourceRecordSet: simple })).resolves.toBeDefined();
    expect(fake.calls.map((call) => call.error)).toEqual(['PriorRequestNotComplete', 'PriorRequestNotComplete', undefined]);
  });

  it('refuses to inject a failure it does not know, so typos fail loudly', () => {
    const { fake } = setup();
    expect(() => fake.failNext('ChangeResourceRecordSets', 'Throttled')).toThrow(/cannot inject Throttled/);
    expect(() => fake.failNext('ChangeRecordSets', 'Throttling')).toThrow(/no operation ChangeRecordSets/);
  });
});

describe('FakeRoute53 GetChange', () => {
  it('reports PENDING until 60 seconds of clock time have passed, then INSYNC', async () => {
    const { change, client, clock } = setup();
    const { ChangeInfo } = await change({ Action: 'CREATE', ResourceRecordSet: simple });
    clock.advanceSeconds(59);
    expect((await client.send(new GetChangeCommand({ Id: ChangeInfo!.Id }))).ChangeInfo?.Status).toBe('PENDING');
    clock.advanceSeconds(1);
    expect((await client.send(new GetChangeCommand({ Id: ChangeInfo!.Id }))).ChangeInfo?.Status).toBe('INSYNC');
  });

  it('takes its propagation time from the options', async () => {
    const { change, client, clock } = setup({ changeSyncSeconds: 5 });
    const { ChangeInfo } = await change({ Action: 'CREATE', ResourceRecordSet: simple });
    clock.advanceSeconds(5);
    expect((await client.send(new GetChangeCommand({ Id: ChangeInfo!.Id }))).ChangeInfo?.Status).toBe('INSYNC');
  });

  it('answers NoSuchChange for an ID it never issued', async () => {
    const { client } = setup();
    await expect(client.send(new GetChangeCommand({ Id: '/change/C0000000000000' }))).rejects.toBeInstanceOf(NoSuchChange);
  });
});

describe('FakeRoute53 ListResourceRecordSets', () => {
  function seeded() {
    const context = setup();
    const a = (Name: string, Value = '192.0.2.1'): ResourceRecordSet => ({ Name, Type: 'A', TTL: 60, ResourceRecords: [{ Value }] });
    context.fake
      .putRecord(ZONE, a('www.example.com'))
      .putRecord(ZONE, a('a-b.example.com'))
      .putRecord(ZONE, a('a.example.com'))
      .putRecord(ZONE, { Name: 'a.example.com', Type: 'TXT', TTL: 60, ResourceRecords: [{ Value: '"hello"' }] })
      .putRecord(ZONE, a('*.example.com'))
      .putRecord(ZONE, weighted('green', 1))
      .putRecord(ZONE, weighted('blue', 1))
      .putRecord(ZONE, weighted('amber', 1));
    return context;
  }

  it('sorts by name with labels reversed, then type, then set identifier, in ASCII order', async () => {
    const { client } = seeded();
    const { ResourceRecordSets, IsTruncated, MaxItems } = await client.send(new ListResourceRecordSetsCommand({ HostedZoneId: ZONE }));
    expect(ResourceRecordSets?.map((rrset) => [rrset.Name, rrset.Type, rrset.SetIdentifier ?? ''].join(' ').trim())).toEqual([
      'example.com. NS',
      'example.com. SOA',
      '\\052.example.com. A',
      'a-b.example.com. A',
      'a.example.com. A',
      'a.example.com. TXT',
      'app.example.com. A amber',
      'app.example.com. A blue',
      'app.example.com. A green',
      'www.example.com. A',
    ]);
    expect(IsTruncated).toBe(false);
    expect(MaxItems).toBe(300);
  });

  it('starts at StartRecordName/StartRecordType and pages with MaxItems and the Next* position', async () => {
    const { client } = seeded();
    const first = await client.send(
      new ListResourceRecordSetsCommand({ HostedZoneId: ZONE, StartRecordName: 'APP.example.com', StartRecordType: 'A', MaxItems: 2 }),
    );
    expect(first.ResourceRecordSets?.map((rrset) => rrset.SetIdentifier)).toEqual(['amber', 'blue']);
    expect(first).toMatchObject({ IsTruncated: true, NextRecordName: 'app.example.com.', NextRecordType: 'A', NextRecordIdentifier: 'green', MaxItems: 2 });

    const second = await client.send(
      new ListResourceRecordSetsCommand({
        HostedZoneId: ZONE,
        StartRecordName: first.NextRecordName,
        StartRecordType: first.NextRecordType,
        StartRecordIdentifier: first.NextRecordIdentifier,
        MaxItems: 2,
      }),
    );
    expect(second.ResourceRecordSets?.map((rrset) => `${rrset.Name} ${rrset.SetIdentifier ?? ''}`.trim())).toEqual(['app.example.com. green', 'www.example.com.']);
    expect(second.IsTruncated).toBe(false);
    expect(second.NextRecordName).toBeUndefined();
  });

  it('refuses StartRecordType without StartRecordName', async () => {
    const { client } = seeded();
    await expect(client.send(new ListResourceRecordSetsCommand({ HostedZoneId: ZONE, StartRecordType: 'A' }))).rejects.toBeInstanceOf(InvalidInput);
  });
});

describe('FakeRoute53 health checks', () => {
  it('reports a healthy check from every checker region with Route 53 status strings', async () => {
    const { client, fake, clock } = setup();
    fake.addHealthCheck('hc-blue');
    clock.advanceSeconds(45);
    const { HealthCheckObservations } = await client.send(new GetHealthCheckStatusCommand({ HealthCheckId: 'hc-blue' }));
    expect(HealthCheckObservations).toHaveLength(8);
    expect(HealthCheckObservations?.[0]).toEqual({
      Region: 'us-east-1',
      IPAddress: expect.stringMatching(/^15\.177\./),
      StatusReport: { Status: 'Success: HTTP Status Code 200, OK', CheckedTime: new Date('2026-03-01T12:00:30.000Z') },
    });
  });

  it('lets a test fail a check everywhere or in some checker regions only', async () => {
    const { client, fake } = setup();
    fake.setHealthCheck('hc-blue', false, { regions: ['eu-west-1', 'us-east-1'] });
    const { HealthCheckObservations } = await client.send(new GetHealthCheckStatusCommand({ HealthCheckId: 'hc-blue' }));
    const failing = HealthCheckObservations?.filter((observation) => observation.StatusReport?.Status?.startsWith('Failure:'));
    expect(failing?.map((observation) => observation.Region).sort()).toEqual(['eu-west-1', 'us-east-1']);
  });

  it('describes a health check and refuses an unknown one', async () => {
    const { client, fake } = setup();
    fake.addHealthCheck('hc-blue', { FullyQualifiedDomainName: 'blue.example.com' });
    await expect(client.send(new GetHealthCheckCommand({ HealthCheckId: 'hc-blue' }))).resolves.toMatchObject({
      HealthCheck: { Id: 'hc-blue', HealthCheckConfig: { Type: 'HTTPS', FullyQualifiedDomainName: 'blue.example.com' } },
    });
    await expect(client.send(new GetHealthCheckStatusCommand({ HealthCheckId: 'hc-nope' }))).rejects.toBeInstanceOf(NoSuchHealthCheck);
  });
});

describe('FakeRoute53 limits at scale', () => {
  function many(count: number, from = 0): Change[] {
    return Array.from({ length: count }, (_, index) => ({ Action: 'UPSERT', ResourceRecordSet: { Name: `h${from + index}.example.com`, Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.1' }] } }));
  }

  it('throttles the account past five requests in a second, across operations, and counts it', async () => {
    // arrange
    const { client, clock, fake } = setup();
    const list = () => client.send(new ListResourceRecordSetsCommand({ HostedZoneId: ZONE })).then(() => 'ok', (error: { name: string; message: string }) => `${error.name}: ${error.message}`);

    // act
    const burst = await Promise.all(Array.from({ length: 6 }, list));
    clock.advance(200);
    const later = await list();

    // assert
    expect(burst).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'Throttling: Rate exceeded']);
    expect(later).toBe('ok');
    expect(fake.stats()).toMatchObject({ calls: 7, throttled: 1 });
  });

  it('takes a higher rate only when told', async () => {
    const clock = new VirtualClock('2026-03-01T12:00:00.000Z');
    const fake = new FakeRoute53(clock, { requestsPerSecond: 1000 }).addHostedZone(ZONE, 'example.com');
    const client = new Route53Client({});
    attachFake(client, fake);
    await Promise.all(Array.from({ length: 50 }, () => client.send(new ListResourceRecordSetsCommand({ HostedZoneId: ZONE }))));
    expect(fake.stats().throttled).toBe(0);
  });

  it('refuses more than 100 Change elements in one request', async () => {
    const { failure } = setup();
    const error = await failure(...many(101));
    expect(error).toBeInstanceOf(InvalidChangeBatch);
    expect((error as InvalidChangeBatch).messages).toEqual(['Number of changes limit of 100 exceeded.']);
  });

  it('refuses more than 32,000 characters of values, UPSERT twice', async () => {
    const { failure } = setup();
    const txt = (index: number): Change => ({ Action: 'UPSERT', ResourceRecordSet: { Name: `t${index}.example.com`, Type: 'TXT', TTL: 60, ResourceRecords: [{ Value: `"${'x'.repeat(3998)}"` }] } });
    const error = await failure(...Array.from({ length: 5 }, (_, i) => txt(i)));
    expect((error as InvalidChangeBatch).messages).toEqual(['Number of characters limit of 32000 exceeded.']);
  });

  it('refuses a change to a zone still applying the previous one, and accepts it once that is done', async () => {
    // arrange
    const clock = new VirtualClock('2026-03-01T12:00:00.000Z');
    const fake = new FakeRoute53(clock, { zoneProcessingMs: 500 }).addHostedZone(ZONE, 'example.com').addHostedZone('Z0OTHER', 'example.org');
    const client = new Route53Client({});
    attachFake(client, fake);
    const send = (zone: string, changes: Change[]) => client.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: zone, ChangeBatch: { Changes: changes } }));
    await send(ZONE, many(1));

    // act / assert
    await expect(send(ZONE, many(1, 1))).rejects.toBeInstanceOf(PriorRequestNotComplete);
    await expect(send('Z0OTHER', [{ Action: 'UPSERT', ResourceRecordSet: { Name: 'a.example.org', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.1' }] } }])).resolves.toBeDefined();
    clock.advance(500);
    await expect(send(ZONE, many(1, 1))).resolves.toBeDefined();
    expect(fake.stats()).toMatchObject({ changeCalls: 4, priorRequestNotComplete: 1 });
  });
});
