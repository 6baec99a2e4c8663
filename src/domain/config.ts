import * as z from 'zod';
import { ConfigError } from './errors.js';
import { parseWith } from './validation.js';

/*
 * The declarative configuration: which applications Lifeboat protects, where each runs, and what
 * failing over means for it. Validated strictly (unknown keys are errors, so a typo fails loudly)
 * and completely (every problem is reported at once, each with its path).
 */

const awsRegion = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'must be an AWS region code like eu-west-1');
/** DNS-1123 label: Kubernetes namespaces, Deployment names, Velero schedule names. */
const k8sName = z
  .string()
  .max(63)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, 'must be a DNS-1123 label (lower case letters, digits, "-")');
const eksName = z.string().regex(/^[0-9A-Za-z][A-Za-z0-9\-_]{0,99}$/, 'must be a valid EKS name (letters, digits, "-", "_"; 1-100)');
const alarmName = z
  .string()
  .min(1)
  .max(255)
  .refine((value) => !/[\u0000-\u001f\u007f]/.test(value), 'must not contain control characters');

const nodegroupSchema = z
  .strictObject({
    name: eksName,
    promoted: z.strictObject({
      minSize: z.number().int().min(0),
      desiredSize: z.number().int().min(0),
      maxSize: z.number().int().min(1),
    }),
  })
  .superRefine((group, ctx) => {
    const { minSize, desiredSize, maxSize } = group.promoted;
    if (!(minSize <= desiredSize && desiredSize <= maxSize)) {
      ctx.addIssue({ code: 'custom', path: ['promoted'], message: `must satisfy minSize <= desiredSize <= maxSize (got ${minSize}/${desiredSize}/${maxSize})` });
    }
  });

const deploymentSchema = z.strictObject({
  namespace: k8sName,
  name: k8sName,
  replicas: z.number().int().min(1).max(10_000),
});

const alarmRefSchema = z.strictObject({
  name: alarmName,
  /** Where the alarm lives, when not in the app's region: Route 53 health-check alarms are always in us-east-1. */
  region: awsRegion.optional(),
});

const route53Schema = z.strictObject({
  hostedZoneId: z.string().regex(/^(\/hostedzone\/)?Z[A-Z0-9]{1,31}$/, 'must be a Route 53 hosted zone id like Z0123456789ABC'),
  recordName: z
    .string()
    .max(253)
    .regex(/^(\*\.)?([a-zA-Z0-9_]([a-zA-Z0-9_-]{0,61}[a-zA-Z0-9_])?\.)+[a-zA-Z]{2,63}\.?$/, 'must be a fully qualified domain name'),
  recordType: z.enum(['A', 'AAAA', 'CNAME']),
  setIdentifier: z.string().min(1).max(128),
  healthCheckId: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a Route 53 health check id (a UUID)'),
  /**
   * The health check the weighted record is bound to when traffic may move through the data plane
   * (docs/data-plane.md): a CALCULATED check whose only child is `healthCheckId`, and whose
   * HealthThreshold Lifeboat sets to 1 (open: healthy when the endpoint is) or 2 (closed: always unhealthy).
   */
  gateHealthCheckId: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'must be a Route 53 health check id (a UUID)').optional(),
});

export const regionSchema = z.strictObject({
  name: awsRegion,
  eks: z.strictObject({
    cluster: eksName,
    nodegroups: z.array(nodegroupSchema).default([]),
    deployments: z.array(deploymentSchema).default([]),
  }),
  velero: z.strictObject({
    namespace: k8sName.default('velero'),
    schedule: k8sName,
    includedNamespaces: z.array(k8sName).optional(),
  }),
  route53: route53Schema,
  alarms: z.array(alarmRefSchema).default([]),
});

export const secretRefSchema = z.union([
  z.strictObject({ secretsManager: z.string().min(1).max(2048) }),
  z.strictObject({ ssmParameter: z.string().regex(/^\/?[a-zA-Z0-9_.\-/]{1,2047}$/, 'must be an SSM parameter name') }),
]);

/** A Slack member id (`U012ABCDEF`; `W…` for Enterprise Grid users). */
const slackUserId = z.string().regex(/^[UW][A-Z0-9]{2,20}$/, 'must be a Slack user id like U012ABCDEF');

