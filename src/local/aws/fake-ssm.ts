import * as ssm from '@aws-sdk/client-ssm';
import type { GetParameterRequest, GetParameterResult, ParameterType } from '@aws-sdk/client-ssm';
import type { Clock } from '../../ports/clock.js';
import { AwsFault } from './aws-fault.js';
import { exceptionCatalog } from './exception-catalog.js';
import { FAKE_ACCOUNT_ID, FakeAwsService, type FaultTemplate } from './fake-service.js';

const SSM_EXCEPTIONS = exceptionCatalog(ssm, ssm.SSMServiceException);

interface ParameterVersion {
  value: string;
  type: ParameterType;
  version: number;
  modifiedAt: Date;
}

const SSM_FAULTS: Record<string, FaultTemplate> = {
  ThrottlingException: { httpStatusCode: 400, message: 'Rate exceeded' },
  InternalServerError: { httpStatusCode: 500, message: 'An error occurred on the server side.' },
  AccessDeniedException: {
    httpStatusCode: 400,
    message: `User: arn:aws:sts::${FAKE_ACCOUNT_ID}:assumed-role/lifeboat/session is not authorized to perform: ssm:GetParameter`,
  },
};

/**
 * Systems Manager Parameter Store per region, for GetParameter: by name or ARN, optionally with a
 * `:version` selector; SecureString values come back encrypted unless WithDecryption is true;
 * an unknown name is ParameterNotFound, which SSM sends without a message.
 */
export class FakeSsm extends FakeAwsService {
  readonly fakeName = 'FakeSsm';
  readonly exceptions = SSM_EXCEPTIONS;
  protected readonly operations = ['GetParameter'] as const;
  protected readonly injectableFaults = SSM_FAULTS;

  private readonly parameters = new Map<string, ParameterVersion[]>();

  constructor(clock: Clock) {
    super(clock);
  }

  /** Stores a new version of a parameter (String unless `type` says otherwise). */
  putParameter(region: string, name: string, value: string, type: ParameterType = 'String'): this {
    const key = `${region}|${name}`;
    const versions = this.parameters.get(key) ?? [];
    versions.push({ value, type, version: versions.length + 1, modifiedAt: this.clock.now() });
    this.parameters.set(key, versions);
    return this;
  }

  /** The latest (or selected) version of a parameter; SecureString decrypted only WithDecryption. */
  GetParameter(input: GetParameterRequest, context: { region: string }): GetParameterResult {
    const { candidates, selector } = parseReference(input.Name ?? '', context.region);
    const name = candidates.find((candidate) => this.parameters.has(`${context.region}|${candidate}`));
    const versions = name === undefined ? undefined : this.parameters.get(`${context.region}|${name}`);
    if (name === undefined || !versions) throw new AwsFault('ParameterNotFound', '');
    const chosen = selector === undefined ? versions.at(-1) : versions.find((version) => String(version.version) === selector);
    if (!chosen) {
      throw new AwsFault(
        'ParameterVersionNotFound',
        `Systems Manager could not find version ${selector} of ${name}. Verify the version and try again.`,
      );
    }
    const decrypt = input.WithDecryption === true || chosen.type !== 'SecureString';
    return {
      Parameter: {
        Name: name,
        Type: chosen.type,
        Value: decrypt ? chosen.value : ciphertext(chosen.value),
        Version: chosen.version,
        ...(selector === undefined ? {} : { Selector: `:${selector}` }),
        LastModifiedDate: chosen.modifiedAt,
        ARN: `arn:aws:ssm:${context.region}:${FAKE_ACCOUNT_ID}:parameter${name.startsWith('/') ? '' : '/'}${name}`,
        DataType: 'text',
      },
    };
  }
}

/**
 * `name`, `name:3`, or `arn:aws:ssm:region:account:parameter/name[:3]`. The ARN of `/a/b` is
 * `...:parameter/a/b` and that of `plain` is `...:parameter/plain`, so an ARN names one of two.
 */
function parseReference(reference: string, region: string): { candidates: string[]; selector?: string } {
  const arnPrefix = `arn:aws:ssm:${region}:${FAKE_ACCOUNT_ID}:parameter/`;
  const fromArn = reference.startsWith(arnPrefix);
  const rest = fromArn ? reference.slice(arnPrefix.length) : reference;
  const match = /^(.*?)(?::(\d+))?$/.exec(rest);
  const name = match?.[1] ?? rest;
  const candidates = fromArn ? [name, `/${name}`] : [name];
  return match?.[2] === undefined ? { candidates } : { candidates, selector: match[2] };
}

/** What an undecrypted SecureString looks like: an opaque base64 KMS blob, never the plaintext. */
function ciphertext(value: string): string {
  return Buffer.from(`AQICAHh-fake-kms-${Buffer.from(value).toString('hex')}`).toString('base64');
}
