import { describe, expect, it } from '@jest/globals';
import type { Template } from '../support/serverless.js';
import { secretLookingEnvironment, secretsIn, sharedRoles, starResourceGrants, unscopedResources, wildcardActions } from './template-checks.js';

/*
 * The checks the packaged-template tests rely on, shown failing on broken templates: a check that
 * cannot fail would let package.test.ts pass for the wrong reason.
 */

const role = (statements: object[]) => ({ Type: 'AWS::IAM::Role', Properties: { Policies: [{ PolicyName: 'p', PolicyDocument: { Statement: statements } }] } });
const lambda = (roleId: string, env: Record<string, unknown> = {}) => ({ Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': [roleId, 'Arn'] }, Environment: { Variables: env } } });
const template = (resources: Record<string, object>): Template => ({ Resources: resources as Template['Resources'] });
const table = { 'Fn::Sub': 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/lifeboat-test-locks' };

describe('the template checks catch', () => {
  it.each([['*'], ['s3:*'], ['dynamodb:Get*']])('a wildcard action %s', (action) => {
    expect(wildcardActions(template({ R: role([{ Effect: 'Allow', Action: [action], Resource: table }]) }))).toEqual([`R: ${action}`]);
  });

  it('a "*" resource on an action that has resource-level permissions, and one without a reason', () => {
    const t = template({ R: role([{ Effect: 'Allow', Action: ['dynamodb:PutItem', 'xray:PutTraceSegments'], Resource: '*' }]) });
    expect(starResourceGrants(t)).toEqual(['R: dynamodb:PutItem on "*"', 'R: a "*" statement without a Sid saying why']);
    expect(starResourceGrants(template({ R: role([{ Sid: 'XRay', Effect: 'Allow', Action: ['xray:PutTraceSegments'], Resource: '*' }]) }))).toEqual([]);
  });

  it('a resource the configuration does not name', () => {
    const other = { 'Fn::Sub': 'arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/someone-elses' };
    const t = template({ R: role([{ Effect: 'Allow', Action: ['dynamodb:GetItem'], Resource: [table, other] }]) });
    expect(unscopedResources(t, [/table\/lifeboat-test-locks$/])).toEqual(['R: arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/someone-elses']);
  });

  it('two functions sharing a role', () => {
    expect(sharedRoles(template({ R: role([]), A: lambda('R'), B: lambda('R') }))).toEqual(['R: A, B']);
  });

  it('a secret in the template or the environment', () => {
    expect(secretsIn('{"Value":"https://hooks.slack.com/services/T/B/x"}', ['hooks.slack.com', 'xoxb-'])).toEqual(['hooks.slack.com']);
    expect(secretLookingEnvironment(template({ R: role([]), A: lambda('R', { SLACK_WEBHOOK: 'x', LOG_LEVEL: 'INFO', URL: 'https://hooks.slack.com/x' }) }))).toEqual(['A: SLACK_WEBHOOK', 'A: URL']);
  });
});
