import type { ResourceRecordSet } from '@aws-sdk/client-route-53';
import { fileURLToPath } from 'node:url';
import type { AppConfig, LifeboatConfig, RegionConfig } from '../domain/config.js';
import type { AuditRecord } from '../ports/audit.js';
import { auditTrail, configureRuntime } from '../runtime/container.js';
import { loadDefinition } from './asl.js';
import { FakeCloudWatch, type AlarmStateChange } from './aws/fake-cloudwatch.js';
import { fakeDecorator } from './aws/fake-decorator.js';
import { FakeEks } from './aws/fake-eks.js';
import { FakeRoute53, ZONE_PROCESSING_MS } from './aws/fake-route53.js';
import { FakeSecretsManager } from './aws/fake-secrets-manager.js';
import { FakeSsm } from './aws/fake-ssm.js';
import { FakeStepFunctions } from './fake-step-functions.js';
import { localHandlers } from './handlers.js';
import { recordIamActions } from './iam-recorder.js';
import { startKubeHost, type KubeHost, type KubeStandIn } from './k8s/stand-in.js';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { clearTables, createTables, startDynalite, type LocalDynamo } from './dynalite.js';
import { DynamoDbFaults } from './dynamodb-faults.js';
import { CrashPlan, type Fault } from './faults.js';
import { withSideEffectHook } from './side-effect-hook.js';
import { currentState } from './step-context.js';
import { VirtualScheduler } from './scheduler.js';
import { SlackSink } from './slack-sink.js';
import { LocalStateMachineRunner } from './state-machine-runner.js';
import type { TimelineListener } from './step-timeline.js';
import { VirtualClock } from './virtual-clock.js';
import { registerWorkflows, stateMachineRefs, workflowArns } from './workflows.js';

/** How long AWS takes for the asynchronous work the workflow waits on (virtual seconds). */
export interface Latencies {
  route53SyncSeconds: number;
  nodegroupUpdateSeconds: number;
  restoreSeconds: number;
  deploymentReadySeconds: number;
  /**
   * How long after its endpoint becomes healthy a Route 53 health check reports it healthy. Route
   * 53 changes a check's status only after `FailureThreshold` consecutive checks agree (3 × 10 s
   * with fast checks), so the status lags the endpoint; see `restoreEndpoint`.
   */
  healthCheckSeconds: number;
}

/** Typical figures: Route 53 INSYNC ~60 s, a node group update ~3 min, a restore ~2 min, pods ready ~1 min. */
export const REALISTIC_LATENCIES: Latencies = { route53SyncSeconds: 60, nodegroupUpdateSeconds: 180, restoreSeconds: 120, deploymentReadySeconds: 60, healthCheckSeconds: 30 };
/** Every simulated AWS wait at zero: what is left of a run's time is the orchestration's own (the benchmarks' evacuations). */
export const ZERO_LATENCIES: Latencies = { route53SyncSeconds: 0, nodegroupUpdateSeconds: 0, restoreSeconds: 0, deploymentReadySeconds: 0, healthCheckSeconds: 0 };

export const FAILOVER_DEFINITION = fileURLToPath(new URL('../../statemachines/failover.asl.json', import.meta.url));
export const EVACUATION_DEFINITION = fileURLToPath(new URL('../../statemachines/evacuation.asl.json', import.meta.url));

export interface WorldOptions {
  config: LifeboatConfig;
  start?: Date | string;
  latencies?: Partial<Latencies>;
  /**
   * The regional stack the handlers run in (AWS_REGION: its Step Functions, table replica, secrets):
   * the last region of the first app by default. Simulations pass the region that acts on the
   * outage (src/domain/acting-region.ts); `actIn` moves it.
   */
  homeRegion?: string;
  /** Where dynalite keeps the tables (audit trail, locks, idempotency); in memory when absent. */
  dataDir?: string;
  /**
   * How the SDK's DynamoDB clients reach dynalite: real HTTP on loopback (the default, as everywhere
   * in the embedded runtime), or handed to its request listener in this process (benchmarks; see
   * `InProcessDynamoHandler`).
   */
  dynamoTransport?: 'http' | 'in-process';
  /**
   * A DynamoDB-compatible server that the caller runs and closes, at this endpoint: the benchmarks'
   * dynalite in a child process, whose work then is not on this process's core, as real DynamoDB's
   * is not on the Lambda's. Absent, the world starts dynalite in this process and closes it.
   */
  dynamoEndpoint?: string;
  /**
   * Route 53's account request rate in the world (5 a second, the real quota, by default). Only a
   * test that means to exceed it on purpose raises it; nothing raises it silently.
   */
  route53RequestsPerSecond?: number;
  /** Called for each execution the fake Step Functions starts, to follow its steps live. */
  onExecution?: (execution: { name: string }) => TimelineListener | undefined;
}

