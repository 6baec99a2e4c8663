import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { SSMProvider } from '@aws-lambda-powertools/parameters/ssm';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SSMClient } from '@aws-sdk/client-ssm';
import type { SecretRef } from '../../ports/notifier.js';
import type { SecretReader } from './webhook-notifier.js';

/** Secrets through Powertools Parameters: cached for `maxAgeSeconds` per container, SSM decrypted. */
export class PowertoolsSecretReader implements SecretReader {
  private readonly secrets: SecretsProvider;
  private readonly parameters: SSMProvider;

  constructor(clients: { secretsManager: SecretsManagerClient; ssm: SSMClient }, private readonly maxAgeSeconds = 300) {
    this.secrets = new SecretsProvider({ awsSdkV3Client: clients.secretsManager });
    this.parameters = new SSMProvider({ awsSdkV3Client: clients.ssm });
  }

  async read(ref: SecretRef): Promise<string> {
    const value =
      'secretsManager' in ref
        ? await this.secrets.get(ref.secretsManager, { maxAge: this.maxAgeSeconds })
        : await this.parameters.get(ref.ssmParameter, { decrypt: true, maxAge: this.maxAgeSeconds });
    if (typeof value !== 'string' || value.length === 0) throw new Error('empty secret');
    return value;
  }
}
