import { IdempotencyConfig, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { tableName } from '../adapters/aws/tables.js';
import { dynamoDbClient } from './container.js';

/** How long a completed step's result is replayed instead of re-run (longer than any execution). */
const RESULT_TTL_SECONDS = 24 * 60 * 60;

type Run<I, O> = (input: I) => Promise<O>;

/**
 * Makes a step's effect happen once per idempotency key with Powertools idempotency and its
 * DynamoDB persistence layer: the first call runs and stores its result; a repeat (a Step Functions
 * retry after a lost response, a replayed incident) gets the stored result back and changes nothing.
 * Built per runtime, not at module load, because the composition root owns the DynamoDB client
 * (the embedded runtime swaps it for one that talks to dynalite).
 */
export function idempotent<I, O>(step: string, keyOf: (input: I) => Record<string, unknown>, run: Run<I, O>) {
  let built: { client: unknown; config: IdempotencyConfig; fn: (key: Record<string, unknown>, input: unknown) => Promise<O> } | undefined;
  return async (input: I, context: Context): Promise<O> => {
    const client = dynamoDbClient();
    if (!built || built.client !== client) {
      const config = new IdempotencyConfig({ expiresAfterSeconds: RESULT_TTL_SECONDS, throwOnNoIdempotencyKey: true });
      const persistenceStore = new DynamoDBPersistenceLayer({ tableName: tableName('idempotency'), awsSdkV3Client: client });
      // The key (argument 0) is what is hashed; the input (argument 1) is what the step runs on.
      const fn = makeIdempotent((_key: Record<string, unknown>, value: unknown) => run(value as I), {
        persistenceStore,
        config,
        keyPrefix: `lifeboat.${step}`,
        dataIndexArgument: 0,
      });
      built = { client, config, fn };
    }
    built.config.registerLambdaContext(context);
    return built.fn(keyOf(input), input);
  };
}
