import { parseFailoverRequest } from '../src/domain/failover-request.js';
import { stepLambda } from '../src/runtime/step-lambda.js';
import { eksClusters } from '../src/runtime/wiring/eks.js';
import { promoteNodegroups } from '../src/steps/promote-nodegroups.js';

export const handler = stepLambda('PromoteNodegroups', { eks: eksClusters }, parseFailoverRequest, promoteNodegroups);
