import { describe, expect, it } from '@jest/globals';
import {
  DescribeClusterCommand,
  DescribeNodegroupCommand,
  DescribeUpdateCommand,
  EKSClient,
  InvalidParameterException,
  InvalidRequestException,
  ResourceInUseException,
  ResourceNotFoundException,
  ServerException,
  ThrottlingException,
  UpdateNodegroupConfigCommand,
  type NodegroupScalingConfig,
} from '@aws-sdk/client-eks';
import { attachFake } from '../../../src/local/aws/attach-fake.js';
import { FakeEks } from '../../../src/local/aws/fake-eks.js';
import { VirtualClock } from '../../../src/local/virtual-clock.js';

const REGION = 'eu-west-1';

function setup() {
  const clock = new VirtualClock('2026-03-01T12:00:00.000Z');
  const fake = new FakeEks(clock)
    .addCluster(REGION, { name: 'green', endpoint: 'https://green.eks.example', certificateAuthority: 'Q0VSVA==' })
    .addNodegroup(REGION, 'green', 'workers', { minSize: 0, maxSize: 10, desiredSize: 0 });
  const client = new EKSClient({ region: REGION });
  attachFake(client, fake);
  const scale = (scalingConfig: NodegroupScalingConfig, clientRequestToken?: string) =>
    client.send(new UpdateNodegroupConfigCommand({ clusterName: 'green', nodegroupName: 'workers', scalingConfig, clientRequestToken }));
  const describeNodegroup = async () =>
    (await client.send(new DescribeNodegroupCommand({ clusterName: 'green', nodegroupName: 'workers' }))).nodegroup;
  const describeUpdate = async (updateId: string) =>
    (await client.send(new DescribeUpdateCommand({ name: 'green', nodegroupName: 'workers', updateId }))).update;
  return { clock, fake, client, scale, describeNodegroup, describeUpdate };
}

