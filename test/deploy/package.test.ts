import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'yaml';
import { packageService, readServerlessYml, type Packaged, type Template } from '../support/serverless.js';
import {
  allowedActions,
  functionRoles,
  iamStatements,
  ofType,
  resourceText,
  secretLookingEnvironment,
  secretsIn,
  sharedRoles,
  starResourceGrants,
  unscopedResources,
  wildcardActions,
} from './template-checks.js';

/*
 * `serverless package` offline for two regions of the example configuration, as
 * `npm run package -- --region R` does: us-east-1 (the home region: it creates the global tables,
 * and it is where Route 53 health-check alarms live, so it forwards them) and eu-west-1 (a region
 * that receives forwarded alarms). ~20 s each, so done once for every test below.
 */

const HOME = 'us-east-1';
const OTHER = 'eu-west-1';
const STAGE = 'test';
const ACCOUNT = '123456789012';

// Recognisable secret values put where a careless template could pick them up: the environment
// `serverless package` runs in. None may reach the template.
const SECRET_VALUES = {
  SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T0LIFEBOAT/B0LIFEBOAT/recognisable-webhook-secret',
  SLACK_SIGNING_SECRET: 'recognisable-signing-secret-8f3a2c',
  SLACK_BOT_TOKEN: 'xoxb-recognisable-bot-token',
};

interface RegionConfig {
  name: string;
  eks: { cluster: string; nodegroups: { name: string }[]; deployments: { namespace: string; name: string }[] };
  route53: { hostedZoneId: string; recordName: string; recordType: string; healthCheckId: string };
  alarms: { name: string; region?: string }[];
}
interface AppConfig {
  name: string;
  regions: RegionConfig[];
  slack: { webhook: { secretsManager?: string; ssmParameter?: string }; signingSecret?: { secretsManager?: string; ssmParameter?: string } };
}
const config = parse(readFileSync('lifeboat.config.yaml', 'utf8')) as { apps: AppConfig[] };
const appsIn = (region: string) => config.apps.filter((app) => app.regions.some((r) => r.name === region));
const participating = [...new Set(config.apps.flatMap((app) => app.regions.map((r) => r.name)))];

let packaged: Map<string, Packaged>;
let cleanUp = () => {};
const template = (region: string): Template => packaged.get(region)!.template;

beforeAll(() => {
  const result = packageService([HOME, OTHER], { stage: STAGE, env: { ...process.env, ...SECRET_VALUES } });
  packaged = result.packages;
  cleanUp = result.cleanUp;
}, 240_000);

afterAll(() => cleanUp());

const functions = Object.keys(readServerlessYml().functions);
const logicalId = (fn: string) => `${fn[0]!.toUpperCase()}${fn.slice(1)}`;
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Substitutes the pseudo parameters of an Fn::Sub ARN as a deployment in `region` would. */
const arnIn = (value: unknown, region: string) =>
  resourceText(value).replaceAll('${AWS::Partition}', 'aws').replaceAll('${AWS::AccountId}', ACCOUNT).replaceAll('${AWS::Region}', region);

/** EventBridge matching for the patterns used here: every key of the pattern lists the accepted values, objects nest. */
function matches(pattern: Record<string, unknown>, event: Record<string, unknown>, region: string): boolean {
  return Object.entries(pattern).every(([key, accepted]) => {
    const value = event[key];
    if (Array.isArray(accepted)) {
      const values = Array.isArray(value) ? value : [value];
      return values.some((v) => accepted.map((a) => arnIn(a, region)).includes(v as string));
    }
    return typeof value === 'object' && value !== null && matches(accepted as Record<string, unknown>, value as Record<string, unknown>, region);
  });
}
const alarmEvent = (name: string, livesIn: string) => ({
  source: 'aws.cloudwatch',
  'detail-type': 'CloudWatch Alarm State Change',
  region: livesIn,
  resources: [`arn:aws:cloudwatch:${livesIn}:${ACCOUNT}:alarm:${name}`],
  detail: { alarmName: name, state: { value: 'ALARM' }, previousState: { value: 'OK' } },
});
/**
 * Every configured alarm: the region it means, where it lives, and the stacks that hear it: every
 * other region of the app (the trigger then decides which one acts: src/triggers/acting-region.ts).
 */
