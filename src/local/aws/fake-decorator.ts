import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EKSClient } from '@aws-sdk/client-eks';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';
import { FakeNotImplementedError } from './aws-fault.js';
import { attachFake, type AttachableClient, type AwsFake } from './attach-fake.js';

/** The fake for each kind of client; a client without one fails when it is made. */
export interface AwsFakes {
  route53?: AwsFake;
  eks?: AwsFake;
  cloudwatch?: AwsFake;
  sfn?: AwsFake;
  secretsManager?: AwsFake;
  ssm?: AwsFake;
}

/**
 * A `decorateAwsClient` hook (runtime-options.ts) that attaches the matching fake to every client
 * the runtime makes, so the embedded runtime runs the real adapters against the fakes.
 */
export function fakeDecorator(fakes: AwsFakes): (client: AttachableClient) => void {
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- only used with instanceof
  const kinds: [Function, keyof AwsFakes][] = [
    [Route53Client, 'route53'],
    [EKSClient, 'eks'],
    [CloudWatchClient, 'cloudwatch'],
    [SFNClient, 'sfn'],
    [SecretsManagerClient, 'secretsManager'],
    [SSMClient, 'ssm'],
  ];
  return (client) => {
    // DynamoDB is not faked: the embedded runtime serves it over real HTTP from dynalite.
    if (client instanceof DynamoDBClient) return;
    const kind = kinds.find(([ClientClass]) => client instanceof ClientClass)?.[1];
    const fake = kind === undefined ? undefined : fakes[kind];
    if (!fake) {
      throw new FakeNotImplementedError(`no fake was given for ${client.constructor.name} (${kind ?? 'unknown client'})`);
    }
    attachFake(client, fake);
  };
}