describe('FakeEks, through the real EKSClient', () => {
  it('describes a cluster with its endpoint and certificate authority', async () => {
    const { client } = setup();
    const { cluster } = await client.send(new DescribeClusterCommand({ name: 'green' }));
    expect(cluster).toMatchObject({
      name: 'green',
      status: 'ACTIVE',
      endpoint: 'https://green.eks.example',
      certificateAuthority: { data: 'Q0VSVA==' },
      arn: 'arn:aws:eks:eu-west-1:123456789012:cluster/green',
    });
  });

  it('answers ResourceNotFoundException for an unknown cluster or node group, naming them', async () => {
    const { client } = setup();
    await expect(client.send(new DescribeClusterCommand({ name: 'nope' }))).rejects.toMatchObject({
      name: 'ResourceNotFoundException',
      message: 'No cluster found for name: nope.',
      clusterName: 'nope',
      $metadata: { httpStatusCode: 404 },
    });
    await expect(client.send(new DescribeNodegroupCommand({ clusterName: 'green', nodegroupName: 'nope' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('keeps an update InProgress and the node group UPDATING for 180 seconds, then applies it', async () => {
    const { clock, scale, describeNodegroup, describeUpdate } = setup();
    const { update } = await scale({ minSize: 3, desiredSize: 3 }, 'incident-42-workers');
    expect(update).toMatchObject({ status: 'InProgress', type: 'ConfigUpdate', errors: [] });
    expect(update?.params).toEqual([
      { type: 'MinSize', value: '3' },
      { type: 'DesiredSize', value: '3' },
    ]);

    clock.advanceSeconds(179);
    expect(await describeNodegroup()).toMatchObject({ status: 'UPDATING', scalingConfig: { minSize: 0, maxSize: 10, desiredSize: 0 } });
    expect((await describeUpdate(update!.id!))?.status).toBe('InProgress');

    clock.advanceSeconds(1);
    expect(await describeNodegroup()).toMatchObject({ status: 'ACTIVE', scalingConfig: { minSize: 3, maxSize: 10, desiredSize: 3 } });
    expect((await describeUpdate(update!.id!))?.status).toBe('Successful');
  });

  it('returns the original update for a repeated client request token instead of creating another', async () => {
    const { clock, fake, scale } = setup();
    const first = await scale({ desiredSize: 3 }, 'incident-42-workers');
    clock.advanceSeconds(30);
    const again = await scale({ desiredSize: 3 }, 'incident-42-workers');
    clock.advanceSeconds(300);
    const afterwards = await scale({ desiredSize: 3 }, 'incident-42-workers');

    expect(again.update?.id).toBe(first.update?.id);
    expect(afterwards.update).toMatchObject({ id: first.update?.id, status: 'Successful' });
    expect(fake.updatesCreated(REGION, 'green', 'workers')).toBe(1);
  });

  it('refuses a client request token reused for a different request', async () => {
    const { scale } = setup();
    await scale({ desiredSize: 3 }, 'incident-42-workers');
    await expect(scale({ desiredSize: 4 }, 'incident-42-workers')).rejects.toBeInstanceOf(InvalidRequestException);
  });

  it('answers ResourceInUseException while another update of the node group is in progress', async () => {
    const { clock, scale } = setup();
    const { update } = await scale({ desiredSize: 3 }, 'first');
    const error = await scale({ desiredSize: 5 }, 'second').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ResourceInUseException);
    expect(error).toMatchObject({ $metadata: { httpStatusCode: 409 }, message: expect.stringContaining(update!.id!) });
    clock.advanceSeconds(180);
    await expect(scale({ desiredSize: 5 }, 'second')).resolves.toMatchObject({ update: { status: 'InProgress' } });
  });

  it.each([
    [{ minSize: 4 }, "Minimum capacity 4 can't be greater than desired size 0"],
    [{ desiredSize: 11 }, "desiredSize can't be greater than maxSize"],
    [{ maxSize: 0 }, "maxSize can't be less than 1"],
    [{ minSize: -1 }, "minSize can't be less than 0"],
  ])('validates %j combined with the current sizes: %s', async (scalingConfig, message) => {
    const { scale, fake } = setup();
    await expect(scale(scalingConfig, 'token')).rejects.toThrow(message);
    await expect(scale(scalingConfig, 'token-2')).rejects.toBeInstanceOf(InvalidParameterException);
    expect(fake.updatesCreated(REGION, 'green', 'workers')).toBe(0);
  });

  it('ends an update Failed, keeping the old sizes, when a test says so', async () => {
    const { clock, fake, scale, describeNodegroup, describeUpdate } = setup();
    fake.failNextUpdate(REGION, 'green', 'workers', { errorCode: 'AsgInstanceLaunchFailures', errorMessage: 'InsufficientInstanceCapacity' });
    const { update } = await scale({ desiredSize: 3 }, 'token');
    clock.advanceSeconds(180);
    expect(await describeUpdate(update!.id!)).toMatchObject({
      status: 'Failed',
      errors: [{ errorCode: 'AsgInstanceLaunchFailures', errorMessage: 'InsufficientInstanceCapacity' }],
    });
    expect(await describeNodegroup()).toMatchObject({ status: 'ACTIVE', scalingConfig: { desiredSize: 0 } });
  });

  it('injects throttling and server errors as the SDK exception classes', async () => {
    const { fake, scale, client } = setup();
    fake.failNext('UpdateNodegroupConfig', 'ThrottlingException').failNext('DescribeCluster', 'ServerException');
    const throttled = await scale({ desiredSize: 1 }, 'token').catch((caught: unknown) => caught);
    expect(throttled).toBeInstanceOf(ThrottlingException);
    expect(throttled).toMatchObject({ message: 'Rate exceeded', $metadata: { httpStatusCode: 429 } });
    const serverError = await client.send(new DescribeClusterCommand({ name: 'green' })).catch((caught: unknown) => caught);
    expect(serverError).toBeInstanceOf(ServerException);
    expect(serverError).toMatchObject({ $fault: 'server', $metadata: { httpStatusCode: 500 } });
    await expect(scale({ desiredSize: 1 }, 'token')).resolves.toMatchObject({ update: { status: 'InProgress' } });
  });

  it('answers ResourceNotFoundException for an update it does not know', async () => {
    const { describeUpdate } = setup();
    await expect(describeUpdate('00000000-0000-4000-a000-000000000000')).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});
