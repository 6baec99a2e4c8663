import { InputValidationError, LockHeldError } from '../src/domain/errors.js';
import { logger } from '../src/runtime/logger.js';
import { triggerDeps } from '../src/runtime/trigger-deps.js';
import { recordStarted } from '../src/runtime/metrics.js';
import { onManualRequest as startManual } from '../src/triggers/manual.js';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';

interface ApiGatewayEvent {
  body: string | null;
  requestContext: { identity?: { userArn?: string | null; caller?: string | null } };
}

function isApiGatewayEvent(event: unknown): event is ApiGatewayEvent {
  return typeof event === 'object' && event !== null && 'requestContext' in event && 'body' in event;
}

/** Starts the request, counting a new failover or drill in the FailoverStarted metric. */
const onManualRequest = async (...args: Parameters<typeof startManual>) => {
  const started = await startManual(...args);
  recordStarted({ started: [started] });
  return started;
};

const json = (statusCode: number, body: unknown) => ({ statusCode, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

/**
 * An operator's failover or drill. Through API Gateway (IAM-authenticated) the actor is the
 * signed caller's ARN, never a field of the body; invoked directly (the CLI), `actor` is given and
 * IAM on lambda:InvokeFunction decides who may.
 */
export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event: unknown, context: Context) => {
    const deps = await triggerDeps();
    if (!isApiGatewayEvent(event)) {
      const { actor, ...body } = (typeof event === 'object' && event !== null ? event : {}) as { actor?: unknown };
      if (typeof actor !== 'string' || actor.length === 0) throw new InputValidationError([{ path: 'actor', message: 'required' }], 'manual failover request');
      return onManualRequest(deps, body, actor, context.awsRequestId);
    }
    const actor = event.requestContext.identity?.userArn ?? event.requestContext.identity?.caller;
    if (!actor) return json(403, { error: 'the request is not signed by an IAM principal' });
    let body: unknown;
    try {
      body = JSON.parse(event.body ?? '');
    } catch {
      return json(400, { error: 'invalid manual failover request', issues: [{ path: 'body', message: 'not valid JSON' }] });
    }
    try {
      return json(202, await onManualRequest(deps, body, actor, context.awsRequestId));
    } catch (error) {
      if (error instanceof InputValidationError) return json(400, { error: 'invalid manual failover request', issues: error.issues });
      if (error instanceof LockHeldError) return json(409, { error: error.message });
      throw error;
    }
  });