const alarms = config.apps.flatMap((app) =>
  app.regions.flatMap((region) =>
    region.alarms.map((alarm) => ({
      app: app.name,
      name: alarm.name,
      failing: region.name,
      livesIn: alarm.region ?? region.name,
      hearing: app.regions.filter((r) => r.name !== region.name).map((r) => r.name).sort(),
    })),
  ),
);

describe.each([HOME, OTHER])('the packaged template for %s', (region) => {
  it('contains every function, on nodejs22.x, each bundled alone with the configuration', () => {
    const lambdas = ofType(template(region), 'AWS::Lambda::Function');
    expect(lambdas).toHaveLength(functions.length);
    for (const [, fn] of lambdas) expect(fn.Properties.Runtime).toBe('nodejs22.x');
    const zips = readdirSync(packaged.get(region)!.dir).filter((f) => f.endsWith('.zip'));
    expect(zips.sort()).toEqual(functions.map((f) => `${f}.zip`).sort());
  });

  it('wires the failover state machine to the step functions', () => {
    const [, machine] = ofType(template(region), 'AWS::StepFunctions::StateMachine').find(([id]) => id === 'FailoverStateMachine') as [string, Template['Resources'][string]];
    const [, substitutions] = machine.Properties.DefinitionString['Fn::Sub'] as [string, Record<string, { 'Fn::GetAtt': [string, string] }>];
    const wired = new Set(Object.values(substitutions).map((v) => v['Fn::GetAtt'][0]));
    // Every function but those invoked from outside (the triggers, Slack's interactivity endpoint) and
    // those of the failback, drill and evacuation state machines.
    const outside = (fn: string) => /Trigger$/.test(fn) || /^evacuation/.test(fn) || ['slackInteraction', 'failback', 'drill'].includes(fn);
    expect([...wired].sort()).toEqual(functions.filter((fn) => !outside(fn)).map((fn) => `${logicalId(fn)}LambdaFunction`).sort());
  });

  it('wires the evacuation state machine to its functions and the per-app steps it reuses, under its own role', () => {
    const [, machine] = ofType(template(region), 'AWS::StepFunctions::StateMachine').find(([id]) => id === 'EvacuationStateMachine') as [string, Template['Resources'][string]];
    const [, substitutions] = machine.Properties.DefinitionString['Fn::Sub'] as [string, Record<string, { 'Fn::GetAtt': [string, string] }>];
    const wired = new Set(Object.values(substitutions).map((v) => v['Fn::GetAtt'][0]));
    const reused = ['acquireLock', 'promoteNodegroups', 'scaleDeployments', 'startRestore', 'awaitRestore', 'notify', 'releaseLock', 'compensateTraffic'];
    const expected = [...functions.filter((fn) => /^evacuation/.test(fn)), ...reused].map((fn) => `${logicalId(fn)}LambdaFunction`);
    expect([...wired].sort()).toEqual(expected.sort());
    expect(machine.Properties.RoleArn).toEqual({ 'Fn::GetAtt': ['EvacuationStateMachineExecutionRole', 'Arn'] });
    const invocable = JSON.stringify(iamStatements(template(region)).filter(({ owner }) => owner === 'EvacuationStateMachineExecutionRole'));
    for (const fn of expected) expect(invocable).toContain(fn);
  });

  it('gives every function a role of its own', () => {
    const roles = functionRoles(template(region));
    expect(Object.keys(roles).sort()).toEqual(functions.map((fn) => `${logicalId(fn)}LambdaFunction`).sort());
    expect(sharedRoles(template(region))).toEqual([]);
    expect(template(region).Resources).not.toHaveProperty('IamRoleLambdaExecution');
  });

  it('grants no wildcard action anywhere', () => {
    expect(wildcardActions(template(region))).toEqual([]);
  });

  it('grants "*" resources only to actions without resource-level permissions, each statement saying why', () => {
    expect(starResourceGrants(template(region))).toEqual([]);
  });

  it('names only resources the configuration (apps running in this region) or the stack itself defines', () => {
    const apps = appsIn(region);
    const regions = apps.flatMap((app) => app.regions);
    const arn = (service: string, rest: string, where = '[a-z0-9-]+') => new RegExp(`^arn:\\$\\{AWS::Partition\\}:${service}:(${where}|\\$\\{AWS::Region\\}):(\\$\\{AWS::AccountId\\})?:${rest}$`);
    const names = (list: string[]) => `(${list.map(escape).join('|')})`;
    const secretRefs = apps.flatMap((app) => [app.slack.webhook, app.slack.signingSecret].filter((ref) => ref !== undefined));
    const allowed = [
      new RegExp(`^arn:\\$\\{AWS::Partition\\}:route53:::hostedzone/${names(regions.map((r) => r.route53.hostedZoneId))}$`),
      new RegExp(`^arn:\\$\\{AWS::Partition\\}:route53:::healthcheck/${names(regions.map((r) => r.route53.healthCheckId))}$`),
      /^arn:\$\{AWS::Partition\}:route53:::change\/\*$/,
      arn('eks', `cluster/${names(regions.map((r) => r.eks.cluster))}`),
      arn('eks', `nodegroup/(${regions.flatMap((r) => r.eks.nodegroups.map((g) => `${escape(r.eks.cluster)}/${escape(g.name)}`)).join('|')})/\\*`),
      arn('cloudwatch', `alarm:${names(regions.flatMap((r) => r.alarms.map((a) => a.name)))}`),
      // Tables, secrets and parameters: the stack's own region's copy.
      new RegExp(`^arn:\\$\\{AWS::Partition\\}:dynamodb:\\$\\{AWS::Region\\}:\\$\\{AWS::AccountId\\}:table/lifeboat-${STAGE}-(audit|locks|idempotency)$`),
      new RegExp(`^arn:\\$\\{AWS::Partition\\}:secretsmanager:\\$\\{AWS::Region\\}:\\$\\{AWS::AccountId\\}:secret:${names(secretRefs.flatMap((r) => (r.secretsManager ? [r.secretsManager] : [])))}-\\?\\?\\?\\?\\?\\?$`),
      new RegExp(`^arn:\\$\\{AWS::Partition\\}:ssm:\\$\\{AWS::Region\\}:\\$\\{AWS::AccountId\\}:parameter/${names(secretRefs.flatMap((r) => (r.ssmParameter ? [r.ssmParameter.replace(/^\//, '')] : [])))}$`),
      new RegExp(`^arn:\\$\\{AWS::Partition\\}:states:\\$\\{AWS::Region\\}:\\$\\{AWS::AccountId\\}:stateMachine:lifeboat-${STAGE}-(failover|failback|evacuation)$`),
      // The evacuation state machine's role: the child executions of its Distributed Maps.
      new RegExp(`^arn:\\$\\{AWS::Partition\\}:states:\\$\\{AWS::Region\\}:\\$\\{AWS::AccountId\\}:execution:lifeboat-${STAGE}-evacuation/\\*$`),
      // The drill state machine's role: the executions it nests, and the rule `.sync` follows them with.
      new RegExp(`^arn:\\$\\{AWS::Partition\\}:states:\\$\\{AWS::Region\\}:\\$\\{AWS::AccountId\\}:execution:lifeboat-${STAGE}-(failover|failback):\\*$`),
      /^arn:\$\{AWS::Partition\}:events:\$\{AWS::Region\}:\$\{AWS::AccountId\}:rule\/StepFunctionsGetEventsForStepFunctionsExecutionRule$/,
      new RegExp(`^arn:\\$\\{AWS::Partition\\}:logs:\\$\\{AWS::Region\\}:\\$\\{AWS::AccountId\\}:log-group:/aws/lambda/lifeboat-${STAGE}-${names(functions)}:\\*$`),
      new RegExp(`^arn:\\$\\{AWS::Partition\\}:events:${names(participating.filter((r) => r !== region))}:\\$\\{AWS::AccountId\\}:event-bus/default$`),
      /^\{"Fn::GetAtt":\["TriggerDeadLetterQueue","Arn"\]\}$/,
      // The state machine's role: its own step functions (and their versions).
      new RegExp(`^\\{"Fn::GetAtt":\\["${names(functions.map(logicalId))}LambdaFunction","Arn"\\]\\}$`),
      new RegExp(`^\\{"Fn::Sub":\\["\\$\\{functionArn\\}:\\*",\\{"functionArn":\\{"Fn::GetAtt":\\["${names(functions.map(logicalId))}LambdaFunction","Arn"\\]\\}\\}\\]\\}$`),
    ];
    expect(unscopedResources(template(region), allowed)).toEqual([]);
  });

  it('names no resource of an app that does not run in this region', () => {
    const elsewhere = config.apps.filter((app) => !appsIn(region).includes(app));
    expect(elsewhere.length).toBeGreaterThan(0);
    const text = JSON.stringify(iamStatements(template(region)));
    for (const r of elsewhere.flatMap((app) => app.regions)) {
      expect(text).not.toContain(`cluster/${r.eks.cluster}`);
      expect(text).not.toContain(r.route53.hostedZoneId);
    }
  });

  it('lets the traffic steps only UPSERT the configured weighted records', () => {
    for (const fn of ['ShiftTrafficLambdaRole', 'CompensateTrafficLambdaRole']) {
      const changes = iamStatements(template(region)).filter(({ owner, statement }) => owner === fn && [statement.Action].flat().includes('route53:ChangeResourceRecordSets'));
      expect(changes.length).toBeGreaterThan(0);
      for (const { statement } of changes) {
        const zone = resourceText(statement.Resource).split('/').pop()!;
        const records = appsIn(region).flatMap((app) => app.regions).filter((r) => r.route53.hostedZoneId === zone);
        expect(statement.Condition).toEqual({
          'ForAllValues:StringEquals': {
            'route53:ChangeResourceRecordSetsNormalizedRecordNames': [...new Set(records.map((r) => r.route53.recordName.toLowerCase()))].sort(),
            'route53:ChangeResourceRecordSetsRecordTypes': [...new Set(records.map((r) => r.route53.recordType))].sort(),
            'route53:ChangeResourceRecordSetsActions': ['UPSERT'],
          },
        });
      }
    }
  });

  it('lets the state machine invoke its step functions and nothing else', () => {
    const statements = iamStatements(template(region)).filter(({ owner }) => owner === 'FailoverStateMachineRole');
    const actions = [...new Set(statements.flatMap(({ statement }) => [statement.Action].flat()))].sort();
    expect(actions).toEqual(['lambda:InvokeFunction', 'xray:GetSamplingRules', 'xray:GetSamplingTargets', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments']);
    const invoked = new Set(
      statements
        .filter(({ statement }) => [statement.Action].flat().includes('lambda:InvokeFunction'))
        .flatMap(({ statement }) => [statement.Resource].flat())
        .map((r) => JSON.stringify(r).match(/"([A-Za-z]+)LambdaFunction"/)![1]),
    );
    expect(invoked).not.toContain('AlarmTrigger');
    expect(invoked).not.toContain('ManualTrigger');
    expect(invoked).not.toContain('SlackInteraction');
    expect(invoked.size).toBe(14);
  });

  it('keeps secrets out: no secret value, webhook URL or token anywhere, no secret-looking environment variable', () => {
    const { text } = packaged.get(region)!;
    expect(secretsIn(text, [...Object.values(SECRET_VALUES), 'hooks.slack.com', 'xoxb-', 'xoxp-'])).toEqual([]);
    expect(secretLookingEnvironment(template(region))).toEqual([]);
  });
});

describe('one role per function, each with only the calls that function makes', () => {
  const dynamodb = (...actions: string[]) => actions.map((a) => `dynamodb:${a}`);
  const base = ['logs:CreateLogStream', 'logs:PutLogEvents', 'xray:PutTelemetryRecords', 'xray:PutTraceSegments'];
  const slack = (region: string) => [
    ...(appsIn(region).some((app) => app.slack.webhook.secretsManager) ? ['secretsmanager:GetSecretValue'] : []),
    ...(appsIn(region).some((app) => app.slack.webhook.ssmParameter) ? ['ssm:GetParameter'] : []),
  ];
  const audit = dynamodb('GetItem', 'PutItem', 'Query');
  const expected = (region: string): Record<string, string[]> => ({
    alarmTrigger: ['states:StartExecution', ...dynamodb('BatchGetItem', 'DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'), ...slack(region), 'cloudwatch:GetMetricData', 'route53:GetHealthCheckStatus', 'sqs:SendMessage'],
    manualTrigger: ['states:StartExecution', ...dynamodb('DeleteItem', 'GetItem', 'PutItem', 'UpdateItem'), ...slack(region)],
    acquireLock: [...dynamodb('GetItem', 'PutItem', 'Query', 'UpdateItem')],
    preflight: ['eks:DescribeCluster', 'eks:DescribeNodegroup', 'route53:GetHealthCheckStatus', 'route53:ListResourceRecordSets', ...audit],
    promoteNodegroups: ['eks:DescribeNodegroup', 'eks:UpdateNodegroupConfig', ...audit],
    scaleDeployments: ['eks:DescribeCluster', ...audit],
    startRestore: ['eks:DescribeCluster', ...audit],
    awaitRestore: ['eks:DescribeCluster', ...audit],
    shiftTraffic: ['route53:ChangeResourceRecordSets', 'route53:GetHealthCheckStatus', 'route53:ListResourceRecordSets', ...audit],
    // the example configuration has no health-check gates: no GetHealthCheck/UpdateHealthCheck (test/deploy/data-plane-iam.test.ts)
    shiftTrafficDataPlane: ['route53:GetHealthCheckStatus', 'route53:ListResourceRecordSets', ...audit],
    awaitTrafficSync: ['route53:GetChange', ...audit],
    verify: ['cloudwatch:DescribeAlarms', 'route53:GetHealthCheckStatus', ...audit],
    compensateTraffic: ['route53:ChangeResourceRecordSets', 'route53:ListResourceRecordSets', ...audit],
    notify: [...slack(region), ...dynamodb('DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem')],
    releaseLock: [...dynamodb('DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem')],
    approvalGate: [...slack(region), 'states:SendTaskFailure', 'states:SendTaskSuccess', ...dynamodb('GetItem', 'PutItem', 'Query', 'UpdateItem')],
    slackInteraction: [...slack(region), 'states:SendTaskFailure', 'states:SendTaskSuccess', ...dynamodb('GetItem', 'PutItem', 'Query', 'UpdateItem')],
    failback: [
      ...slack(region),
      ...dynamodb('DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem'),
      'cloudwatch:DescribeAlarms',
      'eks:DescribeCluster',
      'eks:DescribeNodegroup',
      'eks:UpdateNodegroupConfig',
      'route53:ChangeResourceRecordSets',
      'route53:GetChange',
      'route53:GetHealthCheckStatus',
      'route53:ListResourceRecordSets',
    ],
    drill: [...slack(region), ...dynamodb('GetItem', 'PutItem', 'Query', 'UpdateItem'), 'cloudwatch:DescribeAlarms', 'route53:GetHealthCheckStatus'],
    evacuateTrigger: ['states:StartExecution', ...dynamodb('BatchGetItem', 'GetItem', 'PutItem')],
    evacuationSnapshot: ['cloudwatch:GetMetricData', 'route53:GetHealthCheckStatus', 'route53:ListResourceRecordSets', ...audit],
    evacuationResolve: [],
    evacuationPreflight: ['eks:DescribeCluster', 'eks:DescribeNodegroup', 'route53:GetHealthCheckStatus', ...audit],
    evacuationShift: ['cloudwatch:GetMetricData', 'route53:ChangeResourceRecordSets', 'route53:GetHealthCheckStatus', 'route53:ListResourceRecordSets', ...audit],
    evacuationAwaitSync: ['cloudwatch:DescribeAlarms', 'cloudwatch:GetMetricData', 'route53:GetChange', ...audit],
    evacuationVerify: ['cloudwatch:DescribeAlarms', 'cloudwatch:GetMetricData', 'route53:GetHealthCheckStatus', ...audit],
    evacuationSummarize: [...slack(region), 'cloudwatch:GetMetricData', ...dynamodb('DeleteItem', 'GetItem', 'PutItem', 'Query', 'UpdateItem')],
  });

  it('covers every function of serverless.yml', () => {
    expect(Object.keys(expected(HOME)).sort()).toEqual([...functions].sort());
  });

  it.each(functions.flatMap((fn) => [HOME, OTHER].map((region) => [fn, region] as const)))('%s in %s', (fn, region) => {
    expect(allowedActions(template(region), `${logicalId(fn)}LambdaRole`)).toEqual([...new Set([...base, ...expected(region)[fn]!])].sort());
  });
});

describe('the DynamoDB tables: global tables created by the home region stack', () => {
  const tables = ['AuditTable', 'LocksTable', 'IdempotencyTable'];
  /** Evaluates the template's IsHomeRegion condition for a deployment in `region`. */
  const isHome = (t: Template, region: string) => {
    const [left, right] = (t.Conditions!.IsHomeRegion as { 'Fn::Equals': [unknown, unknown] })['Fn::Equals'];
    const value = (v: unknown) => (JSON.stringify(v) === '{"Ref":"AWS::Region"}' ? region : v);
    return value(left) === value(right);
  };

  it.each(tables)('%s is a global table with a replica in every participating region, each with PITR and deletion protection', (id) => {
    const table = template(HOME).Resources[id]!;
    expect(table.Type).toBe('AWS::DynamoDB::GlobalTable');
    expect(table).toMatchObject({ Condition: 'IsHomeRegion', DeletionPolicy: 'Retain' });
    expect(table.Properties).toMatchObject({ BillingMode: 'PAY_PER_REQUEST', StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' } });
    expect(table.Properties.Replicas).toEqual(participating.map((Region) => ({ Region, DeletionProtectionEnabled: true, PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })));
  });

  it('creates the tables in the home region only', () => {
    expect(participating[0]).toBe(HOME);
    expect(isHome(template(HOME), HOME)).toBe(true);
    expect(isHome(template(OTHER), OTHER)).toBe(false);
    for (const id of tables) expect(template(OTHER).Resources[id]!.Condition).toBe('IsHomeRegion');
  });

  it('refers to the tables by name, never by Ref or GetAtt (they do not exist in the other stacks)', () => {
    const text = packaged.get(OTHER)!.text;
    for (const id of tables) {
      expect(text).not.toContain(`{"Ref":"${id}"}`);
      expect(text).not.toContain(`"Fn::GetAtt":["${id}"`);
    }
  });
});

describe('cross-region routing of alarms to the stack that acts on them', () => {
  const forwardingRules = (region: string) =>
    ofType(template(region), 'AWS::Events::Rule').filter(([, rule]) => rule.Properties.Targets.some((t: { Arn: unknown }) => resourceText(t.Arn).includes(':event-bus/default')));
  const receivingRule = (region: string) =>
    ofType(template(region), 'AWS::Events::Rule').find(([, rule]) => JSON.stringify(rule.Properties.Targets).includes('AlarmTriggerLambdaFunction'))![1];
  /** The destination regions whose bus some forwarding rule of `region` would deliver `event` to. */
  const forwardedTo = (region: string, event: Record<string, unknown>) =>
    forwardingRules(region)
      .filter(([, rule]) => matches(rule.Properties.EventPattern, event, region))
      .map(([, rule]) => arnIn(rule.Properties.Targets[0].Arn, region).split(':')[3]);

  it.each(alarms.filter((a) => a.livesIn === HOME))('forwards $name (living in us-east-1, meaning $failing) to every other region of its app: $hearing', (alarm) => {
    expect(forwardedTo(HOME, alarmEvent(alarm.name, alarm.livesIn)).sort()).toEqual(alarm.hearing.filter((r) => r !== HOME));
  });

  it('routes an alarm of a three-region app to both other regions, so a second failing region cannot swallow it', () => {
    const alarm = alarms.find((a) => a.name === 'checkout-use1-health')!;
    expect(alarm.hearing).toEqual(['eu-west-1', 'us-west-2']);
    expect(forwardedTo(HOME, alarmEvent(alarm.name, alarm.livesIn)).sort()).toEqual(['eu-west-1', 'us-west-2']);
    expect(matches(receivingRule(OTHER).Properties.EventPattern, alarmEvent(alarm.name, alarm.livesIn), OTHER)).toBe(true);
    // never to the failing region's own stack
    expect(matches(receivingRule(HOME).Properties.EventPattern, alarmEvent(alarm.name, alarm.livesIn), HOME)).toBe(false);
  });

  it('forwards with a role that may only PutEvents on those regions\' default buses, failures to the dead-letter queue', () => {
    const rules = forwardingRules(HOME);
    expect(rules.length).toBeGreaterThan(0);
    const destinations = rules.map(([, rule]) => rule.Properties.Targets[0].Arn);
    for (const [, rule] of rules) {
      expect(rule.Properties.Targets).toEqual([expect.objectContaining({ RoleArn: { 'Fn::GetAtt': ['AlarmRoutingRole', 'Arn'] }, DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['TriggerDeadLetterQueue', 'Arn'] } } })]);
    }
    const role = template(HOME).Resources.AlarmRoutingRole!;
    expect(role.Properties.AssumeRolePolicyDocument.Statement[0].Principal).toEqual({ Service: 'events.amazonaws.com' });
    expect(iamStatements(template(HOME)).filter(({ owner }) => owner === 'AlarmRoutingRole').map(({ statement }) => statement)).toEqual([
      { Effect: 'Allow', Action: ['events:PutEvents'], Resource: destinations },
    ]);
  });

  it.each(alarms.filter((a) => appsIn(OTHER).some((app) => app.name === a.app)))(
    'eu-west-1 hears $name (meaning $failing, living in $livesIn) exactly when it is another region of the app',
    (alarm) => {
      const pattern = receivingRule(OTHER).Properties.EventPattern;
      expect(matches(pattern, alarmEvent(alarm.name, alarm.livesIn), OTHER)).toBe(alarm.hearing.includes(OTHER));
    },
  );

  it('delivers what eu-west-1 hears from wherever it lives: directly, or through the forwarding rule of its region', () => {
    for (const alarm of alarms.filter((a) => a.hearing.includes(OTHER))) {
      if (alarm.livesIn === HOME) expect(forwardedTo(HOME, alarmEvent(alarm.name, alarm.livesIn))).toContain(OTHER);
    }
    // eu-west-1's own alarms leave through its own forwarding rules, to every other region of their app.
    for (const alarm of alarms.filter((a) => a.livesIn === OTHER)) {
      expect(forwardedTo(OTHER, alarmEvent(alarm.name, alarm.livesIn)).sort()).toEqual(alarm.hearing.filter((r) => r !== OTHER));
    }
  });

  it('sends what it hears to the alarm trigger, undeliverable events to the dead-letter queue', () => {
    for (const region of [HOME, OTHER]) {
      expect(receivingRule(region).Properties.Targets).toEqual([
        expect.objectContaining({ Arn: { 'Fn::GetAtt': ['AlarmTriggerLambdaFunction', 'Arn'] }, DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['TriggerDeadLetterQueue', 'Arn'] } } }),
      ]);
      expect(receivingRule(region).Properties.EventPattern.detail).toEqual({ state: { value: ['ALARM'] } });
    }
  });
});

