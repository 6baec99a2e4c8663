import { parseFailoverRequest } from '../src/domain/failover-request.js';
import { stepHandler } from '../src/runtime/step-handler.js';
import { scaleDeployments } from '../src/steps/scale-deployments.js';

export const handler = stepHandler('ScaleDeployments', parseFailoverRequest, scaleDeployments);
