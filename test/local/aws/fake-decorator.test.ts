import { describe, expect, it } from '@jest/globals';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EKSClient } from '@aws-sdk/client-eks';
import { GetChangeCommand, Route53Client } from '@aws-sdk/client-route-53';
import { FakeNotImplementedError } from '../../../src/local/aws/aws-fault.js';
import { fakeDecorator } from '../../../src/local/aws/fake-decorator.js';
import { FakeRoute53 } from '../../../src/local/aws/fake-route53.js';
import { VirtualClock } from '../../../src/local/virtual-clock.js';

const local = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };

describe('fakeDecorator', () => {
  it('answers a client’s calls from the fake given for its service', async () => {
    const client = new Route53Client(local);
    fakeDecorator({ route53: new FakeRoute53(new VirtualClock()) })(client);
    // the fake knows no change of this id: its NoSuchChange, not a network call, answers
    await expect(client.send(new GetChangeCommand({ Id: 'C0000000000000' }))).rejects.toMatchObject({ name: 'NoSuchChange' });
  });

  it('refuses a client of a service it was given no fake for, so no call can leave for AWS', () => {
    const decorate = fakeDecorator({ route53: new FakeRoute53(new VirtualClock()) });
    expect(() => decorate(new EKSClient(local))).toThrow(FakeNotImplementedError);
  });

  it('leaves the DynamoDB client alone (dynalite serves it over HTTP)', () => {
    expect(() => fakeDecorator({})(new DynamoDBClient(local))).not.toThrow();
  });
});
