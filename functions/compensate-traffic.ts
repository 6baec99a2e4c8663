import { parseFailoverRequest } from '../src/domain/failover-request.js';
import { stepHandler } from '../src/runtime/step-handler.js';
import { compensateTraffic } from '../src/steps/compensate.js';

export const handler = stepHandler('CompensateTraffic', parseFailoverRequest, compensateTraffic);
