import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { triggerDeps } from '../src/runtime/container.js';
import { logger } from '../src/runtime/logger.js';
import { onAlarmEvent } from '../src/triggers/on-alarm.js';

/** CloudWatch alarm → failover execution, for all three ways an alarm reaches Lambda. */
export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event: unknown, context: Context) => onAlarmEvent(await triggerDeps(), event, context.awsRequestId));
