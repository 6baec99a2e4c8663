// Resolves, at package time, the ARNs of the resources lifeboat.config.yaml names, so the IAM
// policy in serverless.yml names them instead of using "*". Validating the file is the CLI's job
// (`lifeboat validate`); this reads only the fields it needs.
const { readFileSync } = require('node:fs');
const { resolve } = require('node:path');
const { parse } = require('yaml');

function regions() {
  const config = parse(readFileSync(resolve(__dirname, '..', 'lifeboat.config.yaml'), 'utf8'));
  return (config.apps || []).flatMap((app) => (app.regions || []).map((region) => ({ app, region })));
}

/** Distinct ARNs; those with `${AWS::...}` placeholders become Fn::Sub so CloudFormation fills the account in. */
function arns(list) {
  return [...new Set(list)].map((arn) => (arn.includes('${AWS::') ? { 'Fn::Sub': arn } : arn));
}

const zoneId = (id) => String(id).replace(/^\/hostedzone\//, '');
const webhooks = () => regions().map(({ app }) => (app.slack && app.slack.webhook) || {});

module.exports = {
  hostedZones: () => arns(regions().map(({ region }) => `arn:aws:route53:::hostedzone/${zoneId(region.route53.hostedZoneId)}`)),
  healthChecks: () => arns(regions().map(({ region }) => `arn:aws:route53:::healthcheck/${region.route53.healthCheckId}`)),
  clusters: () => arns(regions().map(({ region }) => `arn:\${AWS::Partition}:eks:${region.name}:\${AWS::AccountId}:cluster/${region.eks.cluster}`)),
  nodegroups: () =>
    arns(
      regions().flatMap(({ region }) =>
        // The trailing segment is the node group's generated id, unknown before it exists.
        (region.eks.nodegroups || []).map((group) => `arn:\${AWS::Partition}:eks:${region.name}:\${AWS::AccountId}:nodegroup/${region.eks.cluster}/${group.name}/*`),
      ),
    ),
  alarms: () =>
    arns(regions().flatMap(({ region }) => (region.alarms || []).map((alarm) => `arn:\${AWS::Partition}:cloudwatch:${alarm.region || region.name}:\${AWS::AccountId}:alarm:${alarm.name}`))),
  secrets: () =>
    arns(
      webhooks()
        .map((ref) => ref.secretsManager)
        .filter(Boolean)
        // Secrets Manager appends a random 6-character suffix to a secret's ARN.
        .map((name) => (name.startsWith('arn:') ? name : `arn:\${AWS::Partition}:secretsmanager:\${AWS::Region}:\${AWS::AccountId}:secret:${name}-??????`)),
    ),
  parameters: () =>
    arns(
      webhooks()
        .map((ref) => ref.ssmParameter)
        .filter(Boolean)
        .map((name) => `arn:\${AWS::Partition}:ssm:\${AWS::Region}:\${AWS::AccountId}:parameter/${name.replace(/^\//, '')}`),
    ),
};
