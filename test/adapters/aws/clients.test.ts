import { describe, expect, it } from '@jest/globals';
import { EKSClient } from '@aws-sdk/client-eks';
import { Route53Client } from '@aws-sdk/client-route-53';
import { AwsClients, type AwsClient } from '../../../src/adapters/aws/clients.js';
import { FakeNotImplementedError } from '../../../src/local/aws/aws-fault.js';
import { fakeDecorator } from '../../../src/local/aws/fake-decorator.js';
import { FakeRoute53 } from '../../../src/local/aws/fake-route53.js';
import { VirtualClock } from '../../../src/local/virtual-clock.js';

describe('AwsClients', () => {
  it('makes each client once and decorates it once', () => {
    const decorated: AwsClient[] = [];
    const clients = new AwsClients({ decorate: (client) => decorated.push(client) });
    expect(clients.route53()).toBe(clients.route53());
    expect(clients.eks('eu-west-1')).toBe(clients.eks('eu-west-1'));
    expect(clients.eks('eu-west-1')).not.toBe(clients.eks('us-east-1'));
    expect(decorated).toHaveLength(3);
    expect(decorated[0]).toBeInstanceOf(Route53Client);
    expect(decorated[1]).toBeInstanceOf(EKSClient);
  });

  it('gives regional clients the region asked for, and the others the default chain', async () => {
    const clients = new AwsClients();
    expect(await clients.eks('ap-southeast-2').config.region()).toBe('ap-southeast-2');
    expect(await clients.cloudwatch('us-west-2').config.region()).toBe('us-west-2');
    expect(await clients.sfn().config.region()).toBe(process.env.AWS_REGION);
  });

  it('keeps SDK retries modest, leaving retries to the workflow', async () => {
    expect(await new AwsClients().ssm().config.maxAttempts()).toBe(2);
    expect(await new AwsClients({ maxAttempts: 1 }).secretsManager().config.maxAttempts()).toBe(1);
  });

  it('attaches the fakes it is given, and refuses a client it has no fake for', () => {
    const clients = new AwsClients({ decorate: fakeDecorator({ route53: new FakeRoute53(new VirtualClock()) }) });
    expect(() => clients.route53()).not.toThrow();
    expect(() => clients.eks('eu-west-1')).toThrow(FakeNotImplementedError);
  });
});
