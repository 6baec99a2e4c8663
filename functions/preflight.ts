import { parseFailoverRequest } from '../src/domain/failover-request.js';
import { stepHandler } from '../src/runtime/step-handler.js';
import { preflight } from '../src/steps/preflight.js';

export const handler = stepHandler('Preflight', parseFailoverRequest, preflight);
