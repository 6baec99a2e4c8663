import { logger } from '../src/runtime/logger.js';
import { recordStarted } from '../src/runtime/metrics.js';
import { triggerDeps } from '../src/runtime/trigger-deps.js';
import { onAlarmEvent } from '../src/triggers/on-alarm.js';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';

/** CloudWatch alarm → failover execution, for all three ways an alarm reaches Lambda. */
export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event: unknown, context: Context) => recordStarted(await onAlarmEvent(await triggerDeps(), event, context.awsRequestId)));
