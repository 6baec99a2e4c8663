import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { CloudWatchAlarms } from '../adapters/aws/cloudwatch-alarms.js';
import { AwsClients, type AwsClient } from '../adapters/aws/clients.js';
import { DynamoDbAuditTrail } from '../adapters/aws/dynamodb-audit.js';
import { DynamoDbLocks } from '../adapters/aws/dynamodb-locks.js';
import { EksClusters } from '../adapters/aws/eks-clusters.js';
import { Route53Dns } from '../adapters/aws/route53-dns.js';
import { SfnExecutions } from '../adapters/aws/sfn-executions.js';
import { tableName } from '../adapters/aws/tables.js';
import { createEksToken } from '../adapters/k8s/eks-token.js';
import { KubernetesAdapter } from '../adapters/k8s/kubernetes-adapter.js';
import { PowertoolsSecretReader } from '../adapters/slack/powertools-secrets.js';
import { WebhookNotifier } from '../adapters/slack/webhook-notifier.js';
import type { LifeboatConfig } from '../domain/config.js';
import { ConfigError, ResourceNotFoundError } from '../domain/errors.js';
import type { AuditTrail } from '../ports/audit.js';
import { systemClock, type Clock } from '../ports/clock.js';
import type { Eks } from '../ports/cluster.js';
import type { StepDeps } from '../steps/deps.js';
import type { TriggerDeps } from '../triggers/on-alarm.js';
import { loadConfigFile } from './config-file.js';
import { logger } from './logger.js';

/*
 * The composition root: the one place that builds clients and adapters, once per Lambda container
 * (outside the handler, on first use). In AWS everything comes from the environment; the
 * embedded runtime calls `configureRuntime` first to put in its virtual clock, attach fakes to the
 * same SDK clients and hand over its configuration. The handlers and steps are the same code either way.
 */

export interface RuntimeOptions {
  clock?: Clock;
  /** Called on every AWS SDK client as it is made (the embedded runtime attaches its fakes). */
  decorateAwsClient?: (client: AwsClient) => void;
  config?: LifeboatConfig;
  stateMachineArn?: string;
  /** Lets the embedded runtime watch what steps do (fault injection hooks their side effects). */
  wrapStepDeps?: (deps: StepDeps) => StepDeps;
  /** Credentials to sign EKS tokens with; the SDK's default chain otherwise. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

let options: RuntimeOptions = {};
let clients: AwsClients | undefined;
let shared: SharedDeps | undefined;
let steps: StepDeps | undefined;
let triggers: TriggerDeps | undefined;

/** What steps and triggers both use, built once. */
interface SharedDeps {
  clock: Clock;
  audit: AuditTrail;
  locks: DynamoDbLocks;
  notifier: WebhookNotifier;
}

/** Replaces the runtime's options and forgets every client built so far. */
export function configureRuntime(next: RuntimeOptions): void {
  options = next;
  clients = undefined;
  shared = undefined;
  steps = undefined;
  triggers = undefined;
}

function awsClients(): AwsClients {
  clients ??= new AwsClients({ decorate: options.decorateAwsClient });
  return clients;
}

/** Production wiring of the Kubernetes port: endpoint and CA from EKS, a bearer token from STS presigning. */
function kubernetesOverEks(eks: Eks, clock: Clock): KubernetesAdapter {
  const credentials = options.credentials ?? defaultProvider();
  return new KubernetesAdapter({
    clock,
    connect: async (target) => {
      const cluster = await eks.describeCluster(target.region, target.cluster);
      if (!cluster.endpoint) throw new ResourceNotFoundError(`cluster ${target.cluster} in ${target.region} has no API endpoint (status ${cluster.status})`);
      const token = await createEksToken({ cluster: target.cluster, region: target.region, credentials, now: clock.now() });
      return { server: cluster.endpoint, caData: cluster.certificateAuthority, token };
    },
  });
}

function sharedDeps(): SharedDeps {
  if (shared) return shared;
  const aws = awsClients();
  shared = {
    clock: options.clock ?? systemClock,
    audit: new DynamoDbAuditTrail({ client: aws.dynamodb(), tableName: tableName('audit') }),
    locks: new DynamoDbLocks({ client: aws.dynamodb(), tableName: tableName('locks') }),
    notifier: new WebhookNotifier(new PowertoolsSecretReader({ secretsManager: aws.secretsManager(), ssm: aws.ssm() })),
  };
  return shared;
}

export async function stepDeps(): Promise<StepDeps> {
  if (steps) return steps;
  const { clock, audit, locks, notifier } = sharedDeps();
  const aws = awsClients();
  const dns = new Route53Dns(aws.route53());
  const eks = new EksClusters({ eks: (region) => aws.eks(region) });
  steps = {
    clock,
    dns,
    healthChecks: dns,
    eks,
    kube: kubernetesOverEks(eks, clock),
    alarms: new CloudWatchAlarms({ cloudwatch: (region) => aws.cloudwatch(region) }),
    notifier,
    audit,
    locks,
  };
  if (options.wrapStepDeps) steps = options.wrapStepDeps(steps);
  return steps;
}

/** The audit trail, for reading it back (the CLI's `audit` command). */
export function auditTrail(): AuditTrail {
  return sharedDeps().audit;
}

/** The DynamoDB client of the current runtime (Powertools idempotency records go through it). */
export function dynamoDbClient() {
  return awsClients().dynamodb();
}

export async function triggerDeps(): Promise<TriggerDeps> {
  if (triggers) return triggers;
  const stateMachineArn = options.stateMachineArn ?? process.env.FAILOVER_STATE_MACHINE_ARN;
  if (!stateMachineArn) throw new ConfigError([{ path: 'FAILOVER_STATE_MACHINE_ARN', message: 'required (environment)' }], 'runtime environment');
  triggers = {
    ...sharedDeps(),
    config: options.config ?? loadConfigFile(),
    executions: new SfnExecutions(awsClients().sfn()),
    stateMachineArn,
    log: (message, data) => logger.info(message, data as never),
  };
  return triggers;
}
