import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EKSClient } from '@aws-sdk/client-eks';
import { Route53Client } from '@aws-sdk/client-route-53';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';

/** Any client the factory makes. */
export type AwsClient = Route53Client | EKSClient | CloudWatchClient | SFNClient | SecretsManagerClient | SSMClient | DynamoDBClient;

/** Options of the factory. */
export interface AwsClientsOptions {
  /** Called once on each client right after it is made; the embedded runtime attaches fakes here. */
  decorate?: (client: AwsClient) => void;
  /**
   * Attempts per SDK call, the first included (default 2). Kept low on purpose: the workflows'
   * ASL Retry (with backoff and our error names) owns retrying throttling and transient errors, and
   * SDK retries underneath it would multiply the attempts and hide the delays from the workflow.
   */
  maxAttempts?: number;
}

/**
 * Makes each AWS SDK client once (per region where the service is regional) and hands out the
 * same instance afterwards, so a Lambda container reuses connections across invocations. Clients
 * take everything else from the SDK's default chain: credentials, `AWS_REGION`, and endpoints from
 * `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_<SERVICE>`. No endpoint or region is set here; per-region
 * clients get the region the caller names.
 */
export class AwsClients {
  private readonly made = new Map<string, AwsClient>();

  constructor(private readonly options: AwsClientsOptions = {}) {}

  /** Route 53 is a global service; its client uses the default region chain for signing. */
  route53(): Route53Client {
    return this.once('route53', () => new Route53Client({ maxAttempts: this.maxAttempts }));
  }

  eks(region: string): EKSClient {
    return this.once(`eks:${region}`, () => new EKSClient({ region, maxAttempts: this.maxAttempts }));
  }

  cloudwatch(region: string): CloudWatchClient {
    return this.once(`cloudwatch:${region}`, () => new CloudWatchClient({ region, maxAttempts: this.maxAttempts }));
  }

  /** Step Functions in the region Lifeboat itself runs in. */
  sfn(): SFNClient {
    return this.once('sfn', () => new SFNClient({ maxAttempts: this.maxAttempts }));
  }

  secretsManager(): SecretsManagerClient {
    return this.once('secretsManager', () => new SecretsManagerClient({ maxAttempts: this.maxAttempts }));
  }

  dynamodb(): DynamoDBClient {
    return this.once('dynamodb', () => new DynamoDBClient({ maxAttempts: this.maxAttempts }));
  }

  ssm(): SSMClient {
    return this.once('ssm', () => new SSMClient({ maxAttempts: this.maxAttempts }));
  }

  private get maxAttempts(): number {
    return this.options.maxAttempts ?? 2;
  }

  private once<T extends AwsClient>(key: string, make: () => T): T {
    const existing = this.made.get(key);
    if (existing) return existing as T;
    const client = make();
    this.options.decorate?.(client);
    this.made.set(key, client);
    return client;
  }
}
