import { parseFailoverRequest } from '../src/domain/failover-request.js';
import { stepHandler } from '../src/runtime/step-handler.js';
import { awaitRestore } from '../src/steps/restore-state.js';

export const handler = stepHandler('AwaitRestore', parseFailoverRequest, awaitRestore);
