import type { Template } from '../support/serverless.js';

/*
 * Checks over a CloudFormation template, as functions that return what is wrong (empty when all is
 * well), so the packaged-template tests read as sentences and template-checks.test.ts can show each
 * check catching a broken template.
 */

export interface Statement {
  Sid?: string;
  Effect: string;
  Action: string | string[];
  Resource: unknown;
  Condition?: unknown;
}

/** Actions without resource-level permissions: "*" is the only resource IAM accepts for them. */
export const NO_RESOURCE_LEVEL_PERMISSIONS = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  // Its queries name the metrics; the API takes no resource.
  'cloudwatch:GetMetricData',
  // Callbacks name their task by its token, not by an ARN.
  'states:SendTaskSuccess',
  'states:SendTaskFailure',
  'states:SendTaskHeartbeat',
]);

const list = <T>(value: T | T[]): T[] => (Array.isArray(value) ? value : [value]);

/** Every Allow/Deny statement of every IAM role (inline policies) and IAM policy resource, by owner. */
export function iamStatements(template: Template): { owner: string; statement: Statement }[] {
  return Object.entries(template.Resources).flatMap(([id, resource]) => {
    if (resource.Type === 'AWS::IAM::Role') return (resource.Properties.Policies ?? []).flatMap((p: { PolicyDocument: { Statement: Statement[] } }) => list(p.PolicyDocument.Statement).map((statement) => ({ owner: id, statement })));
    if (resource.Type === 'AWS::IAM::Policy' || resource.Type === 'AWS::IAM::ManagedPolicy') return list(resource.Properties.PolicyDocument.Statement as Statement[]).map((statement) => ({ owner: id, statement }));
    return [];
  });
}

/** `owner: action` for every action with a wildcard in it ("*", "s3:*", "dynamodb:Get*"). */
export function wildcardActions(template: Template): string[] {
  return iamStatements(template).flatMap(({ owner, statement }) => list(statement.Action).filter((a) => a.includes('*')).map((a) => `${owner}: ${a}`));
}

/** A resource value as text: literal strings and Fn::Sub templates; other intrinsics as JSON. */
export function resourceText(resource: unknown): string {
  if (typeof resource === 'string') return resource;
  const sub = (resource as { 'Fn::Sub'?: unknown })['Fn::Sub'];
  if (typeof sub === 'string') return sub;
  return JSON.stringify(resource);
}

/**
 * `owner: action` for every action granted on the resource "*" that is not known to lack
 * resource-level permissions, and every "*" statement without a Sid saying why.
 */
export function starResourceGrants(template: Template): string[] {
  return iamStatements(template).flatMap(({ owner, statement }) => {
    if (!list(statement.Resource).some((r) => r === '*')) return [];
    const offenders = list(statement.Action).filter((a) => !NO_RESOURCE_LEVEL_PERMISSIONS.has(a)).map((a) => `${owner}: ${a} on "*"`);
    // The roles serverless-step-functions generates for the state machines carry no Sids (X-Ray only).
    const unexplained = statement.Sid || /^(Failover|Failback)StateMachineRole$/.test(owner) ? [] : [`${owner}: a "*" statement without a Sid saying why`];
    return [...offenders, ...unexplained];
  });
}

/** `owner: resource` for every granted resource that matches none of `allowed` (ARNs are compared as Fn::Sub text). */
export function unscopedResources(template: Template, allowed: RegExp[]): string[] {
  return iamStatements(template).flatMap(({ owner, statement }) =>
    list(statement.Resource)
      .filter((r) => r !== '*')
      .map(resourceText)
      .filter((text) => !allowed.some((pattern) => pattern.test(text)))
      .map((text) => `${owner}: ${text}`),
  );
}

/** Function logical id → the role logical id it runs as (from `Role: Fn::GetAtt [Role, Arn]`). */
export function functionRoles(template: Template): Record<string, string> {
  return Object.fromEntries(
    Object.entries(template.Resources)
      .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
      .map(([id, r]) => [id, (r.Properties.Role as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt']?.[0] ?? JSON.stringify(r.Properties.Role)]),
  );
}

/** Roles that run more than one function: `role: fn, fn`. */
export function sharedRoles(template: Template): string[] {
  const byRole = new Map<string, string[]>();
  for (const [fn, role] of Object.entries(functionRoles(template))) byRole.set(role, [...(byRole.get(role) ?? []), fn]);
  return [...byRole].filter(([, fns]) => fns.length > 1).map(([role, fns]) => `${role}: ${fns.join(', ')}`);
}

/** The actions a role is allowed, sorted and distinct. */
export function allowedActions(template: Template, role: string): string[] {
  return [...new Set(iamStatements(template).filter(({ owner, statement }) => owner === role && statement.Effect === 'Allow').flatMap(({ statement }) => list(statement.Action)))].sort();
}

/** Where in the template text each needle occurs (a secret value, a webhook host, a token prefix). */
export function secretsIn(text: string, needles: string[]): string[] {
  return needles.filter((needle) => needle.length > 0 && text.includes(needle));
}

/** Environment variables of the functions whose name or value looks like a secret. */
export function secretLookingEnvironment(template: Template): string[] {
  return Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
    .flatMap(([fn, r]) =>
      Object.entries((r.Properties.Environment?.Variables ?? {}) as Record<string, unknown>)
        .filter(([name, value]) => /secret|token|password|webhook|signing/i.test(name) || /hooks\.slack\.com|xox[abpr]-/i.test(JSON.stringify(value)))
        .map(([name]) => `${fn}: ${name}`),
    );
}

/** Resources of `type`, by logical id. */
export function ofType(template: Template, type: string) {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}
