import { parseFailoverRequest } from '../src/domain/failover-request.js';
import { stepHandler } from '../src/runtime/step-handler.js';
import { shiftTraffic } from '../src/steps/shift-traffic.js';

export const handler = stepHandler('ShiftTraffic', parseFailoverRequest, shiftTraffic);
