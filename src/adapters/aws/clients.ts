import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { EKSClient } from '@aws-sdk/client-eks';
import type { Route53Client } from '@aws-sdk/client-route-53';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SFNClient } from '@aws-sdk/client-sfn';
import type { SSMClient } from '@aws-sdk/client-ssm';

/**
 * Any AWS SDK client the runtime makes (src/runtime/wiring/, through `decorated` in
 * runtime-options.ts): each takes credentials, `AWS_REGION` and endpoints (`AWS_ENDPOINT_URL`,
 * `AWS_ENDPOINT_URL_<SERVICE>`) from the SDK's default chain; regional ones get the region named.
 */
export type AwsClient = Route53Client | EKSClient | CloudWatchClient | SFNClient | SecretsManagerClient | SSMClient | DynamoDBClient;
