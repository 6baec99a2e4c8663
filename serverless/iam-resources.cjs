// The ARNs of the resources lifeboat.config.yaml names, so IAM names them instead of using "*".
// Every function takes the apps to cover (a stack covers the apps of its region: see roles.cjs).
// ARNs with `${AWS::...}` placeholders become Fn::Sub so CloudFormation fills the account in.
const { loadConfig } = require('./lifeboat-config.cjs');

/** Distinct ARNs, as template values. */
function arns(list) {
  return [...new Set(list)].map((arn) => (arn.includes('${AWS::') ? { 'Fn::Sub': arn } : arn));
}

const regionsOf = (apps) => apps.flatMap((app) => (app.regions || []).map((region) => ({ app, region })));
const zoneId = (id) => String(id).replace(/^\/hostedzone\//, '');

/**
 * A record name as Route 53's `ChangeResourceRecordSetsNormalizedRecordNames` condition key holds
 * it: lower case, no trailing dot, anything but a-z 0-9 - _ . as a three-digit octal escape.
 */
function normalizedRecordName(name) {
  return String(name)
    .toLowerCase()
    .replace(/\.$/, '')
    .replace(/[^a-z0-9\-_.]/g, (c) => `\\${c.charCodeAt(0).toString(8).padStart(3, '0')}`);
}

/** Secret references of the apps' Slack settings: the webhook, and the signing secret when configured. */
const slackSecretRefs = (apps) => apps.flatMap((app) => ['webhook', 'signingSecret'].map((key) => app.slack && app.slack[key]).filter(Boolean));

const hostedZones = (apps) => arns(regionsOf(apps).map(({ region }) => `arn:\${AWS::Partition}:route53:::hostedzone/${zoneId(region.route53.hostedZoneId)}`));

/** Per hosted zone, the weighted records the apps keep there (names normalised, types), for condition keys. */
function recordSets(apps) {
  const zones = new Map();
  for (const { region } of regionsOf(apps)) {
    const id = zoneId(region.route53.hostedZoneId);
    const zone = zones.get(id) || { zoneArn: { 'Fn::Sub': `arn:\${AWS::Partition}:route53:::hostedzone/${id}` }, names: new Set(), types: new Set() };
    zone.names.add(normalizedRecordName(region.route53.recordName));
    zone.types.add(String(region.route53.recordType).toUpperCase());
    zones.set(id, zone);
  }
  return [...zones.values()].map((zone) => ({ zoneArn: zone.zoneArn, names: [...zone.names].sort(), types: [...zone.types].sort() }));
}

const healthChecks = (apps) => arns(regionsOf(apps).map(({ region }) => `arn:\${AWS::Partition}:route53:::healthcheck/${region.route53.healthCheckId}`));

/** The health-check gates bound to the apps' weighted records (data-plane failover, docs/data-plane.md), where configured. */
const gates = (apps) => arns(regionsOf(apps).filter(({ region }) => region.route53.gateHealthCheckId).map(({ region }) => `arn:\${AWS::Partition}:route53:::healthcheck/${region.route53.gateHealthCheckId}`));

const clusters = (apps) => arns(regionsOf(apps).map(({ region }) => `arn:\${AWS::Partition}:eks:${region.name}:\${AWS::AccountId}:cluster/${region.eks.cluster}`));

const nodegroups = (apps) =>
  arns(
    regionsOf(apps).flatMap(({ region }) =>
      // The trailing segment is the node group's generated id, unknown before it exists.
      (region.eks.nodegroups || []).map((group) => `arn:\${AWS::Partition}:eks:${region.name}:\${AWS::AccountId}:nodegroup/${region.eks.cluster}/${group.name}/*`),
    ),
  );

/** The alarms mapped to the apps' regions, each in the region it lives in (health-check alarms: us-east-1). */
const alarms = (apps) =>
  arns(regionsOf(apps).flatMap(({ region }) => (region.alarms || []).map((alarm) => `arn:\${AWS::Partition}:cloudwatch:${alarm.region || region.name}:\${AWS::AccountId}:alarm:${alarm.name}`)));

/** Secrets Manager secrets named by the apps' Slack settings, in the stack's own region (stored once per region). */
const secrets = (apps) =>
  arns(
    slackSecretRefs(apps)
      .map((ref) => ref.secretsManager)
      .filter(Boolean)
      // Secrets Manager appends a random 6-character suffix to a secret's ARN.
      .map((name) => (name.startsWith('arn:') ? name : `arn:\${AWS::Partition}:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:${name}-??????`)),
  );

/** SSM SecureString parameters named by the apps' Slack settings, in the stack's own region. */
const parameters = (apps) =>
  arns(
    slackSecretRefs(apps)
      .map((ref) => ref.ssmParameter)
      .filter(Boolean)
      .map((name) => `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter/${name.replace(/^\//, '')}`),
  );

/** The local replica of a (global) table: every stack uses the one in its own region. */
const table = (name) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:dynamodb:\${AWS::Region}:\${AWS::AccountId}:table/${name}` });

const stateMachine = (name) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:states:\${AWS::Region}:\${AWS::AccountId}:stateMachine:${name}` });

const logGroup = (functionName) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:logs:\${AWS::Region}:\${AWS::AccountId}:log-group:/aws/lambda/${functionName}:*` });

// `${file(./serverless/iam-resources.cjs):clusters}` etc. still resolve, over every app of the configuration.
const all = (derive) => () => derive(loadConfig().apps || []);

module.exports = {
  arns,
  normalizedRecordName,
  derive: { hostedZones, recordSets, healthChecks, gates, clusters, nodegroups, alarms, secrets, parameters, table, stateMachine, logGroup },
  hostedZones: all(hostedZones),
  healthChecks: all(healthChecks),
  clusters: all(clusters),
  nodegroups: all(nodegroups),
  alarms: all(alarms),
  secrets: all(secrets),
  parameters: all(parameters),
};
