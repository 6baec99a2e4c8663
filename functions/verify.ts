import { parseFailoverRequest } from '../src/domain/failover-request.js';
import { stepHandler } from '../src/runtime/step-handler.js';
import { verify } from '../src/steps/verify.js';

export const handler = stepHandler('Verify', parseFailoverRequest, verify);
