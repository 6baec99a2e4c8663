import { createRequire } from 'node:module';
import { describe, expect, it } from '@jest/globals';
import { exampleConfig } from '../support/world.js';

/*
 * The IAM of data-plane failover, from the role generator itself (the packaged example has no
 * gates, so test/deploy/package.test.ts sees only the reads): who may flip a gate, on which ARNs.
 */

const require = createRequire(import.meta.url);
const { grants } = require('../../serverless/roles.cjs') as {
  grants: (context: { apps: unknown[]; tables: Record<string, string>; stateMachineName: string }) => Record<string, { Action: string[]; Resource: unknown }[]>;
};

const GATES: Record<string, string> = { 'us-east-1': '0f2a4c6e-1111-4a5b-8c9d-0000000000a1', 'us-west-2': '0f2a4c6e-1111-4a5b-8c9d-0000000000a2' };
const tables = { audit: 'lifeboat-test-audit', locks: 'lifeboat-test-locks', idempotency: 'lifeboat-test-idempotency' };
const gateArns = Object.values(GATES).map((id) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:route53:::healthcheck/${id}` }));

function roles(withGates: boolean) {
  const config = exampleConfig((c) => {
    if (withGates) for (const region of c.apps[0]!.regions) region.route53.gateHealthCheckId = GATES[region.name];
  });
  return grants({ apps: [config.apps[0]!], tables, stateMachineName: 'lifeboat-test-failover' });
}
const actionsOf = (statements: { Action: string[] }[]) => statements.flatMap((s) => s.Action).sort();
const gateStatements = (statements: { Action: string[]; Resource: unknown }[]) => statements.filter((s) => s.Action.includes('route53:UpdateHealthCheck'));

describe('IAM for data-plane failover', () => {
  it('lets ShiftTrafficDataPlane read records and health, and set the gates of the app, never change a record', () => {
    const role = roles(true).shiftTrafficDataPlane!;
    expect(actionsOf(role)).toEqual(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:Query', 'route53:GetHealthCheck', 'route53:GetHealthCheckStatus', 'route53:ListResourceRecordSets', 'route53:UpdateHealthCheck']);
    expect(gateStatements(role)).toEqual([{ Effect: 'Allow', Action: ['route53:GetHealthCheck', 'route53:UpdateHealthCheck'], Resource: gateArns }]);
  });

  it('lets ShiftTraffic set the gates too (route53.strategy health-checks), on the gate ARNs only', () => {
    expect(gateStatements(roles(true).shiftTraffic!)).toEqual([{ Effect: 'Allow', Action: ['route53:GetHealthCheck', 'route53:UpdateHealthCheck'], Resource: gateArns }]);
  });

  it('grants no gate action at all to a stack whose apps have no gates', () => {
    for (const statements of Object.values(roles(false))) expect(gateStatements(statements)).toEqual([]);
  });
});
