import { SFNClient } from '@aws-sdk/client-sfn';
import { SfnExecutions } from '../../adapters/aws/sfn-executions.js';
import { decorated, perRuntime, SDK_CLIENT_OPTIONS } from '../runtime-options.js';

/** Starting failover executions, in the region Lifeboat itself runs in. */
export const sfnExecutions = perRuntime(() => new SfnExecutions(decorated(new SFNClient(SDK_CLIENT_OPTIONS))));