const ACCOUNT_ID = '000000000000';

/** Where a fresh world's virtual clock starts. */
export const DEFAULT_START = '2026-03-14T09:00:00.000Z';

function zoneNameOf(recordName: string): string {
  const labels = recordName.replace(/\.$/, '').split('.');
  return labels.length > 2 ? labels.slice(1).join('.') : labels.join('.');
}

function recordValue(type: string, index: number): string {
  if (type === 'AAAA') return `2001:db8::${index + 1}`;
  if (type === 'CNAME') return `lb-${index + 1}.example.net`;
  return `192.0.2.${index + 1}`;
}

/**
 * The embedded default: a simulated AWS account and its clusters for every app of a configuration,
 * each app primary in its first region and on standby in the others. The real handlers run against
 * it through the same SDK clients (with fakes attached), real HTTP to a Kubernetes stand-in per
 * cluster and to a Slack webhook sink, on one virtual clock.
 */
export class SimulatedWorld {
  readonly clock: VirtualClock;
  readonly scheduler: VirtualScheduler;
  readonly route53: FakeRoute53;
  readonly eks: FakeEks;
  readonly cloudwatch: FakeCloudWatch;
  readonly secretsManager: FakeSecretsManager;
  readonly ssm: FakeSsm;
  readonly sfn: FakeStepFunctions;
  readonly slack = new SlackSink();
  readonly clusters = new Map<string, KubeStandIn>();
  private home: string;
  /** Every region the configuration names: each has a Lifeboat stack (state machine, secrets). */
  readonly regions: string[];
  readonly latencies: Latencies;
  private readonly alarmChanges: AlarmStateChange[] = [];
  private readonly zones = new Set<string>();
  private dynamo?: Pick<LocalDynamo, 'endpoint' | 'close'>;
  private dynamoHandler?: ReturnType<LocalDynamo['inProcessHandler']>;
  /** One HTTP server for every cluster's API (each under its own path): a 500-app world listens on one port. */
  private kubeHost?: KubeHost;
  /** Injected crashes of workflow steps, and injected DynamoDB failures. */
  readonly crashes = new CrashPlan();
  readonly dynamoFaults = new DynamoDbFaults();
  /** Every DynamoDB call, with the region of the client that made it (each region's replica of the global tables). */
  readonly dynamoCalls: { region: string; operation: string; state?: string; error?: string }[] = [];
  private readonly dynamoRegionsDown = new Set<string>();
  private readonly afterStepCallbacks = new Map<string, () => void>();

  private constructor(readonly config: LifeboatConfig, options: WorldOptions) {
    this.latencies = { ...REALISTIC_LATENCIES, ...options.latencies };
    this.clock = new VirtualClock(options.start ?? DEFAULT_START);
    this.scheduler = new VirtualScheduler(this.clock);
    this.route53 = new FakeRoute53(this.clock, { changeSyncSeconds: this.latencies.route53SyncSeconds, zoneProcessingMs: ZONE_PROCESSING_MS, requestsPerSecond: options.route53RequestsPerSecond });
    this.eks = new FakeEks(this.clock, { nodegroupUpdateSeconds: this.latencies.nodegroupUpdateSeconds });
    this.cloudwatch = new FakeCloudWatch(this.clock);
    // Route 53 publishes its health checks' status to CloudWatch in us-east-1 only.
    this.cloudwatch.publishMetrics((region, namespace, metric, dimensions) =>
      region === 'us-east-1' && namespace === 'AWS/Route53' && (metric === 'HealthCheckStatus' || metric === 'HealthCheckPercentageHealthy')
        ? this.route53.healthCheckMetrics(dimensions.HealthCheckId ?? '')?.[metric]
        : undefined,
    );
    this.secretsManager = new FakeSecretsManager(this.clock);
    this.ssm = new FakeSsm(this.clock);
    this.sfn = new FakeStepFunctions(this.clock, options.onExecution);
    const firstApp = config.apps[0]!;
    this.home = options.homeRegion ?? firstApp.regions[firstApp.regions.length - 1]!.name;
    this.regions = [...new Set([...config.apps.flatMap((app) => app.regions.map((r) => r.name)), this.home])];
    this.cloudwatch.onStateChange((change) => this.alarmChanges.push(change));
  }

