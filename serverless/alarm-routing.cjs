// Which stack hears which alarm. An alarm means "region X is failing for app A"; it is routed to the
// stacks of ALL of A's other regions, never X's own, so the failing region's Step Functions and
// tables are never in the path, and a second failing region cannot swallow the alarm. Alarms live
// where CloudWatch keeps them (Route 53 health-check alarms: us-east-1 only), so each stack forwards
// the state changes of the alarms living in its region to the default event bus of every region that
// hears them, and each stack's receiving rule (serverless.yml, alarmTrigger) matches those it hears.
//
// Why only one of them acts: the locks are DynamoDB global tables, whose conditional writes are only
// consistent within one region (replication is last-writer-wins), so two regions starting executions
// for one incident could both take the lock. Each stack that hears an alarm applies the same rule
// (src/domain/acting-region.ts: the first of A's other regions, in priority order, whose Route 53
// health check is healthy) to the same global input, and only the stack it names goes on, so the
// lock's conditional write happens in one place.
const { regionId, stackContext } = require('./lifeboat-config.cjs');

/** Every configured alarm: the app and region it means, where it lives, and the regions whose stacks hear it (the app's others). */
function alarmRoutes(config) {
  return (config.apps || []).flatMap((app) =>
    (app.regions || []).flatMap((region) => {
      const hearing = (app.regions || []).filter((other) => other.name !== region.name).map((other) => other.name);
      return (region.alarms || []).map((alarm) => ({
        app: app.name,
        name: alarm.name,
        failingRegion: region.name,
        livesIn: alarm.region || region.name,
        hearingRegions: hearing,
      }));
    }),
  );
}

const alarmArn = (route) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:cloudwatch:${route.livesIn}:\${AWS::AccountId}:alarm:${route.name}` });

/** The alarms the stack in `region` hears (wherever they live): those of its apps' other regions. */
const receivedIn = (config, region) => alarmRoutes(config).filter((route) => route.hearingRegions.includes(region));

/** Per destination region, the alarms living in `region` that another region's stack hears. */
function forwardedFrom(config, region) {
  const byDestination = new Map();
  for (const route of alarmRoutes(config)) {
    if (route.livesIn !== region) continue;
    for (const destination of route.hearingRegions) {
      if (destination === region) continue;
      byDestination.set(destination, [...(byDestination.get(destination) || []), route]);
    }
  }
  return byDestination;
}

/** A CloudWatch "Alarm State Change" into ALARM of one of `routes` (matched by alarm ARN: name and region). */
function alarmPattern(routes) {
  return {
    source: ['aws.cloudwatch'],
    'detail-type': ['CloudWatch Alarm State Change'],
    resources: routes.map(alarmArn),
    detail: { state: { value: ['ALARM'] } },
  };
}

/** The receiving rule's ARN list, for serverless.yml (an ARN no alarm has when the stack hears none). */
async function received(context) {
  const { config, region, prefix } = await stackContext(context);
  const routes = receivedIn(config, region);
  return routes.length > 0 ? routes.map(alarmArn) : [{ 'Fn::Sub': `arn:\${AWS::Partition}:cloudwatch:${region}:\${AWS::AccountId}:alarm:${prefix}-acts-on-no-alarm-here` }];
}

/**
 * One forwarding rule per destination region (one target each: a rule takes at most five), the
 * role EventBridge assumes to PutEvents on those default buses (same account, so no bus policy is
 * needed), and failed deliveries to the trigger dead-letter queue. Event bus targets take no retry
 * policy; EventBridge retries them for 24 hours.
 */
async function resources(context) {
  const { config, region, prefix } = await stackContext(context);
  const destinations = forwardedFrom(config, region);
  if (destinations.size === 0) return { Resources: {} };
  const bus = (destination) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:events:${destination}:\${AWS::AccountId}:event-bus/default` });
  const Resources = {
    AlarmRoutingRole: {
      Type: 'AWS::IAM::Role',
      Properties: {
        Description: `EventBridge in ${region}: forward Lifeboat alarm state changes to the regions whose stacks hear them`,
        AssumeRolePolicyDocument: {
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sts:AssumeRole', Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } } }],
        },
        Policies: [
          {
            PolicyName: 'put-events-on-hearing-regions',
            PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['events:PutEvents'], Resource: [...destinations.keys()].map(bus) }] },
          },
        ],
      },
    },
  };
  for (const [destination, routes] of destinations) {
    Resources[`AlarmRouteTo${regionId(destination)}`] = {
      Type: 'AWS::Events::Rule',
      Properties: {
        Name: `${prefix}-alarms-to-${destination}`,
        Description: `Alarms living in ${region} that the Lifeboat stack in ${destination} hears (and acts on when it is the acting region): ${[...new Set(routes.map((r) => r.name))].join(', ')}`.slice(0, 512),
        EventPattern: alarmPattern(routes),
        State: 'ENABLED',
        Targets: [{ Id: `${destination}-default-bus`, Arn: bus(destination), RoleArn: { 'Fn::GetAtt': ['AlarmRoutingRole', 'Arn'] }, DeadLetterConfig: { Arn: { 'Fn::GetAtt': ['TriggerDeadLetterQueue', 'Arn'] } } }],
      },
    };
    // A forward that fails means the region that should act may never hear the alarm: page.
    Resources[`AlarmRouteTo${regionId(destination)}FailedAlarm`] = {
      Type: 'AWS::CloudWatch::Alarm',
      Properties: {
        AlarmName: `${prefix}-alarms-to-${destination}-failed`,
        AlarmDescription: `Lifeboat could not forward alarm state changes from ${region} to ${destination} (see the trigger dead-letter queue)`,
        Namespace: 'AWS/Events',
        MetricName: 'FailedInvocations',
        Dimensions: [{ Name: 'RuleName', Value: { Ref: `AlarmRouteTo${regionId(destination)}` } }],
        Statistic: 'Sum',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
        AlarmActions: [{ Ref: 'OpsTopic' }],
        OKActions: [{ Ref: 'OpsTopic' }],
      },
    };
  }
  return { Resources };
}

module.exports = { alarmRoutes, receivedIn, forwardedFrom, alarmPattern, received, resources };
