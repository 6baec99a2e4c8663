// One IAM role per function, each allowed only the calls that function makes (read from its entry
// point in functions/ and the adapters it reaches in src/), on the resources lifeboat.config.yaml
// names. serverless.yml gives each function `role: <Name>LambdaRole`.
//
// Scope: a stack covers the apps that run in its region (the alarms it hears are theirs, see
// alarm-routing.cjs), so its roles name those apps' zones, health checks, clusters, node groups,
// alarms and Slack secrets, across all of those apps' regions (preflight may settle on a later
// standby). Tables and secrets are the stack's own region's: global-table replicas and per-region
// secrets, so nothing reaches into another region's copy.
//
// No "*" action anywhere. "*" resources only where the API has no resource-level permission; each
// such statement carries a Sid saying so (the template tests allow exactly these).
const { appsIn, stackContext } = require('./lifeboat-config.cjs');
const { derive } = require('./iam-resources.cjs');

const allow = (actions, resource, extra = {}) => ({ Effect: 'Allow', Action: actions, Resource: resource, ...extra });

/** The statements each function needs, by function key (serverless.yml `functions:`). */
function grants({ apps, tables, stateMachineName, evacuationStateMachineName }) {
  const audit = {
    // Append-only trail: Query finds the last record, PutItem appends (conditional), GetItem checks a lost answer.
    steps: allow(['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem'], derive.table(tables.audit)),
    // Triggers only leave receipts (one conditional PutItem per delivery).
    receipts: allow(['dynamodb:PutItem'], derive.table(tables.audit)),
  };
  const locks = (actions) => allow(actions.map((a) => `dynamodb:${a}`), derive.table(tables.locks));
  const slackSecrets = [
    ...(derive.secrets(apps).length ? [allow(['secretsmanager:GetSecretValue'], derive.secrets(apps))] : []),
    // SecureString with the AWS-managed aws/ssm key: its key policy lets SSM decrypt for callers allowed GetParameter.
    ...(derive.parameters(apps).length ? [allow(['ssm:GetParameter'], derive.parameters(apps))] : []),
  ];
  const readRecords = allow(['route53:ListResourceRecordSets'], derive.hostedZones(apps));
  // Only UPSERTs of the configured weighted records, zone by zone (Route 53's record-level condition keys).
  const changeRecords = derive.recordSets(apps).map((zone) =>
    allow(['route53:ChangeResourceRecordSets'], zone.zoneArn, {
      Condition: {
        'ForAllValues:StringEquals': {
          'route53:ChangeResourceRecordSetsNormalizedRecordNames': zone.names,
          'route53:ChangeResourceRecordSetsRecordTypes': zone.types,
          'route53:ChangeResourceRecordSetsActions': ['UPSERT'],
        },
      },
    }),
  );
  const healthChecks = allow(['route53:GetHealthCheckStatus'], derive.healthChecks(apps));
  // The health-check gates of data-plane failover (docs/data-plane.md): read a gate, set its HealthThreshold.
  const gates = derive.gates(apps).length ? [allow(['route53:GetHealthCheck', 'route53:UpdateHealthCheck'], derive.gates(apps))] : [];
  // Reaching a cluster's Kubernetes API: DescribeCluster gives endpoint and CA; the token is a
  // presigned sts:GetCallerIdentity, which needs no permission. RBAC comes from the access entry.
  const kubernetes = allow(['eks:DescribeCluster'], derive.clusters(apps));
  // Both triggers: take the app's lock (conditional PutItem/UpdateItem, GetItem of the holder,
  // DeleteItem when StartExecution fails), read cooldown and active region, post the
  // once-per-cooldown "suppressed" notice, start the execution.
  // Approvals: items `approval#<incident>` of the locks table (src/adapters/aws/dynamodb-approvals.ts).
  const approvals = (actions) =>
    allow(actions.map((a) => `dynamodb:${a}`), derive.table(tables.locks), { Condition: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': ['approval#*'] } } });
  // A task token names its task; SendTask* have no resource-level permissions.
  const taskCallbacks = allow(['states:SendTaskSuccess', 'states:SendTaskFailure'], '*', { Sid: 'TaskTokensHaveNoResourceLevelPermissions' });
  const trigger = [allow(['states:StartExecution'], derive.stateMachine(stateMachineName)), locks(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem']), ...slackSecrets];
  // GetMetricData has no resource-level permissions (its queries name the metrics).
  const healthMetrics = allow(['cloudwatch:GetMetricData'], '*', { Sid: 'GetMetricDataHasNoResourceLevelPermissions' });
  const getChange = allow(['route53:GetChange'], { 'Fn::Sub': 'arn:${AWS::Partition}:route53:::change/*' }, { Sid: 'ChangeIdsAreGeneratedPerRequest' });

  return {
    // Alarms also claim blast-radius counts (locks table), audit a refusal as a record (Query/GetItem/PutItem)
    // and read the candidates' health checks to tell whether this stack is the one that acts: their
    // CloudWatch metric, Route 53 itself when CloudWatch does not answer.
    // The app's active region, lock and cooldown in one BatchGetItem per transition.
    alarmTrigger: [...trigger, locks(['BatchGetItem']), audit.steps, healthMetrics, healthChecks, allow(['sqs:SendMessage'], { 'Fn::GetAtt': ['TriggerDeadLetterQueue', 'Arn'] })],
    // Manual requests only leave receipts in the trail.
    manualTrigger: [...trigger, audit.receipts],
    acquireLock: [locks(['GetItem', 'PutItem', 'UpdateItem']), audit.steps],
    // Node groups are read to refuse a target whose groups cannot scale.
    preflight: [kubernetes, allow(['eks:DescribeNodegroup'], derive.nodegroups(apps)), healthChecks, readRecords, audit.steps],
    promoteNodegroups: [allow(['eks:DescribeNodegroup', 'eks:UpdateNodegroupConfig'], derive.nodegroups(apps)), audit.steps],
    scaleDeployments: [kubernetes, audit.steps],
    startRestore: [kubernetes, audit.steps],
    awaitRestore: [kubernetes, audit.steps],
    // With route53.strategy health-checks, ShiftTraffic itself moves the gates.
    shiftTraffic: [readRecords, ...changeRecords, healthChecks, ...gates, audit.steps],
    // No ChangeResourceRecordSets: it is what failed.
    shiftTrafficDataPlane: [readRecords, healthChecks, ...gates, audit.steps],
    // Change ids are generated per request, so no narrower resource than change/* exists.
    awaitTrafficSync: [allow(['route53:GetChange'], { 'Fn::Sub': 'arn:${AWS::Partition}:route53:::change/*' }, { Sid: 'ChangeIdsAreGeneratedPerRequest' }), audit.steps],
    verify: [allow(['cloudwatch:DescribeAlarms'], derive.alarms(apps)), healthChecks, audit.steps],
    compensateTraffic: [readRecords, ...changeRecords, audit.steps],
    // Powertools idempotency records: conditional PutItem, GetItem, UpdateItem on completion, DeleteItem on failure.
    notify: [...slackSecrets, allow(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'], derive.table(tables.idempotency)), audit.steps],
    releaseLock: [locks(['PutItem', 'UpdateItem', 'DeleteItem']), audit.steps],
    // The approval question is an `approval#<incident>` item of the locks table: only those items.
    approvalGate: [approvals(['GetItem', 'PutItem', 'UpdateItem']), taskCallbacks, ...slackSecrets, audit.steps],
    slackInteraction: [approvals(['GetItem', 'UpdateItem']), taskCallbacks, ...slackSecrets, audit.steps],
    // Every failback step (statemachines/failback.asl.json): the app's lock and active region, the
    // weighted records, health checks and alarms of the primary, the standby's node groups and
    // Deployments (scale-down), Slack.
    failback: [
      locks(['GetItem', 'PutItem', 'UpdateItem', 'DeleteItem']),
      readRecords,
      ...changeRecords,
      allow(['route53:GetChange'], { 'Fn::Sub': 'arn:${AWS::Partition}:route53:::change/*' }, { Sid: 'ChangeIdsAreGeneratedPerRequest' }),
      healthChecks,
      allow(['cloudwatch:DescribeAlarms'], derive.alarms(apps)),
      allow(['eks:DescribeNodegroup', 'eks:UpdateNodegroupConfig'], derive.nodegroups(apps)),
      kubernetes,
      ...slackSecrets,
      audit.steps,
    ],
    // Region evacuation (statemachines/evacuation.asl.json). The trigger reads every app's active region by BatchGetItem (GetItem for keys left unprocessed).
    evacuateTrigger: [allow(['states:StartExecution'], derive.stateMachine(evacuationStateMachineName)), locks(['BatchGetItem', 'GetItem']), audit.receipts],
    // Each zone read once; target health in bulk from CloudWatch (Route 53 itself as the fallback).
    evacuationSnapshot: [readRecords, healthChecks, healthMetrics, audit.steps],
    // Builds each app's request from the bundled configuration: no AWS call.
    evacuationResolve: [],
    // Preflight from the snapshot: no Route 53 reads of its own.
    evacuationPreflight: [kubernetes, allow(['eks:DescribeNodegroup'], derive.nodegroups(apps)), healthChecks, audit.steps],
    evacuationShift: [readRecords, ...changeRecords, healthChecks, healthMetrics, audit.steps],
    evacuationAwaitSync: [getChange, healthMetrics, allow(['cloudwatch:DescribeAlarms'], derive.alarms(apps)), audit.steps],
    evacuationVerify: [allow(['cloudwatch:DescribeAlarms'], derive.alarms(apps)), healthChecks, healthMetrics, audit.steps],
    evacuationSummarize: [...slackSecrets, healthMetrics, allow(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'], derive.table(tables.idempotency)), audit.steps],
    // The drill's own steps: plan (active region), hold (lock renewal, verification), report (Slack).
    drill: [locks(['GetItem', 'PutItem', 'UpdateItem']), healthChecks, allow(['cloudwatch:DescribeAlarms'], derive.alarms(apps)), ...slackSecrets, audit.steps],
  };
}

const roleId = (fn) => `${fn[0].toUpperCase()}${fn.slice(1)}LambdaRole`;

/** `{ Resources }` for serverless.yml: the role of every function, for the stack being packaged. */
async function resources(context) {
  const { config, region, prefix } = await stackContext(context);
  const tables = await context.resolveConfigurationProperty(['custom', 'tables']);
  const stateMachineName = await context.resolveConfigurationProperty(['custom', 'failoverStateMachineName']);
  const evacuationStateMachineName = await context.resolveConfigurationProperty(['custom', 'evacuationStateMachineName']);
  const functions = Object.keys(await context.resolveConfigurationProperty(['functions']));
  const byFunction = grants({ apps: appsIn(config, region), tables, stateMachineName, evacuationStateMachineName });
  const unknown = functions.filter((fn) => !byFunction[fn]);
  if (unknown.length) throw new Error(`serverless/roles.cjs: no grants for function(s) ${unknown.join(', ')}; add what they call`);

  const Resources = {};
  for (const fn of functions) {
    Resources[roleId(fn)] = {
      Type: 'AWS::IAM::Role',
      Properties: {
        Description: `Lifeboat ${fn} (${region}): only the calls it makes`,
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        },
        Policies: [
          {
            PolicyName: fn,
            PolicyDocument: {
              Version: '2012-10-17',
              Statement: [
                // Its own log group only (serverless.yml creates it; no logs:CreateLogGroup).
                allow(['logs:CreateLogStream', 'logs:PutLogEvents'], derive.logGroup(`${prefix}-${fn}`)),
                // X-Ray has no resource-level permissions for sending traces.
                allow(['xray:PutTraceSegments', 'xray:PutTelemetryRecords'], '*', { Sid: 'XRayHasNoResourceLevelPermissions' }),
                ...byFunction[fn],
              ],
            },
          },
        ],
      },
    };
  }
  // The drill state machine's own role (serverless.yml `role:`): the plugin's generated one would
  // grant DescribeExecution/StopExecution on "*", since it cannot derive execution ARNs from a Ref.
  if (functions.includes('drill')) Resources.DrillStateMachineExecutionRole = drillStateMachineRole(region, prefix, stateMachineName);
  if (functions.includes('evacuationShift')) Resources.EvacuationStateMachineExecutionRole = evacuationStateMachineRole(region, evacuationStateMachineName, functions);
  return { Resources };
}

/** Runs the drill: its own function, and the failover and failback executions it nests (`.sync:2`) and nothing else. */
function drillStateMachineRole(region, prefix, failoverName) {
  const nested = [failoverName, `${prefix}-failback`];
  const fn = { 'Fn::GetAtt': ['DrillLambdaFunction', 'Arn'] };
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      Description: `Lifeboat drill state machine (${region}): its function, the nested failover and failback`,
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      },
      Policies: [
        {
          PolicyName: 'drill-state-machine',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              allow(['lambda:InvokeFunction'], [fn, { 'Fn::Sub': ['${functionArn}:*', { functionArn: fn }] }]),
              allow(['states:StartExecution'], nested.map((name) => derive.stateMachine(name))),
              allow(['states:DescribeExecution', 'states:StopExecution'], nested.map((name) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:states:\${AWS::Region}:\${AWS::AccountId}:execution:${name}:*` }))),
              // `.sync` follows the nested executions through this Step Functions-managed rule.
              allow(['events:PutTargets', 'events:PutRule', 'events:DescribeRule'], { 'Fn::Sub': 'arn:${AWS::Partition}:events:${AWS::Region}:${AWS::AccountId}:rule/StepFunctionsGetEventsForStepFunctionsExecutionRule' }),
              allow(['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'], '*', { Sid: 'XRayHasNoResourceLevelPermissions' }),
            ],
          },
        },
      ],
    },
  };
}

/** The functions statemachines/evacuation.asl.json invokes (its own and the per-app steps it reuses). */
const EVACUATION_TASKS = [
  'evacuationSnapshot', 'evacuationResolve', 'acquireLock', 'evacuationPreflight', 'promoteNodegroups', 'scaleDeployments', 'startRestore',
  'awaitRestore', 'notify', 'releaseLock', 'evacuationShift', 'evacuationAwaitSync', 'evacuationVerify', 'compensateTraffic', 'evacuationSummarize',
];

/**
 * Runs an evacuation: its Tasks' functions, and the child executions of its Distributed Map states
 * (started by the state machine on itself, `execution:<name>/<map run>:<id>`), nothing else.
 */
function evacuationStateMachineRole(region, name, functions) {
  const missing = EVACUATION_TASKS.filter((fn) => !functions.includes(fn));
  if (missing.length) throw new Error(`serverless/roles.cjs: the evacuation state machine invokes function(s) serverless.yml lacks: ${missing.join(', ')}`);
  const arns = EVACUATION_TASKS.flatMap((fn) => {
    const arn = { 'Fn::GetAtt': [`${fn[0].toUpperCase()}${fn.slice(1)}LambdaFunction`, 'Arn'] };
    return [arn, { 'Fn::Sub': ['${functionArn}:*', { functionArn: arn }] }];
  });
  return {
    Type: 'AWS::IAM::Role',
    Properties: {
      Description: `Lifeboat evacuation state machine (${region}): its functions and its Distributed Map child executions`,
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'states.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      },
      Policies: [
        {
          PolicyName: 'evacuation-state-machine',
          PolicyDocument: {
            Version: '2012-10-17',
            Statement: [
              allow(['lambda:InvokeFunction'], arns),
              allow(['states:StartExecution'], derive.stateMachine(name)),
              allow(['states:DescribeExecution', 'states:StopExecution'], { 'Fn::Sub': `arn:\${AWS::Partition}:states:\${AWS::Region}:\${AWS::AccountId}:execution:${name}/*` }),
              allow(['xray:PutTraceSegments', 'xray:PutTelemetryRecords', 'xray:GetSamplingRules', 'xray:GetSamplingTargets'], '*', { Sid: 'XRayHasNoResourceLevelPermissions' }),
            ],
          },
        },
      ],
    },
  };
}

module.exports = { grants, resources, roleId };