  /** What the local runner emulates through the fake Step Functions: `.waitForTaskToken` callbacks, `.sync` nested executions. */
  private integrations() {
    return { callbacks: this.sfn, executions: this.sfn, stateMachineArns: stateMachineRefs(this.stateMachineArn) };
  }

  /** Builds the world and makes the runtime (handlers, adapters) use it. */
  static async create(options: WorldOptions): Promise<SimulatedWorld> {
    const world = new SimulatedWorld(options.config, options);
    if (options.dynamoEndpoint) {
      if (options.dynamoTransport === 'in-process' || options.dataDir) throw new Error('a world on an external DynamoDB endpoint reaches it over HTTP and keeps no tables of its own (dynamoTransport in-process, dataDir)');
      world.dynamo = { endpoint: options.dynamoEndpoint, close: async () => undefined };
    } else {
      const dynamo = await startDynalite({ path: options.dataDir });
      world.dynamo = dynamo;
      if (options.dynamoTransport === 'in-process') world.dynamoHandler = dynamo.inProcessHandler();
    }
    // Each world is new (its fakes start from the configuration), so the app state kept beside it
    // (locks, cooldowns, active regions, idempotency records) starts over too; audit trails are kept.
    await createTables(world.dynamo.endpoint);
    await clearTables(world.dynamo.endpoint, ['locks', 'idempotency']);
    await world.slack.start();
    world.kubeHost = await startKubeHost();
    for (const app of options.config.apps) await world.seedApp(app);
    const runner = new LocalStateMachineRunner(loadDefinition(FAILOVER_DEFINITION), localHandlers, world.clock, world.scheduler, {
      beforeInvoke: (state) => world.crashes.beforeInvoke(state),
      afterInvoke: (state) => {
        world.afterStepCallbacks.get(state)?.();
        world.crashes.afterInvoke(state);
      },
    }, world.integrations());
    // One stack per region, each with its own state machine (the runner is shared: handlers run in the home region).
    for (const region of world.regions) world.sfn.register(world.stateMachineArnIn(region), runner);
    const evacuation = new LocalStateMachineRunner(loadDefinition(EVACUATION_DEFINITION), localHandlers, world.clock, world.scheduler, {
      beforeInvoke: (state) => world.crashes.beforeInvoke(state),
      afterInvoke: (state) => {
        world.afterStepCallbacks.get(state)?.();
        world.crashes.afterInvoke(state);
      },
    }, world.integrations());
    for (const region of world.regions) world.sfn.register(world.evacuationStateMachineArnIn(region), evacuation);
    // The failback and drill workflows, in every region's stack like the failover (src/local/workflows.ts).
    for (const region of world.regions) {
      registerWorkflows(world.sfn, world.stateMachineArnIn(region), (definition) =>
        new LocalStateMachineRunner(definition, localHandlers, world.clock, world.scheduler, {
          beforeInvoke: (state) => world.crashes.beforeInvoke(state),
          afterInvoke: (state) => {
            world.afterStepCallbacks.get(state)?.();
            world.crashes.afterInvoke(state);
          },
        }, world.integrations()),
      );
    }
    world.install();
    return world;
  }

  /** The failback and drill state machines of the stack the handlers run in now (see actIn). */
  get workflowArns(): { failback: string; drill: string } {
    return workflowArns(this.stateMachineArn);
  }

  /** The region whose stack the handlers run in (the Lambda's AWS_REGION). */
  get homeRegion(): string {
    return this.home;
  }

