import { parseFailoverRequest } from '../src/domain/failover-request.js';
import { stepHandler } from '../src/runtime/step-handler.js';
import { promoteNodegroups } from '../src/steps/promote-nodegroups.js';

export const handler = stepHandler('PromoteNodegroups', parseFailoverRequest, promoteNodegroups);
