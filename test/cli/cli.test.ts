import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { main } from '../../src/cli/main.js';
import { exampleConfigText } from '../support/world.js';

async function run(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(['node', 'lifeboat', ...args], (t) => void (stdout += t), (t) => void (stderr += t));
  return { code, stdout, stderr };
}

const scratch = mkdtempSync(join(tmpdir(), 'lifeboat-cli-'));
function file(name: string, text: string): string {
  const path = join(scratch, name);
  writeFileSync(path, text);
  return path;
}

describe('the lifeboat command', () => {
  it('validates the example configuration', async () => {
    const { code, stdout } = await run('validate');
    expect(code).toBe(0);
    expect(stdout).toMatch(/valid \(3 apps: payments, catalog, checkout\)/);
  });

  it('lists every problem of an invalid configuration, each with its path, and exits 2', async () => {
    const broken = exampleConfigText.replace('setIdentifier: catalog-eu-west-1', 'setIdentifer: catalog-eu-west-1').replace('rpoMinutes: 60', 'rpoMinutes: -5');
    const { code, stderr } = await run('--config', file('broken.yaml', broken), 'validate');
    expect(code).toBe(2);
    expect(stderr).toContain('apps[1].regions[0].route53.setIdentifier: required');
    expect(stderr).toContain('apps[1].regions[0].route53: Unrecognized key: "setIdentifer"');
    expect(stderr).toMatch(/apps\[0\]\.policy\.rpoMinutes: /);
  });

  it('prints the JSON Schema of the configuration', async () => {
    const { code, stdout } = await run('schema');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ type: 'object' });
  });

  it('simulates a regional outage and reports it as one JSON document', async () => {
    const { code, stdout } = await run('simulate', '--scenario', 'region-outage', '--app', 'catalog', '--json');
    expect(code).toBe(0);
    const report = JSON.parse(stdout);
    expect(Object.keys(report)).toEqual(expect.arrayContaining(['outcome', 'incidentId', 'executionName', 'app', 'from', 'to', 'steps', 'weights', 'rtoSeconds', 'sideEffects']));
    expect(report).toMatchObject({ outcome: 'succeeded', app: 'catalog', from: 'eu-west-1', to: 'eu-central-1' });
    expect(report.steps[1]).toEqual({ name: 'Preflight', status: 'succeeded', start: expect.any(String), end: expect.any(String) });
  });

  it('plays a chaos scenario and prints the safe end state it documents', async () => {
    const json = await run('simulate', '--scenario', 'two-regions-fail', '--json');
    expect(JSON.parse(json.stdout)).toMatchObject({
      outcome: 'succeeded',
      app: 'checkout',
      to: 'eu-west-1',
      scenario: { name: 'two-regions-fail', expectedOutcome: 'succeeded' },
      passedOver: [{ region: 'us-west-2' }],
    });
    const text = await run('simulate', '--scenario', 'stale-backup');
    expect(text.code).toBe(0); // refusing is the safe end state this scenario documents
    expect(text.stdout).toMatch(/scenario   stale-backup: safe end state reached \(refused\): refused before any change/);
    const wrongApp = await run('simulate', '--scenario', 'two-regions-fail', '--app', 'payments');
    expect(wrongApp.code).toBe(2);
    expect(wrongApp.stderr).toMatch(/--app: scenario two-regions-fail needs an app with at least 3 regions; payments has 2/);
  });

  it('shows live progress as plain lines when not on a terminal', async () => {
    const { code, stdout } = await run('simulate');
    expect(code).toBe(0);
    expect(stdout).toMatch(/\[\+00:00\] outage: payments in us-east-1/);
    expect(stdout).toMatch(/\[\+03:00\] ✓ PromoteNodegroups/);
    expect(stdout).toMatch(/Failover succeeded: payments us-east-1 → us-west-2 in 300s/);
    expect(stdout).not.toMatch(/\u001b\[/);
  });

  it.each([
    ['eventbridge-route53-health-check.json', 'eventbridge'],
    ['sns-route53-health-check.json', 'sns'],
  ])('runs the world from an alarm event file (%s)', async (fixture, delivery) => {
    // The documented samples name alarms we do not configure: map one onto the example's catalog health alarm.
    const event = JSON.parse(readFileSync(`test/fixtures/alarm-events/${fixture}`, 'utf8'));
    if (event.Records) {
      // The captured SNS sample is the recovery (ALARM → OK): deliver its way into ALARM instead.
      const message = JSON.parse(event.Records[0].Sns.Message);
      Object.assign(message, { NewStateValue: 'ALARM', OldStateValue: 'OK' });
      event.Records[0].Sns.Message = JSON.stringify(message);
    }
    const text = JSON.stringify(event);
    const alarmName = text.match(/"(?:alarmName|AlarmName)\\?"\s*:\s*\\?"([^"\\]+)/)![1]!;
    const path = file(`event-${delivery}.json`, text.split(alarmName).join('catalog-euw1-health'));
    const { code, stdout } = await run('simulate', '--event', path, '--json');
    const report = JSON.parse(stdout);
    expect(code).toBe(0);
    expect(report).toMatchObject({ outcome: 'succeeded', app: 'catalog', from: 'eu-west-1', to: 'eu-central-1', trigger: { alarmName: 'catalog-euw1-health', delivery } });
  });

  it('reports an event for an alarm it does not know as ignored, changing nothing', async () => {
    const { code, stdout } = await run('simulate', '--event', 'test/fixtures/alarm-events/eventbridge-metric.json', '--json');
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ outcome: 'ignored', ignored: [{ alarmName: 'ServerCpuTooHigh', reason: 'alarm not configured in us-east-1' }], sideEffects: { route53Changes: 0 } });
  });

  it('rejects a malformed event file with the field named and exit code 2', async () => {
    const { code, stderr } = await run('simulate', '--event', file('bad.json', JSON.stringify({ 'detail-type': 'CloudWatch Alarm State Change', source: 'aws.cloudwatch', detail: { alarmName: 'x' } })));
    expect(stderr).toMatch(/detail\.state: required/);
    expect(code).toBe(2);
  });

  it('rejects unknown apps and options with exit code 2', async () => {
    expect((await run('simulate', '--app', 'nope')).code).toBe(2);
    expect((await run('simulate', '--scenario', 'meteor')).code).toBe(2);
  });
});
