import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SSMClient } from '@aws-sdk/client-ssm';
import { DynamoDbApprovals } from '../../adapters/aws/dynamodb-approvals.js';
import { SfnTaskCallbacks } from '../../adapters/aws/sfn-task-callbacks.js';
import { tableName } from '../../adapters/aws/tables.js';
import { PowertoolsSecretReader } from '../../adapters/slack/powertools-secrets.js';
import { decorated, perRuntime, SDK_CLIENT_OPTIONS } from '../runtime-options.js';
import { dynamoDbClient } from './dynamodb.js';

/** Pending and decided approvals: items of the locks table, through the runtime's one DynamoDB client. */
export const dynamoDbApprovals = perRuntime(() => new DynamoDbApprovals({ client: dynamoDbClient(), tableName: tableName('locks') }));

/** SendTaskSuccess / SendTaskFailure, in the region Lifeboat runs in (where its executions are). */
export const sfnTaskCallbacks = perRuntime(() => new SfnTaskCallbacks(decorated(new SFNClient(SDK_CLIENT_OPTIONS))));

/** The Slack signing secret, read by reference (cached per container like the webhook URL). */
export const signingSecrets = perRuntime(
  () =>
    new PowertoolsSecretReader({
      secretsManager: decorated(new SecretsManagerClient(SDK_CLIENT_OPTIONS)),
      ssm: decorated(new SSMClient(SDK_CLIENT_OPTIONS)),
    }),
);
