import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { readServerlessYml } from '../support/serverless.js';

/*
 * `serverless package` offline (osls, dummy credentials): the CloudFormation template that
 * `serverless deploy` would ship. Slow-ish (esbuild bundles eleven functions), so done once.
 */

type Resource = { Type: string; Properties: Record<string, any> };
let dir: string;
let resources: Record<string, Resource>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'lifeboat-package-'));
  execFileSync('npx', ['serverless', 'package', '--stage', 'test', '--region', 'eu-west-1', '--package', dir], {
    env: { ...process.env, SLS_TELEMETRY_DISABLED: '1', SLS_NOTIFICATIONS_MODE: 'off', AWS_ACCESS_KEY_ID: 'offline', AWS_SECRET_ACCESS_KEY: 'offline' },
    stdio: 'pipe',
  });
  resources = JSON.parse(readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8')).Resources;
}, 180_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

describe('the packaged CloudFormation template', () => {
  const functions = Object.keys(readServerlessYml().functions);

  it('contains every function, on nodejs22.x, each bundled alone with the configuration', () => {
    const lambdas = ofType('AWS::Lambda::Function');
    expect(lambdas).toHaveLength(functions.length);
    for (const [, fn] of lambdas) expect(fn.Properties.Runtime).toBe('nodejs22.x');
    const zips = readdirSync(dir).filter((f) => f.endsWith('.zip'));
    expect(zips.sort()).toEqual(functions.map((f) => `${f}.zip`).sort());
    const listing = execFileSync('unzip', ['-l', join(dir, 'preflight.zip')]).toString();
    expect(listing).toContain('lifeboat.config.yaml');
    expect(listing).toContain('functions/preflight.mjs');
  });

  it('wires the failover state machine to the step functions', () => {
    const [[, machine]] = ofType('AWS::StepFunctions::StateMachine') as [[string, Resource]];
    const [, substitutions] = machine.Properties.DefinitionString['Fn::Sub'] as [string, Record<string, { 'Fn::GetAtt': [string, string] }>];
    const wired = new Set(Object.values(substitutions).map((v) => v['Fn::GetAtt'][0]));
    expect([...wired].sort()).toEqual(
      ['AcquireLockLambdaFunction', 'AwaitRestoreLambdaFunction', 'CompensateTrafficLambdaFunction', 'AwaitTrafficSyncLambdaFunction', 'NotifyLambdaFunction', 'PreflightLambdaFunction', 'PromoteNodegroupsLambdaFunction', 'ReleaseLockLambdaFunction', 'ScaleDeploymentsLambdaFunction', 'ShiftTrafficLambdaFunction', 'StartRestoreLambdaFunction', 'VerifyLambdaFunction'].sort(),
    );
  });

  it('routes CloudWatch alarm state changes into ALARM to the alarm trigger', () => {
    const rules = ofType('AWS::Events::Rule').map(([, r]) => r.Properties);
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          EventPattern: { source: ['aws.cloudwatch'], 'detail-type': ['CloudWatch Alarm State Change'], detail: { state: { value: ['ALARM'] } } },
          Targets: [expect.objectContaining({ Arn: { 'Fn::GetAtt': ['AlarmTriggerLambdaFunction', 'Arn'] } })],
        }),
      ]),
    );
  });

  it('lets alarms reach the trigger the two other ways: an SNS topic and alarm actions invoking it directly', () => {
    const [[, topic]] = ofType('AWS::SNS::Topic') as [[string, Resource]];
    expect(topic.Properties.Subscription).toEqual([{ Protocol: 'lambda', Endpoint: { 'Fn::GetAtt': ['AlarmTriggerLambdaFunction', 'Arn'] } }]);
    expect(ofType('AWS::Lambda::Permission').map(([, r]) => r.Properties.Principal)).toEqual(expect.arrayContaining(['lambda.alarms.cloudwatch.amazonaws.com', 'sns.amazonaws.com', 'events.amazonaws.com']));
  });

  it('names the configured resources in IAM instead of "*"', () => {
    const [[, role]] = ofType('AWS::IAM::Role').filter(([name]) => name === 'IamRoleLambdaExecution') as [[string, Resource]];
    const statements = role.Properties.Policies[0].PolicyDocument.Statement as { Action: string[]; Resource: unknown }[];
    const text = JSON.stringify(statements);
    expect(text).toContain('arn:aws:route53:::hostedzone/Z0PAYMENTS00000000001');
    expect(text).toContain(':cluster/payments-usw2');
    // X-Ray's PutTraceSegments/PutTelemetryRecords have no resource-level permissions: "*" is the only form.
    const noResourceLevelPermissions = new Set(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']);
    const wildcards = statements.filter((s) => s.Resource === '*' || (Array.isArray(s.Resource) && s.Resource.includes('*')));
    expect(wildcards.flatMap((s) => s.Action).filter((action) => !noResourceLevelPermissions.has(action))).toEqual([]);
    expect(statements.flatMap((s) => s.Action).filter((a) => a.includes('*'))).toEqual([]);
  });

  it('ships bundles that load and answer at cold start, reading the configuration they carry', async () => {
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

  it('keeps secrets out of the template: no webhook URL anywhere', () => {
    const template = readFileSync(join(dir, 'cloudformation-template-update-stack.json'), 'utf8');
    expect(template).not.toMatch(/hooks\.slack\.com/);
  });
});
