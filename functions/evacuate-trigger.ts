import { ConfigError, InputValidationError } from '../src/domain/errors.js';
import { logger } from '../src/runtime/logger.js';
import { triggerDeps } from '../src/runtime/trigger-deps.js';
import { onEvacuationRequest } from '../src/triggers/evacuate.js';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';

/**
 * An operator's region evacuation or drill (`lifeboat drill --region R`), invoked directly: `actor`
 * is given and IAM on lambda:InvokeFunction decides who may. Starts the evacuation state machine
 * (EVACUATION_STATE_MACHINE_ARN).
 */
export const handler = middy()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(async (event: unknown) => {
    const { actor, ...body } = (typeof event === 'object' && event !== null ? event : {}) as { actor?: unknown };
    if (typeof actor !== 'string' || actor.length === 0) throw new InputValidationError([{ path: 'actor', message: 'required' }], 'evacuation request');
    const stateMachineArn = process.env.EVACUATION_STATE_MACHINE_ARN;
    if (!stateMachineArn) throw new ConfigError([{ path: 'EVACUATION_STATE_MACHINE_ARN', message: 'required (environment)' }], 'runtime environment');
    const deps = await triggerDeps();
    return onEvacuationRequest({ ...deps, stateMachineArn }, body, actor);
  });