  /** The failover state machine of the home region's stack. */
  get stateMachineArn(): string {
    return this.stateMachineArnIn(this.home);
  }

  /** The region evacuation state machine of a region's stack. */
  evacuationStateMachineArnIn(region: string): string {
    return `arn:aws:states:${region}:${ACCOUNT_ID}:stateMachine:lifeboat-local-evacuation`;
  }

  stateMachineArnIn(region: string): string {
    return `arn:aws:states:${region}:${ACCOUNT_ID}:stateMachine:lifeboat-local-failover`;
  }

  /**
   * Runs the handlers from now on as the stack of `region` (as if the next delivery reached that
   * region's Lambda): fresh clients in that region, its state machine. Call it between runs.
   */
  actIn(region: string): void {
    if (!this.regions.includes(region)) throw new Error(`no Lifeboat stack in ${region} (regions: ${this.regions.join(', ')})`);
    this.home = region;
    this.install();
  }

  /**
   * Points the runtime's clients at this world; each world starts with fresh clients. The process
   * gets throwaway credentials, so nothing in the embedded runtime can reach a real AWS account.
   */
  install(): void {
    process.env.AWS_REGION = this.homeRegion;
    // EMF metric lines (src/runtime/metrics.ts) would interleave with the CLI's output: off unless asked for.
    process.env.POWERTOOLS_METRICS_DISABLED ??= 'true';
    process.env.AWS_ACCESS_KEY_ID = 'AKIALOCALSIMULATION';
    process.env.AWS_SECRET_ACCESS_KEY = 'local-simulation-secret';
    delete process.env.AWS_SESSION_TOKEN;
    delete process.env.AWS_PROFILE;
    // DynamoDB is real HTTP to dynalite, found the standard way: the SDK's endpoint variable.
    process.env.AWS_ENDPOINT_URL_DYNAMODB = this.dynamo!.endpoint;
    process.env.EVACUATION_STATE_MACHINE_ARN = this.evacuationStateMachineArnIn(this.homeRegion);
    const attachFakes = fakeDecorator({
      route53: this.route53,
      eks: this.eks,
      cloudwatch: this.cloudwatch,
      sfn: this.sfn,
      secretsManager: this.secretsManager,
      ssm: this.ssm,
    });
    configureRuntime({
      clock: this.clock,
      decorateAwsClient: (client) => {
        recordIamActions(client);
        if (client instanceof DynamoDBClient) this.attachDynamo(client);
        else attachFakes(client);
      },
      wrapStepDeps: (deps) => withSideEffectHook(deps, () => this.crashes.afterSideEffect(currentState())),
      config: this.config,
      stateMachineArn: this.stateMachineArn,
      credentials: { accessKeyId: 'AKIALOCALSIMULATION', secretAccessKey: 'local-simulation-secret' },
    });
  }

  async close(): Promise<void> {
    configureRuntime({});
    delete process.env.AWS_ENDPOINT_URL_DYNAMODB;
    delete process.env.EVACUATION_STATE_MACHINE_ARN;
    await Promise.all([this.slack.close(), this.dynamo?.close(), this.kubeHost?.close()]);
  }

