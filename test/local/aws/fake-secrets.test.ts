import { describe, expect, it } from '@jest/globals';
import { GetSecretValueCommand, ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetParameterCommand, ParameterNotFound, SSMClient } from '@aws-sdk/client-ssm';
import { attachFake } from '../../../src/local/aws/attach-fake.js';
import { FakeSecretsManager } from '../../../src/local/aws/fake-secrets-manager.js';
import { FakeSsm } from '../../../src/local/aws/fake-ssm.js';
import { VirtualClock } from '../../../src/local/virtual-clock.js';

const REGION = 'eu-west-1';
const WEBHOOK = 'https://hooks.slack.com/services/T000/B000/XXXX';

describe('FakeSecretsManager GetSecretValue, through the real client', () => {
  function setup() {
    const fake = new FakeSecretsManager(new VirtualClock()).addSecret(REGION, 'lifeboat/slack-webhook', WEBHOOK);
    const client = new SecretsManagerClient({ region: REGION });
    attachFake(client, fake);
    return { fake, client };
  }

  it('finds a secret by name or by its full ARN', async () => {
    const { fake, client } = setup();
    const arn = fake.arnOf(REGION, 'lifeboat/slack-webhook');
    expect(arn).toMatch(/^arn:aws:secretsmanager:eu-west-1:123456789012:secret:lifeboat\/slack-webhook-[A-Za-z]{6}$/);
    const byName = await client.send(new GetSecretValueCommand({ SecretId: 'lifeboat/slack-webhook' }));
    const byArn = await client.send(new GetSecretValueCommand({ SecretId: arn }));
    expect(byName).toMatchObject({ SecretString: WEBHOOK, ARN: arn, Name: 'lifeboat/slack-webhook', VersionStages: ['AWSCURRENT'] });
    expect(byArn.SecretString).toBe(WEBHOOK);
  });

  it('answers ResourceNotFoundException for an unknown secret or another region', async () => {
    const { fake, client } = setup();
    const error = await client.send(new GetSecretValueCommand({ SecretId: 'nope' })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    expect((error as Error).message).toBe("Secrets Manager can't find the specified secret.");
    const elsewhere = new SecretsManagerClient({ region: 'us-east-1' });
    attachFake(elsewhere, fake);
    await expect(elsewhere.send(new GetSecretValueCommand({ SecretId: 'lifeboat/slack-webhook' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
  });
});

describe('FakeSsm GetParameter, through the real client', () => {
  function setup() {
    const fake = new FakeSsm(new VirtualClock())
      .putParameter(REGION, '/lifeboat/slack-webhook', 'https://old.example', 'SecureString')
      .putParameter(REGION, '/lifeboat/slack-webhook', WEBHOOK, 'SecureString');
    const client = new SSMClient({ region: REGION });
    attachFake(client, fake);
    return { fake, client };
  }

  it('decrypts a SecureString only when asked', async () => {
    const { client } = setup();
    const decrypted = await client.send(new GetParameterCommand({ Name: '/lifeboat/slack-webhook', WithDecryption: true }));
    const encrypted = await client.send(new GetParameterCommand({ Name: '/lifeboat/slack-webhook' }));
    expect(decrypted.Parameter).toMatchObject({
      Name: '/lifeboat/slack-webhook',
      Type: 'SecureString',
      Value: WEBHOOK,
      Version: 2,
      ARN: 'arn:aws:ssm:eu-west-1:123456789012:parameter/lifeboat/slack-webhook',
    });
    expect(encrypted.Parameter?.Value).not.toContain('hooks.slack.com');
  });

  it('reads by ARN and by version selector', async () => {
    const { client } = setup();
    const byArn = await client.send(
      new GetParameterCommand({ Name: 'arn:aws:ssm:eu-west-1:123456789012:parameter/lifeboat/slack-webhook:1', WithDecryption: true }),
    );
    expect(byArn.Parameter).toMatchObject({ Value: 'https://old.example', Version: 1, Selector: ':1' });
  });

  it('answers ParameterNotFound for an unknown name', async () => {
    const { client } = setup();
    await expect(client.send(new GetParameterCommand({ Name: '/nope' }))).rejects.toBeInstanceOf(ParameterNotFound);
  });
});