describe('dead-letter queue and the orchestrator\'s own alarms', () => {
  it('sends failed asynchronous trigger invocations and undeliverable SNS notifications to an encrypted queue', () => {
    const t = template(HOME);
    expect(t.Resources.TriggerDeadLetterQueue).toMatchObject({ Type: 'AWS::SQS::Queue', Properties: { SqsManagedSseEnabled: true } });
    const [[, invokeConfig]] = ofType(t, 'AWS::Lambda::EventInvokeConfig') as [[string, Template['Resources'][string]]];
    expect(invokeConfig.Properties).toMatchObject({ FunctionName: { Ref: 'AlarmTriggerLambdaFunction' }, DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': ['TriggerDeadLetterQueue', 'Arn'] } } } });
    expect(t.Resources.AlarmTopicSubscription!.Properties).toMatchObject({ Protocol: 'lambda', Endpoint: { 'Fn::GetAtt': ['AlarmTriggerLambdaFunction', 'Arn'] }, RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': ['TriggerDeadLetterQueue', 'Arn'] } } });
    const principals = t.Resources.TriggerDeadLetterQueuePolicy!.Properties.PolicyDocument.Statement.map((s: { Principal: { Service: string } }) => s.Principal.Service);
    expect(principals.sort()).toEqual(['events.amazonaws.com', 'sns.amazonaws.com']);
  });

  it('lets alarms reach the trigger the two other ways: the SNS topic and alarm actions invoking it directly', () => {
    expect(ofType(template(HOME), 'AWS::Lambda::Permission').map(([, r]) => r.Properties.Principal)).toEqual(
      expect.arrayContaining(['lambda.alarms.cloudwatch.amazonaws.com', 'sns.amazonaws.com', 'events.amazonaws.com']),
    );
  });

  it.each([HOME, OTHER])('pages the ops topic on failed, timed-out and aborted executions, trigger errors and a non-empty dead-letter queue (%s)', (region) => {
    const selfAlarms = ofType(template(region), 'AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
    const watched = selfAlarms.map((a) => `${a.Namespace} ${a.MetricName} ${JSON.stringify(a.Dimensions[0].Value)}`);
    expect(watched).toEqual(
      expect.arrayContaining([
        'AWS/States ExecutionsFailed {"Ref":"FailoverStateMachine"}',
        'AWS/States ExecutionsTimedOut {"Ref":"FailoverStateMachine"}',
        'AWS/States ExecutionsAborted {"Ref":"FailoverStateMachine"}',
        'AWS/Lambda Errors {"Ref":"AlarmTriggerLambdaFunction"}',
        'AWS/SQS ApproximateNumberOfMessagesVisible {"Fn::GetAtt":["TriggerDeadLetterQueue","QueueName"]}',
      ]),
    );
    const depth = selfAlarms.find((a) => a.MetricName === 'ApproximateNumberOfMessagesVisible')!;
    expect(depth).toMatchObject({ Threshold: 0, ComparisonOperator: 'GreaterThanThreshold' });
    for (const alarm of selfAlarms) expect(alarm.AlarmActions).toEqual([{ Ref: 'OpsTopic' }]);
  });

  it('pages when a cross-region forward fails', () => {
    const forwarding = ofType(template(HOME), 'AWS::CloudWatch::Alarm').filter(([, a]) => a.Properties.MetricName === 'FailedInvocations');
    expect(forwarding.length).toBe(ofType(template(HOME), 'AWS::Events::Rule').length - 1);
  });
});

describe('EKS access entries', () => {
  const kubernetesRoles = ['PreflightLambdaRole', 'ScaleDeploymentsLambdaRole', 'StartRestoreLambdaRole', 'AwaitRestoreLambdaRole', 'EvacuationPreflightLambdaRole'];

  it.each([HOME, OTHER])('map the roles that call the Kubernetes API to groups of their own, for the clusters of %s only', (region) => {
    const entries = ofType(template(region), 'AWS::EKS::AccessEntry').map(([, e]) => e.Properties);
    const clusters = appsIn(region).flatMap((app) => app.regions.filter((r) => r.name === region).map((r) => r.eks.cluster));
    expect([...new Set(entries.map((e) => e.ClusterName))].sort()).toEqual([...clusters].sort());
    for (const cluster of clusters) {
      const forCluster = entries.filter((e) => e.ClusterName === cluster);
      expect(forCluster.map((e) => e.PrincipalArn['Fn::GetAtt'][0]).sort()).toEqual([...kubernetesRoles].sort());
    }
    for (const entry of entries) {
      expect(entry).toMatchObject({ Type: 'STANDARD', KubernetesGroups: [expect.stringMatching(/^lifeboat-/)] });
      expect(entry).not.toHaveProperty('AccessPolicies');
    }
  });
});

describe('the bundles', () => {
  it('load and answer at cold start, reading the configuration they carry', async () => {
    const dir = packaged.get(OTHER)!.dir;
    const listing = execFileSync('unzip', ['-l', join(dir, 'preflight.zip')]).toString();
    expect(listing).toContain('lifeboat.config.yaml');
    expect(listing).toContain('functions/preflight.mjs');
    // Unpacked inside the repository so that the AWS SDK (provided by the Lambda runtime, excluded
    // from the bundles) resolves from node_modules, as it does from the runtime's own path on AWS.
    const taskRoot = mkdtempSync(join(process.cwd(), '.bundle-test-'));
    try {
      for (const fn of ['alarmTrigger', 'preflight']) execFileSync('unzip', ['-q', '-o', join(dir, `${fn}.zip`), '-d', taskRoot]);
      const env = { ...process.env, LAMBDA_TASK_ROOT: taskRoot, FAILOVER_STATE_MACHINE_ARN: 'arn:aws:states:eu-west-1:000000000000:stateMachine:lifeboat-test-failover', POWERTOOLS_LOG_LEVEL: 'SILENT' };
      const script = `
        const trigger = await import('./functions/alarm-trigger.mjs');
        const preflight = await import('./functions/preflight.mjs');
        const event = JSON.parse(process.argv[1]);
        const ignored = await trigger.handler(event, { functionName: 'alarmTrigger', awsRequestId: 'x', getRemainingTimeInMillis: () => 1000 });
        const refused = await preflight.handler({}, { functionName: 'preflight', awsRequestId: 'y', getRemainingTimeInMillis: () => 1000 }).catch((e) => e.name);
        console.log(JSON.stringify({ ignored, refused }));`;
      const event = JSON.parse(readFileSync('test/fixtures/alarm-events/eventbridge-metric.json', 'utf8'));
      const output = execFileSync('node', ['--input-type=module', '-e', script, JSON.stringify(event)], { cwd: taskRoot, env }).toString();
      expect(JSON.parse(output)).toEqual({ ignored: { started: [], ignored: [{ alarmName: 'ServerCpuTooHigh', reason: 'alarm not configured in us-east-1' }] }, refused: 'InputValidationError' });
    } finally {
      rmSync(taskRoot, { recursive: true, force: true });
    }
  });
});