export const slackSchema = z
  .strictObject({
    channel: z.string().regex(/^#?[a-z0-9_-]{1,80}$/, 'must be a Slack channel name like #payments-oncall'),
    /** The webhook URL is a secret: only a reference to where it is kept belongs here. */
    webhook: secretRefSchema,
    /** The Slack app's signing secret (verifies Approve / Deny clicks), by reference like the webhook. */
    signingSecret: secretRefSchema.optional(),
    /** Slack users allowed to approve or deny a gated failover or drill of the app. */
    approvers: z.array(slackUserId).max(100).default([]),
  })
  .superRefine((slack, ctx) => {
    // Approvers click buttons whose requests are only trusted once their signature is verified.
    if (slack.approvers.length > 0 && !slack.signingSecret) ctx.addIssue({ code: 'custom', path: ['signingSecret'], message: 'required when approvers are listed (Slack requests are verified with it)' });
    const seen = new Set<string>();
    slack.approvers.forEach((id, index) => {
      if (seen.has(id)) ctx.addIssue({ code: 'custom', path: ['approvers', index], message: `duplicate approver ${id}` });
      seen.add(id);
    });
  });

/**
 * How long a failover workflow may run: statemachines/failover.asl.json's TimeoutSeconds, in
 * minutes (test/statemachines/workflow-budget.test.ts keeps the two equal). Step Functions ends a
 * run that goes longer as TIMED_OUT, with no state of its own run: no Slack message, no lock
 * released, no audit entry of the end.
 */
export const FAILOVER_WORKFLOW_MINUTES = 120;

/**
 * What a failover workflow needs besides waiting for approval: on its longest path, every retrier
 * of every state spent (the Velero restore's convergence alone is 30 min, Route 53 sync 5,
 * verification 2; throttling and Lambda retries add about 25: 63.5 min in all), plus the
 * invocations themselves. test/statemachines/workflow-budget.test.ts derives the waits from the
 * ASL and checks they fit.
 */
export const FAILOVER_WORK_RESERVE_MINUTES = 75;

/** The longest approval wait that still leaves the rest of the workflow its time. */
export const MAX_APPROVAL_TIMEOUT_MINUTES = FAILOVER_WORKFLOW_MINUTES - FAILOVER_WORK_RESERVE_MINUTES;

/**
 * The shortest lock lease: the lock is taken once (by the trigger, or the workflow's first step)
 * and must outlast the longest workflow, or a second failover of the app could start while the
 * first still runs; 10 minutes more for the moments between the trigger taking it and the run starting.
 */
export const MIN_LOCK_LEASE_MINUTES = FAILOVER_WORKFLOW_MINUTES + 10;

/** Whether a run of each mode waits for a person to approve it, and what no answer means. */
export const approvalSchema = z.strictObject({
  /** Real failovers (alarm or manual): automatic by default, an outage should not wait for a human. */
  failover: z.enum(['automatic', 'required']).default('automatic'),
  /** Drills move production traffic on purpose: someone approves them by default. */
  drill: z.enum(['automatic', 'required']).default('required'),
  /** How long the workflow waits for an answer: the wait counts against the workflow's own time limit. */
  timeoutMinutes: z
    .number()
    .int()
    .min(1)
    .max(MAX_APPROVAL_TIMEOUT_MINUTES, `must be at most ${MAX_APPROVAL_TIMEOUT_MINUTES}: the wait and the rest of the failover (up to ${FAILOVER_WORK_RESERVE_MINUTES} min) must fit in the workflow's ${FAILOVER_WORKFLOW_MINUTES} min limit`)
    .default(15),
  /** No answer in time: stop (nothing moved) or carry on. Either way it is notified and audited. */
  onTimeout: z.enum(['abort', 'proceed']).default('abort'),
});


/**
 * How ShiftTraffic moves an app's traffic (docs/data-plane.md). `records`: change the weighted
 * records (ChangeResourceRecordSets), falling back to the health-check gates when that keeps
 * failing and every region has a `gateHealthCheckId`. `health-checks`: always through the gates.
 */
export const trafficSchema = z.strictObject({
  strategy: z.enum(['records', 'health-checks']).default('records'),
});

export const policySchema = z.strictObject({
  /** Refuse to restore a backup older than this. */
  rpoMinutes: z.number().int().min(1).max(7 * 24 * 60),
  /** Whether an alarm alone starts a failover (otherwise alarms are logged and only manual runs act). */
  automaticFailover: z.boolean().default(true),
  /** The weight the active region's record gets; the failing region's record gets 0. */
  activeWeight: z.number().int().min(1).max(255).default(100),
  /** After a completed failover, automatic failovers of the app are suppressed this long (failback is manual anyway). */
  cooldownMinutes: z.number().int().min(0).max(7 * 24 * 60).default(60),
  /** How long a workflow may hold the app's lock without finishing (a crashed one cannot hold it longer). */
  lockLeaseMinutes: z
    .number()
    .int()
    .min(MIN_LOCK_LEASE_MINUTES, `must be at least ${MIN_LOCK_LEASE_MINUTES}: the lock must outlast the longest failover workflow (${FAILOVER_WORKFLOW_MINUTES} min), or a second failover of the app could start while the first still runs`)
    .max(24 * 60)
    .default(150),
  /** The recovery-time objective: a drill report measures trigger → traffic shifted and verified against it. */
  rtoMinutes: z.number().int().min(1).max(7 * 24 * 60).default(30),
  /**
   * Route 53 answers with every record of a name when all their weights are 0, which spreads traffic
   * to failing regions too; a plan that would do that is refused unless the app says it means it.
   */
  allowAllWeightsZero: z.boolean().default(false),
  /** The approval gate: which runs wait for a person (Slack buttons or `lifeboat approve`). */
  approval: approvalSchema.prefault({}),
});

/** Percentages of the active weight, strictly increasing, ending at 100. */
const failbackStepsSchema = z
  .array(z.number().int().min(1).max(100))
  .min(1)
  .max(10)
  .superRefine((steps, ctx) => {
    steps.forEach((step, index) => {
      if (index > 0 && step <= steps[index - 1]!) ctx.addIssue({ code: 'custom', path: [index], message: `must be greater than the step before it (${steps[index - 1]})` });
    });
    if (steps.length > 0 && steps.at(-1) !== 100) ctx.addIssue({ code: 'custom', path: [steps.length - 1], message: 'the last step must be 100 (all of the active weight back on the primary)' });
  });

/** Returning traffic to the primary after a failover. */
export const failbackSchema = z.strictObject({
  /** The primary's health check must have been healthy this long, without a break, before any traffic returns. */
  healthyForMinutes: z.number().int().min(0).max(24 * 60).default(30),
  /** The primary's share of the active weight after each step, verified before the next. */
  steps: failbackStepsSchema.default([10, 50, 100]),
  /** Scale the standby's node groups and Deployments back to standby size once all traffic is back. */
  scaleDownStandby: z.boolean().default(false),
});

/** An EventBridge schedule expression: `rate(7 days)` or `cron(0 10 ? * TUE *)`. */
const scheduleExpression = z
  .string()
  .max(256)
  .regex(/^(rate\(\d+ (minute|minutes|hour|hours|day|days)\)|cron\(\S+( \S+){5}\))$/, 'must be an EventBridge schedule expression: rate(7 days) or cron(0 10 ? * TUE *)');

/** The DR drill: failover, hold while verifying, failback, report. */
export const drillSchema = z.strictObject({
  /** How long the drill keeps traffic on the standby, verifying all the while. */
  holdMinutes: z.number().int().min(1).max(24 * 60).default(15),
  /** When to run it by itself (EventBridge schedule); no scheduled drills when absent. */
  schedule: scheduleExpression.optional(),
});

const appSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z][a-z0-9-]{0,39}$/, 'must be lower case letters, digits and "-", starting with a letter (max 40)'),
    regions: z.array(regionSchema).min(2, 'an app needs at least two regions to fail over between'),
    slack: slackSchema,
    policy: policySchema,
    route53: trafficSchema.prefault({}),
    failback: failbackSchema.prefault({}),
    drill: drillSchema.prefault({}),
  })
  .superRefine((app, ctx) => {
    const seen = new Map<string, number>();
    app.regions.forEach((region, index) => {
      const first = seen.get(region.name);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['regions', index, 'name'], message: `duplicate region ${region.name} (also regions[${first}])` });
      else seen.set(region.name, index);
    });
    const [primary] = app.regions;
    if (!primary) return;
    if (app.route53.strategy === 'health-checks') {
      app.regions.forEach((region, index) => {
        if (!region.route53.gateHealthCheckId) ctx.addIssue({ code: 'custom', path: ['regions', index, 'route53', 'gateHealthCheckId'], message: 'required when route53.strategy is health-checks' });
      });
    }
    app.regions.forEach((region, index) => {
      if (region.route53.gateHealthCheckId && region.route53.gateHealthCheckId === region.route53.healthCheckId) {
        ctx.addIssue({ code: 'custom', path: ['regions', index, 'route53', 'gateHealthCheckId'], message: 'must differ from healthCheckId (the gate is a CALCULATED check over it)' });
      }
    });
    const ids = new Set<string>();
    app.regions.forEach((region, index) => {
      const r = region.route53;
      // Weighted records only share traffic when they are one name and type in one zone.
      for (const key of ['hostedZoneId', 'recordName', 'recordType'] as const) {
        if (normalise(r[key]) !== normalise(primary.route53[key])) {
          ctx.addIssue({ code: 'custom', path: ['regions', index, 'route53', key], message: `must equal regions[0].route53.${key} (${primary.route53[key]}): weighted records of one app share name, type and zone` });
        }
      }
      if (ids.has(r.setIdentifier)) ctx.addIssue({ code: 'custom', path: ['regions', index, 'route53', 'setIdentifier'], message: `duplicate setIdentifier ${r.setIdentifier}` });
      ids.add(r.setIdentifier);
    });
  });

