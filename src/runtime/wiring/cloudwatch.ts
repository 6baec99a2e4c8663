import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchAlarms } from '../../adapters/aws/cloudwatch-alarms.js';
import { CloudWatchHealthChecks } from '../../adapters/aws/cloudwatch-health.js';
import { systemClock } from '../../ports/clock.js';
import { clockOption, decorated, perRuntime, perRuntimeKeyed, SDK_CLIENT_OPTIONS } from '../runtime-options.js';
import { route53Dns } from './route53.js';

const cloudWatchClient = perRuntimeKeyed((region) => decorated(new CloudWatchClient({ region, ...SDK_CLIENT_OPTIONS })));

/** Alarm states, through one CloudWatch client per region. */
export const cloudWatchAlarms = perRuntime(() => new CloudWatchAlarms({ cloudwatch: cloudWatchClient }));

/** Route 53 health-check status through CloudWatch (us-east-1), falling back to Route 53 itself. */
export const cloudWatchHealthChecks = perRuntime(() => new CloudWatchHealthChecks({ cloudwatch: cloudWatchClient, clock: clockOption() ?? systemClock, fallback: route53Dns() }));
