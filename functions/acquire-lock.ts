import { parseFailoverRequest } from '../src/domain/failover-request.js';
import { stepHandler } from '../src/runtime/step-handler.js';
import { acquireLock } from '../src/steps/lock.js';

export const handler = stepHandler('AcquireLock', parseFailoverRequest, acquireLock);
