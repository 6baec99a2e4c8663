import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchHealthChecks } from '../../adapters/aws/cloudwatch-health.js';
import { systemClock } from '../../ports/clock.js';
import { loadConfigFile } from '../config-file.js';
import { clockOption, decorated, perRuntime, perRuntimeKeyed, runtimeOptions, SDK_CLIENT_OPTIONS } from '../runtime-options.js';
import { route53Dns } from './route53.js';

const cloudWatchClient = perRuntimeKeyed((region) => decorated(new CloudWatchClient({ region, ...SDK_CLIENT_OPTIONS })));

/** Route 53 health-check status through CloudWatch (us-east-1), falling back to Route 53 itself. */
export const cloudWatchHealthChecks = perRuntime(() => new CloudWatchHealthChecks({ cloudwatch: cloudWatchClient, clock: clockOption() ?? systemClock, fallback: route53Dns() }));

/** The configuration, for the evacuation steps that resolve apps by name (as the triggers load it). */
export const evacuationConfig = perRuntime(() => runtimeOptions().config ?? loadConfigFile());

/** The account's Route 53 request rate (LIFEBOAT_ROUTE53_RPS when the quota was raised; 5 otherwise). */
export function route53RequestsPerSecond(): number | undefined {
  const value = Number(process.env.LIFEBOAT_ROUTE53_RPS);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}
