import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDbAuditTrail } from '../../adapters/aws/dynamodb-audit.js';
import { DynamoDbLocks } from '../../adapters/aws/dynamodb-locks.js';
import { tableName } from '../../adapters/aws/tables.js';
import { decorated, perRuntime, SDK_CLIENT_OPTIONS } from '../runtime-options.js';

/** The one DynamoDB client of the runtime: audit trail, locks and Powertools idempotency records. */
export const dynamoDbClient = perRuntime(() => decorated(new DynamoDBClient(SDK_CLIENT_OPTIONS)));

export const dynamoDbAuditTrail = perRuntime(() => new DynamoDbAuditTrail({ client: dynamoDbClient(), tableName: tableName('audit') }));

export const dynamoDbLocks = perRuntime(() => new DynamoDbLocks({ client: dynamoDbClient(), tableName: tableName('locks') }));
