import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchAlarms } from '../../adapters/aws/cloudwatch-alarms.js';
import { decorated, perRuntime, perRuntimeKeyed, SDK_MAX_ATTEMPTS } from '../runtime-options.js';

const cloudWatchClient = perRuntimeKeyed((region) => decorated(new CloudWatchClient({ region, maxAttempts: SDK_MAX_ATTEMPTS })));

/** Alarm states, through one CloudWatch client per region. */
export const cloudWatchAlarms = perRuntime(() => new CloudWatchAlarms({ cloudwatch: cloudWatchClient }));
