import { parseFailoverRequest } from '../src/domain/failover-request.js';
import { stepLambda } from '../src/runtime/step-lambda.js';
import { acquireLock } from '../src/steps/lock.js';

export const handler = stepLambda('AcquireLock', {}, parseFailoverRequest, acquireLock);
