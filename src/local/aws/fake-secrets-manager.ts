import * as secretsManager from '@aws-sdk/client-secrets-manager';
import type { GetSecretValueRequest, GetSecretValueResponse } from '@aws-sdk/client-secrets-manager';
import type { Clock } from '../../ports/clock.js';
import { AwsFault } from './aws-fault.js';
import { exceptionCatalog } from './exception-catalog.js';
import { FAKE_ACCOUNT_ID, FakeAwsService, type FaultTemplate } from './fake-service.js';
import { fakeSuffix, fakeUuid } from './fake-ids.js';

const SECRETS_MANAGER_EXCEPTIONS = exceptionCatalog(secretsManager, secretsManager.SecretsManagerServiceException);

interface FakeSecret {
  name: string;
  arn: string;
  value: string | Uint8Array;
  versionId: string;
  createdAt: Date;
}

const SECRETS_MANAGER_FAULTS: Record<string, FaultTemplate> = {
  ThrottlingException: { httpStatusCode: 400, message: 'Rate exceeded' },
  InternalServiceError: { httpStatusCode: 500, message: 'An error occurred on the server side.' },
  DecryptionFailure: {
    httpStatusCode: 400,
    message: "Secrets Manager can't decrypt the protected secret text using the provided KMS key.",
  },
  AccessDeniedException: {
    httpStatusCode: 400,
    message: `User: arn:aws:sts::${FAKE_ACCOUNT_ID}:assumed-role/lifeboat/session is not authorized to perform: secretsmanager:GetSecretValue`,
  },
};

/**
 * Secrets Manager per region, for GetSecretValue: a secret is found by name or by its full ARN
 * (which ends in a six-character suffix Secrets Manager adds), only the AWSCURRENT version exists,
 * and anything else is "Secrets Manager can't find the specified secret." (ResourceNotFoundException).
 */
export class FakeSecretsManager extends FakeAwsService {
  readonly fakeName = 'FakeSecretsManager';
  readonly exceptions = SECRETS_MANAGER_EXCEPTIONS;
  protected readonly operations = ['GetSecretValue'] as const;
  protected readonly injectableFaults = SECRETS_MANAGER_FAULTS;

  private readonly secrets = new Map<string, FakeSecret[]>();

  constructor(clock: Clock) {
    super(clock);
  }

  /** Stores a secret string (or binary); returns the fake for chaining. Its ARN is `arnOf(region, name)`. */
  addSecret(region: string, name: string, value: string | Uint8Array): this {
    const regional = (this.secrets.get(region) ?? []).filter((secret) => secret.name !== name);
    regional.push({
      name,
      arn: `arn:aws:secretsmanager:${region}:${FAKE_ACCOUNT_ID}:secret:${name}-${fakeSuffix(`${region}/${name}`, 6)}`,
      value,
      versionId: fakeUuid(`secret/${region}/${name}/${regional.length}`),
      createdAt: this.clock.now(),
    });
    this.secrets.set(region, regional);
    return this;
  }

  /** The full ARN of a stored secret. */
  arnOf(region: string, name: string): string {
    const secret = this.secrets.get(region)?.find((candidate) => candidate.name === name);
    if (!secret) throw new RangeError(`no secret ${name} in ${region}`);
    return secret.arn;
  }

  /** The AWSCURRENT value of a secret named by name or full ARN. */
  GetSecretValue(input: GetSecretValueRequest, context: { region: string }): GetSecretValueResponse {
    const secret = this.secrets.get(context.region)?.find((candidate) => candidate.name === input.SecretId || candidate.arn === input.SecretId);
    const stageMatches = input.VersionStage === undefined || input.VersionStage === 'AWSCURRENT';
    const versionMatches = input.VersionId === undefined || input.VersionId === secret?.versionId;
    if (!secret || !stageMatches || !versionMatches) {
      throw new AwsFault('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");
    }
    const output: GetSecretValueResponse = {
      ARN: secret.arn,
      Name: secret.name,
      VersionId: secret.versionId,
      VersionStages: ['AWSCURRENT'],
      CreatedDate: secret.createdAt,
    };
    if (typeof secret.value === 'string') output.SecretString = secret.value;
    else output.SecretBinary = new Uint8Array(secret.value);
    return output;
  }
}