  /**
   * DynamoDB is one dynalite serving every region's replica of the global tables (replication is
   * instant here). Each call is logged with its client's region, and a region taken down by
   * `isolateRegion` gets connection failures, as an unreachable regional endpoint would.
   */
  private attachDynamo(client: DynamoDBClient): void {
    // Before the client's first call, so its middleware (cached or not) reaches this handler.
    if (this.dynamoHandler) client.config.requestHandler = this.dynamoHandler;
    this.dynamoFaults.attach(client);
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const region = await client.config.region();
        const operation = (context.commandName ?? '').replace(/Command$/, '');
        if (this.dynamoRegionsDown.has(region)) {
          this.dynamoCalls.push({ region, operation, state: currentState(), error: 'ECONNREFUSED' });
          throw Object.assign(new Error(`connect ECONNREFUSED dynamodb.${region}.amazonaws.com:443 (simulated regional outage)`), { code: 'ECONNREFUSED' });
        }
        this.dynamoCalls.push({ region, operation, state: currentState() });
        return next(args);
      },
      { step: 'initialize', name: 'lifeboatDynamoDbRegions', override: true },
    );
  }

  /**
   * Takes every regional endpoint of `region` off the network, beyond what `failRegion` does (EKS,
   * CloudWatch, its clusters' API servers): its DynamoDB replica, its Step Functions, its Secrets
   * Manager and SSM. Route 53 is global and stays.
   */
  isolateRegion(region: string): void {
    this.eks.failRegion(region, 'ServiceUnavailableException');
    this.cloudwatch.failRegion(region, 'InternalServiceFault');
    this.sfn.failRegion(region);
    this.secretsManager.failRegion(region, 'InternalServiceError');
    this.ssm.failRegion(region, 'InternalServerError');
    this.dynamoRegionsDown.add(region);
    for (const [key, cluster] of this.clusters) {
      if (key.startsWith(`${region}/`)) cluster.injectFault({ status: 500, times: Number.MAX_SAFE_INTEGER });
    }
  }

  /** Every call that went to an endpoint of `region`, by service (failed ones included): what a run needed from it. */
  callsInto(region: string): Record<'eks' | 'kubernetes' | 'cloudwatch' | 'dynamodb' | 'stepFunctions' | 'secretsManager' | 'ssm', string[]> {
    const named = (calls: readonly { operation: string; region?: string; error?: string }[]) => calls.filter((c) => c.region === region).map((c) => `${c.operation}${c.error ? ` (${c.error})` : ''}`);
    return {
      eks: named(this.eks.calls),
      kubernetes: [...this.clusters].filter(([key]) => key.startsWith(`${region}/`)).flatMap(([key, cluster]) => cluster.requests.map((r) => `${key} ${r.method} ${r.path} ${r.status}`)),
      cloudwatch: named(this.cloudwatch.calls),
      dynamodb: named(this.dynamoCalls),
      stepFunctions: named(this.sfn.calls),
      secretsManager: named(this.secretsManager.calls),
      ssm: named(this.ssm.calls),
    };
  }

  /** Runs `change` each time the state `state` finishes: how a scenario makes the world change mid-run. */
  afterStep(state: string, change: () => void): void {
    this.afterStepCallbacks.set(state, change);
  }

  /** Makes something go wrong during the next run (see src/local/faults.ts). */
  inject(fault: Fault): void {
    switch (fault.kind) {
      case 'crash':
        return this.crashes.add(fault.state, fault.point);
      case 'route53':
        return void this.route53.failNext('ChangeResourceRecordSets', fault.error, fault.times);
      case 'eks':
        return void this.eks.failNext('UpdateNodegroupConfig', fault.error, fault.times);
      case 'kubernetes':
        for (const cluster of this.clusters.values()) cluster.injectFault({ status: fault.status, times: fault.times });
        return;
      case 'dynamodb':
        return this.dynamoFaults.failNext(fault.error, fault.times);
      case 'slack':
        return this.slack.failNext(fault.failure, fault.times);
    }
  }

  /** An incident's audit trail as stored. */
  auditTrail(incidentId: string): Promise<AuditRecord[]> {
    return auditTrail().read(incidentId);
  }

  /** The receipts of the trigger deliveries an incident absorbed. */
  receipts(incidentId: string): Promise<AuditRecord[]> {
    return auditTrail().readReceipts(incidentId);
  }

  private async seedApp(app: AppConfig): Promise<void> {
    const now = this.clock.now().getTime();
    for (const [index, region] of app.regions.entries()) {
      const primary = index === 0;
      const { route53: r53 } = region;
      if (!this.zones.has(r53.hostedZoneId)) {
        this.route53.addHostedZone(r53.hostedZoneId, zoneNameOf(r53.recordName));
        this.zones.add(r53.hostedZoneId);
      }
      const record: ResourceRecordSet = {
        Name: r53.recordName,
        Type: r53.recordType,
        SetIdentifier: r53.setIdentifier,
        Weight: primary ? app.policy.activeWeight : 0,
        TTL: 60,
        ResourceRecords: [{ Value: recordValue(r53.recordType, index) }],
        // Bound to the region's gate when it has one (docs/data-plane.md), to its endpoint check otherwise.
        HealthCheckId: r53.gateHealthCheckId ?? r53.healthCheckId,
      };
      this.route53.addHealthCheck(r53.healthCheckId);
      this.route53.setHealthCheck(r53.healthCheckId, true);
      if (r53.gateHealthCheckId) this.route53.addGate(r53.gateHealthCheckId, r53.healthCheckId, true);
      this.route53.putRecord(r53.hostedZoneId, record);

      const cluster = await this.clusterFor(region);
      this.eks.addCluster(region.name, {
        name: region.eks.cluster,
        status: 'ACTIVE',
        endpoint: cluster.url,
        certificateAuthority: Buffer.from('-----BEGIN CERTIFICATE-----\nLOCAL\n-----END CERTIFICATE-----\n').toString('base64'),
      });
      for (const group of region.eks.nodegroups) {
        const standby = { minSize: 1, desiredSize: 1, maxSize: group.promoted.maxSize };
        this.eks.addNodegroup(region.name, region.eks.cluster, group.name, primary ? group.promoted : standby);
      }
      for (const deployment of region.eks.deployments) {
        const replicas = primary ? deployment.replicas : 1;
        cluster.addDeployment(deployment.namespace, deployment.name, { replicas, readyReplicas: replicas });
      }
      // An hourly schedule: the newest backup still running, the ones before it completed.
      for (const [age, phase] of [[5, 'InProgress'], [25, 'Completed'], [85, 'Completed'], [145, 'Completed']] as const) {
        const startedAt = new Date(now - (age + 4) * 60_000);
        const stamp = startedAt.toISOString().replace(/[-:T]/g, '').slice(0, 14);
        cluster.addBackup({
          namespace: region.velero.namespace,
          name: `${region.velero.schedule}-${stamp}`,
          scheduleName: region.velero.schedule,
          phase,
          startedAt,
          completedAt: phase === 'Completed' ? new Date(now - age * 60_000) : undefined,
        });
      }
      for (const alarm of region.alarms) {
        const alarmRegion = alarm.region ?? region.name;
        const isHealthAlarm = /health/i.test(alarm.name);
        this.cloudwatch.addMetricAlarm(alarmRegion, {
          name: alarm.name,
          namespace: isHealthAlarm ? 'AWS/Route53' : 'AWS/ApplicationELB',
          metricName: isHealthAlarm ? 'HealthCheckStatus' : 'HTTPCode_Target_5XX_Count',
          dimensions: isHealthAlarm ? { HealthCheckId: r53.healthCheckId } : { LoadBalancer: `app/${app.name}-${region.name}/0123456789abcdef` },
          statistic: isHealthAlarm ? 'Minimum' : 'Sum',
          period: 60,
          evaluationPeriods: 3,
          threshold: isHealthAlarm ? 1 : 50,
          comparisonOperator: isHealthAlarm ? 'LessThanThreshold' : 'GreaterThanThreshold',
          description: `${app.name} is failing in ${region.name}`,
          state: 'OK',
        });
      }
    }
    const hookUrl = this.slack.webhookUrl(`/services/T0LOCAL/${app.name}/hook`);
    // Stored in every region, as docs/deploy.md says: each stack reads its own region's copy.
    for (const region of this.regions) {
      if ('secretsManager' in app.slack.webhook) this.secretsManager.addSecret(region, app.slack.webhook.secretsManager, hookUrl);
      else this.ssm.putParameter(region, app.slack.webhook.ssmParameter, hookUrl, 'SecureString');
    }
  }

  private async clusterFor(region: RegionConfig): Promise<KubeStandIn> {
    const key = `${region.name}/${region.eks.cluster}`;
    let cluster = this.clusters.get(key);
    if (!cluster) {
      cluster = this.kubeHost!.add({
        clusterName: region.eks.cluster,
        clock: this.clock,
        deploymentReadySeconds: this.latencies.deploymentReadySeconds,
        restoreSeconds: this.latencies.restoreSeconds,
      });
      this.clusters.set(key, cluster);
    }
    return cluster;
  }

  app(name: string): AppConfig {
    const app = this.config.apps.find((candidate) => candidate.name === name);
    if (!app) throw new Error(`no app ${name} in the configuration`);
    return app;
  }

  cluster(region: RegionConfig): KubeStandIn {
    return this.clusters.get(`${region.name}/${region.eks.cluster}`)!;
  }

  /**
   * The app's endpoint in the region answers again: its health check reports healthy
   * `latencies.healthCheckSeconds` of virtual time later, as Route 53's checkers need that many
   * consecutive successes. Resolves when it does (virtual time moves on while nothing else runs).
   */
  restoreEndpoint(appName: string, regionName: string): Promise<void> {
    const region = this.app(appName).regions.find((r) => r.name === regionName);
    if (!region) throw new Error(`${appName} has no region ${regionName}`);
    if (this.latencies.healthCheckSeconds <= 0) {
      this.route53.setHealthCheck(region.route53.healthCheckId, true);
      return Promise.resolve();
    }
    return this.scheduler.run(async () => {
      await this.scheduler.sleep(this.latencies.healthCheckSeconds * 1000);
      this.route53.setHealthCheck(region.route53.healthCheckId, true);
    });
  }

  /**
   * A regional outage for one app: the region's health check fails, its first alarm goes to ALARM,
   * and the region's control planes (EKS, CloudWatch, its clusters' API servers) stop answering,
   * so a run proves it needs nothing from the region it leaves. Returns the alarm's state change,
   * from which the delivered events are built.
   */
  failRegion(appName: string, regionName: string, reason = 'Threshold Crossed: 3 datapoints were greater than the threshold (50.0)'): AlarmStateChange {
    const region = this.app(appName).regions.find((r) => r.name === regionName);
    const alarm = region?.alarms[0];
    if (!region || !alarm) throw new Error(`${appName} has no alarm in ${regionName} to fire`);
    this.route53.setHealthCheck(region.route53.healthCheckId, false);
    this.eks.failRegion(regionName, 'ServiceUnavailableException');
    this.cloudwatch.failRegion(regionName, 'InternalServiceFault');
    for (const [key, cluster] of this.clusters) {
      if (key.startsWith(`${regionName}/`)) cluster.injectFault({ status: 500, times: Number.MAX_SAFE_INTEGER });
    }
    const before = this.alarmChanges.length;
    this.cloudwatch.transition(alarm.region ?? region.name, alarm.name, 'ALARM', reason);
    const change = this.alarmChanges[before];
    if (!change) throw new Error(`alarm ${alarm.name} did not change state`);
    return change;
  }

  /** The most recent alarm state change in the world, to build its delivered events from. */
  lastAlarmChange(): AlarmStateChange | undefined {
    return this.alarmChanges.at(-1);
  }

  /** Current weights of an app's records, by set identifier. */
  weights(appName: string): Record<string, number> {
    const app = this.app(appName);
    const { hostedZoneId, recordName, recordType } = app.regions[0]!.route53;
    return Object.fromEntries(
      app.regions.map((region) => [region.route53.setIdentifier, this.route53.record(hostedZoneId, recordName, recordType, region.route53.setIdentifier)?.Weight ?? 0]),
    );
  }

  /** Where DNS answers for the app's name go (share per set identifier): weights and health together. */
  traffic(appName: string): Record<string, number> {
    const { hostedZoneId, recordName, recordType } = this.app(appName).regions[0]!.route53;
    return this.route53.trafficShare(hostedZoneId, recordName, recordType);
  }

  /** How many times the world was changed, by kind (the counts an idempotent run must not repeat). */
  sideEffects(): { route53Changes: number; nodegroupUpdates: number; deploymentsScaled: number; restoresCreated: number; slackMessages: number } {
    let nodegroupUpdates = 0;
    for (const app of this.config.apps) {
      for (const region of app.regions) {
        for (const group of region.eks.nodegroups) nodegroupUpdates += this.eks.updatesCreated(region.name, region.eks.cluster, group.name);
      }
    }
    const clusters = [...this.clusters.values()];
    return {
      route53Changes: this.route53.calls.filter((call) => call.operation === 'ChangeResourceRecordSets' && !call.error).length,
      nodegroupUpdates,
      deploymentsScaled: clusters.reduce((sum, cluster) => sum + cluster.stats.scaleWrites, 0),
      restoresCreated: clusters.reduce((sum, cluster) => sum + cluster.stats.restoresCreated, 0),
      slackMessages: this.slack.messages.length,
    };
  }
}
