import * as dynamodbSdk from '@aws-sdk/client-dynamodb';
import { randomUUID } from 'node:crypto';
import { AwsFault } from './aws/aws-fault.js';
import { exceptionCatalog, sdkExceptionFor, type SdkExceptionClass } from './aws/exception-catalog.js';
import { currentState } from './step-context.js';

const catalog = exceptionCatalog(dynamodbSdk, dynamodbSdk.DynamoDBServiceException as unknown as SdkExceptionClass);
const STATUS: Record<string, number> = { ThrottlingException: 400, ProvisionedThroughputExceededException: 400, InternalServerError: 500 };

/**
 * Injected DynamoDB failures for the embedded runtime, whose DynamoDB is dynalite (which cannot
 * be told to throttle). A middleware on the client fails the next N calls made from inside a
 * workflow step with the exception DynamoDB itself would send.
 */
export class DynamoDbFaults {
  private pending: string[] = [];
  /** How many injected failures were thrown. */
  fired = 0;

  failNext(error: string, times: number): void {
    if (!(error in STATUS)) throw new RangeError(`cannot inject DynamoDB ${error}`);
    for (let i = 0; i < times; i += 1) this.pending.push(error);
  }

  private next(): string | undefined {
    if (currentState() === undefined) return undefined;
    return this.pending.shift();
  }

  attach(client: dynamodbSdk.DynamoDBClient): void {
    client.middlewareStack.add(
      (next) => async (args) => {
        const error = this.next();
        if (error) this.fired += 1;
        if (error) throw sdkExceptionFor(catalog, new AwsFault(error, `injected ${error}`, { httpStatusCode: STATUS[error] }), randomUUID());
        return next(args);
      },
      { step: 'initialize', name: 'lifeboatDynamoDbFaults', override: true },
    );
  }
}
