import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchAlarms } from '../../adapters/aws/cloudwatch-alarms.js';
import { decorated, perRuntime, perRuntimeKeyed, SDK_CLIENT_OPTIONS } from '../runtime-options.js';

const cloudWatchClient = perRuntimeKeyed((region) => decorated(new CloudWatchClient({ region, ...SDK_CLIENT_OPTIONS })));

/** Alarm states, through one CloudWatch client per region. */
export const cloudWatchAlarms = perRuntime(() => new CloudWatchAlarms({ cloudwatch: cloudWatchClient }));