function normalise(value: string): string {
  return value.toLowerCase().replace(/^\/hostedzone\//, '').replace(/\.$/, '');
}

/**
 * Limits on what automatic failover may do at once. A regional outage fires the alarms of every app
 * in the region within minutes; past the share, further automatic failovers away from that region
 * are refused (and announced) until an operator starts them by hand.
 */
export const safetySchema = z.strictObject({
  blastRadius: z
    .strictObject({
      /** The largest share of the apps present in a region that alarms alone may fail over away from it in one window. */
      maxShareOfApps: z.number().gt(0).max(1).default(0.5),
      /** This many apps may always fail over, whatever the share (a region with one app can still fail over). */
      alwaysAllowApps: z.number().int().min(0).max(1000).default(1),
      /** Automatic failovers away from one region within this window count as one incident. */
      windowMinutes: z.number().int().min(1).max(24 * 60).default(60),
    })
    .prefault({}),
});

export const configSchema = z
  .strictObject({
    version: z.literal(1),
    safety: safetySchema.prefault({}),
    apps: z.array(appSchema).min(1, 'at least one app is required'),
  })
  .superRefine((config, ctx) => {
    const appNames = new Map<string, number>();
    const alarmOwners = new Map<string, string>();
    config.apps.forEach((app, appIndex) => {
      const first = appNames.get(app.name);
      if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['apps', appIndex, 'name'], message: `duplicate app name ${app.name} (also apps[${first}])` });
      else appNames.set(app.name, appIndex);
      // An alarm must mean exactly one thing: "this region is failing for this app".
      app.regions.forEach((region, regionIndex) => {
        region.alarms.forEach((alarm, alarmIndex) => {
          const key = `${alarm.region ?? region.name}/${alarm.name}`;
          const path = `apps[${appIndex}].regions[${regionIndex}].alarms[${alarmIndex}]`;
          const owner = alarmOwners.get(key);
          if (owner) ctx.addIssue({ code: 'custom', path: ['apps', appIndex, 'regions', regionIndex, 'alarms', alarmIndex, 'name'], message: `alarm ${alarm.name} is already mapped by ${owner}` });
          else alarmOwners.set(key, path);
        });
      });
    });
  });

export type LifeboatConfig = z.output<typeof configSchema>;
export type AppConfig = LifeboatConfig['apps'][number];
export type RegionConfig = AppConfig['regions'][number];
export type SlackConfig = z.output<typeof slackSchema>;
export type PolicyConfig = z.output<typeof policySchema>;
export type SafetyConfig = z.output<typeof safetySchema>;
export type ApprovalPolicy = z.output<typeof approvalSchema>;
export type FailbackConfig = z.output<typeof failbackSchema>;
export type DrillConfig = z.output<typeof drillSchema>;

/** Validates an already-parsed document; throws ConfigError listing every problem. */
export function validateConfig(document: unknown, source = 'configuration'): LifeboatConfig {
  const result = parseWith(configSchema, document);
  if (!result.ok) throw new ConfigError(result.issues, source);
  return result.value;
}

// The YAML text is read by ./config-yaml.ts (`parseConfig`), so that `yaml` stays out of the step bundles.

/** The JSON Schema of the configuration file, for editors (`lifeboat schema`). */
export function configJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(configSchema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
}
