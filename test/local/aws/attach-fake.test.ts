import { describe, expect, it } from '@jest/globals';
import {
  GetChangeCommand,
  ListHostedZonesCommand,
  NoSuchChange,
  Route53Client,
  Route53ServiceException,
} from '@aws-sdk/client-route-53';
import { EKSClient, DescribeClusterCommand, ResourceNotFoundException } from '@aws-sdk/client-eks';
import { FakeNotImplementedError } from '../../../src/local/aws/aws-fault.js';
import { attachFake } from '../../../src/local/aws/attach-fake.js';
import { FakeEks } from '../../../src/local/aws/fake-eks.js';
import { FakeRoute53 } from '../../../src/local/aws/fake-route53.js';
import { VirtualClock } from '../../../src/local/virtual-clock.js';

function route53WithFake() {
  const clock = new VirtualClock();
  const fake = new FakeRoute53(clock);
  const client = new Route53Client({});
  attachFake(client, fake);
  return { clock, fake, client };
}

describe('attachFake', () => {
  it('makes the real client return the fake answer with response metadata', async () => {
    // arrange
    const { client, fake } = route53WithFake();
    fake.addHostedZone('Z1', 'example.com');
    const { ChangeInfo } = await fake.ChangeResourceRecordSets({
      HostedZoneId: 'Z1',
      ChangeBatch: { Changes: [{ Action: 'CREATE', ResourceRecordSet: { Name: 'a.example.com', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.1' }] } }] },
    });

    // act
    const output = await client.send(new GetChangeCommand({ Id: ChangeInfo.Id }));

    // assert
    expect(output.ChangeInfo?.Id).toBe(ChangeInfo.Id);
    expect(output.$metadata.httpStatusCode).toBe(200);
    expect(output.$metadata.requestId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('lets the SDK shape the input first, as it would before sending (the /change/ prefix is stripped)', async () => {
    const { client, fake } = route53WithFake();
    await expect(client.send(new GetChangeCommand({ Id: '/change/CNOPE' }))).rejects.toBeInstanceOf(NoSuchChange);
    expect(fake.calls.at(-1)?.input).toEqual({ Id: 'CNOPE' });
  });

  it('turns a fake failure into the client modeled exception class with $fault and $metadata', async () => {
    const { client } = route53WithFake();
    const error = await client.send(new GetChangeCommand({ Id: 'CNOPE' })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NoSuchChange);
    expect(error).toBeInstanceOf(Route53ServiceException);
    expect(error).toMatchObject({ name: 'NoSuchChange', $fault: 'client', $metadata: { httpStatusCode: 404 } });
  });

  it('turns an unmodeled error code into the client base exception named after the code', async () => {
    const { client, fake } = route53WithFake();
    fake.failNext('GetChange', 'Throttling');
    const error = await client.send(new GetChangeCommand({ Id: 'C1' })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(Route53ServiceException);
    expect(error).toMatchObject({ name: 'Throttling', message: 'Rate exceeded', $fault: 'client', $metadata: { httpStatusCode: 400 } });
  });

  it('fails loudly for an operation the fake does not model', async () => {
    const { client } = route53WithFake();
    await expect(client.send(new ListHostedZonesCommand({}))).rejects.toThrow(FakeNotImplementedError);
    await expect(client.send(new ListHostedZonesCommand({}))).rejects.toThrow(/FakeRoute53 does not implement ListHostedZones/);
  });

  it('hands the fake the region the client was built for', async () => {
    const fake = new FakeEks(new VirtualClock());
    fake.addCluster('us-west-2', { name: 'blue', endpoint: 'https://blue.example', certificateAuthority: 'Q0E=' });
    const west = new EKSClient({ region: 'us-west-2' });
    const east = new EKSClient({ region: 'us-east-1' });
    attachFake(west, fake);
    attachFake(east, fake);

    await expect(west.send(new DescribeClusterCommand({ name: 'blue' }))).resolves.toMatchObject({ cluster: { name: 'blue' } });
    await expect(east.send(new DescribeClusterCommand({ name: 'blue' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('gives callers a copy, so changing an answer does not change the fake', async () => {
    const { client, fake } = route53WithFake();
    fake.addHostedZone('Z1', 'example.com');
    const { ChangeInfo } = await fake.ChangeResourceRecordSets({
      HostedZoneId: 'Z1',
      ChangeBatch: { Changes: [{ Action: 'CREATE', ResourceRecordSet: { Name: 'a.example.com', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.1' }] } }] },
    });
    const first = await client.send(new GetChangeCommand({ Id: ChangeInfo.Id }));
    first.ChangeInfo!.Status = 'INSYNC';
    const second = await client.send(new GetChangeCommand({ Id: ChangeInfo.Id }));
    expect(second.ChangeInfo?.Status).toBe('PENDING');
  });
});
