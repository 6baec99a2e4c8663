import { ConfigError } from '../domain/errors.js';
import { systemClock } from '../ports/clock.js';
import { cachedHealthChecks } from '../triggers/cached-health-checks.js';
import type { TriggerDeps } from '../triggers/on-alarm.js';
import { loadConfigFile } from './config-file.js';
import { logger } from './logger.js';
import { clockOption, perRuntime, runtimeOptions } from './runtime-options.js';
import { cloudWatchHealthChecks } from './wiring/cloudwatch.js';
import { dynamoDbAuditTrail, dynamoDbLocks } from './wiring/dynamodb.js';
import { sfnExecutions } from './wiring/sfn.js';
import { webhookNotifier } from './wiring/slack.js';

/*
 * What the triggers (alarm and manual) need: the configuration, locks and audit trail in DynamoDB,
 * Step Functions, Slack for the "suppressed by cooldown" notice, and Route 53 health-check status
 * (which stack acts: src/triggers/acting-region.ts) as CloudWatch publishes it. No EKS or
 * Kubernetes client: a trigger decides and starts, it never touches a cluster.
 */

const build = perRuntime((): TriggerDeps => {
  const options = runtimeOptions();
  const stateMachineArn = options.stateMachineArn ?? process.env.FAILOVER_STATE_MACHINE_ARN;
  if (!stateMachineArn) throw new ConfigError([{ path: 'FAILOVER_STATE_MACHINE_ARN', message: 'required (environment)' }], 'runtime environment');
  // The stack's own region decides whether it acts (src/triggers/acting-region.ts); Lambda always sets it.
  const region = process.env.AWS_REGION;
  if (!region) throw new ConfigError([{ path: 'AWS_REGION', message: 'required (environment)' }], 'runtime environment');
  const clock = clockOption() ?? systemClock;
  return {
    clock,
    audit: dynamoDbAuditTrail(),
    locks: dynamoDbLocks(),
    notifier: webhookNotifier(),
    config: options.config ?? loadConfigFile(),
    executions: sfnExecutions(),
    stateMachineArn,
    region,
    // Every delivery asks which stack acts: one status read per check per 10 s, not per delivery,
    // and from CloudWatch, not Route 53. Route 53 allows the account 5 requests a second, which
    // the failovers a storm starts need for their own reads and record changes; every warm trigger
    // container has its own cache, so a storm through fifty of them would re-read each check fifty
    // times per 10 s. GetMetricData has its own, far larger quota. Route 53 remains the fallback
    // when CloudWatch (us-east-1) does not answer or has no datapoint.
    healthChecks: cachedHealthChecks(cloudWatchHealthChecks(), clock),
    log: (message, data) => logger.info(message, data as never),
  };
});

/** The triggers' dependencies, built once per runtime (per Lambda container). */
export async function triggerDeps(): Promise<TriggerDeps> {
  return build();
}
