import { describe, expect, it } from '@jest/globals';
import {
  ConflictError,
  DependencyUnavailableError,
  InvalidChangeError,
  PermissionDeniedError,
  ResourceNotFoundError,
  ThrottledError,
} from '../../../src/domain/errors.js';
import { EKSClient } from '@aws-sdk/client-eks';
import { EksClusters } from '../../../src/adapters/aws/eks-clusters.js';
import { FakeEks } from '../../../src/local/aws/fake-eks.js';
import { fakeDecorator } from '../../../src/local/aws/fake-decorator.js';
import { VirtualClock } from '../../../src/local/virtual-clock.js';
import { regionalClients } from '../../support/regional-clients.js';

function setup() {
  const clock = new VirtualClock('2026-03-01T12:00:00.000Z');
  const fake = new FakeEks(clock)
    .addCluster('eu-west-1', { name: 'blue', endpoint: 'https://blue.eks.example', certificateAuthority: 'QkxVRQ==' })
    .addCluster('us-east-1', { name: 'green', endpoint: 'https://green.eks.example', certificateAuthority: 'R1JFRU4=' })
    .addNodegroup('us-east-1', 'green', 'workers', { minSize: 0, maxSize: 12, desiredSize: 0 });
  const eks = new EksClusters({ eks: regionalClients((region) => new EKSClient({ region }), fakeDecorator({ eks: fake })) });
  return { clock, fake, eks };
}

describe('EksClusters', () => {
  it('describes clusters in each region through that region client', async () => {
    const { eks } = setup();
    expect(await eks.describeCluster('eu-west-1', 'blue')).toEqual({
      name: 'blue',
      status: 'ACTIVE',
      endpoint: 'https://blue.eks.example',
      certificateAuthority: 'QkxVRQ==',
    });
    expect((await eks.describeCluster('us-east-1', 'green')).endpoint).toBe('https://green.eks.example');
    await expect(eks.describeCluster('us-east-1', 'blue')).rejects.toBeInstanceOf(ResourceNotFoundError);
  });

  it('scales a node group with an idempotency token and follows the update until it is applied', async () => {
    const { eks, clock, fake } = setup();
    const scaling = { minSize: 3, maxSize: 12, desiredSize: 6 };
    const update = await eks.updateNodegroupScaling('us-east-1', 'green', 'workers', scaling, 'incident-42-green-workers');
    expect(update).toEqual({ id: expect.any(String), status: 'InProgress', errors: [] });
    expect(await eks.describeNodegroup('us-east-1', 'green', 'workers')).toMatchObject({ status: 'UPDATING' });

    const retried = await eks.updateNodegroupScaling('us-east-1', 'green', 'workers', scaling, 'incident-42-green-workers');
    expect(retried.id).toBe(update.id);
    expect(fake.updatesCreated('us-east-1', 'green', 'workers')).toBe(1);

    clock.advanceSeconds(180);
    expect(await eks.describeUpdate('us-east-1', 'green', 'workers', update.id)).toEqual({ id: update.id, status: 'Successful', errors: [] });
    expect(await eks.describeNodegroup('us-east-1', 'green', 'workers')).toEqual({ name: 'workers', status: 'ACTIVE', scaling });
  });

  it('reports the errors of a failed update', async () => {
    const { eks, clock, fake } = setup();
    fake.failNextUpdate('us-east-1', 'green', 'workers', { errorCode: 'NodeCreationFailure', errorMessage: 'Instances failed to join the kubernetes cluster' });
    const update = await eks.updateNodegroupScaling('us-east-1', 'green', 'workers', { minSize: 1, maxSize: 12, desiredSize: 1 }, 't');
    clock.advanceSeconds(180);
    expect(await eks.describeUpdate('us-east-1', 'green', 'workers', update.id)).toEqual({
      id: update.id,
      status: 'Failed',
      errors: ['NodeCreationFailure: Instances failed to join the kubernetes cluster'],
    });
  });

  it('turns a second update while one runs into ConflictError, before EKS looks at its sizes', async () => {
    const { eks } = setup();
    await eks.updateNodegroupScaling('us-east-1', 'green', 'workers', { minSize: 1, maxSize: 12, desiredSize: 1 }, 'first');
    await expect(
      eks.updateNodegroupScaling('us-east-1', 'green', 'workers', { minSize: 2, maxSize: 12, desiredSize: 2 }, 'second'),
    ).rejects.toBeInstanceOf(ConflictError);
    await expect(
      eks.updateNodegroupScaling('us-east-1', 'green', 'workers', { minSize: 5, maxSize: 12, desiredSize: 2 }, 'third'),
    ).rejects.toBeInstanceOf(ConflictError);
  });

  it('turns sizes EKS refuses into InvalidChangeError', async () => {
    const { eks } = setup();
    const error = await eks
      .updateNodegroupScaling('us-east-1', 'green', 'workers', { minSize: 5, maxSize: 12, desiredSize: 2 }, 't')
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(InvalidChangeError);
    expect((error as Error).message).toBe(
      "eks:UpdateNodegroupConfig us-east-1/green/workers failed: InvalidParameterException: Minimum capacity 5 can't be greater than desired size 2",
    );
  });

  it.each([
    ['ThrottlingException', 'ThrottledError', ThrottledError],
    ['ServerException', 'DependencyUnavailableError', DependencyUnavailableError],
    ['ServiceUnavailableException', 'DependencyUnavailableError', DependencyUnavailableError],
    ['AccessDeniedException', 'PermissionDeniedError', PermissionDeniedError],
    ['ResourceInUseException', 'ConflictError', ConflictError],
  ])('turns an injected %s into %s', async (fault, _name, DomainError) => {
    const { eks, fake } = setup();
    fake.failNext('DescribeNodegroup', fault);
    await expect(eks.describeNodegroup('us-east-1', 'green', 'workers')).rejects.toBeInstanceOf(DomainError);
  });
});
