import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { main } from '../../src/cli/main.js';

async function run(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(['node', 'lifeboat', ...args], (t) => void (stdout += t), (t) => void (stderr += t));
  return { code, stdout, stderr };
}

const scratch = mkdtempSync(join(tmpdir(), 'lifeboat-report-'));

describe('lifeboat report on the embedded default', () => {
  let simulated: { incidentId: string; rtoSeconds: number; app: string; from: string; to: string };
  beforeAll(async () => {
    // The embedded default's state is a scratch folder per test file (test/setup-env.ts).
    simulated = JSON.parse((await run('simulate', '--reset', '--json')).stdout);
  });

  it('writes the HTML page and the Markdown summary, and prints what it measured', async () => {
    // arrange
    const html = join(scratch, 'report.html');
    const markdown = join(scratch, 'report.md');

    // act
    const { code, stdout } = await run('report', simulated.incidentId, '--local', '--out', html, '--markdown', markdown);

    // assert
    expect(code).toBe(0);
    expect(stdout).toContain(`${simulated.app} ${simulated.from} → ${simulated.to} (failover): succeeded`);
    expect(stdout).toMatch(/^RTO {4}5m 0s \/ target 30m 0s: met$/m);
    expect(stdout).toMatch(/^chain {2}intact \(\d+ records\)$/m);
    expect(readFileSync(html, 'utf8')).toMatch(/^<!doctype html>/);
    expect(readFileSync(markdown, 'utf8')).toMatch(/^\*\*RTO:\*\* 5m 0s \(target 30m 0s\): met {2}$/m);
  });

  it('prints the report model as JSON, with the numbers of the trail', async () => {
    const { code, stdout } = await run('report', simulated.incidentId, '--local', '--json');
    const report = JSON.parse(stdout);
    const audit = JSON.parse((await run('audit', simulated.incidentId, '--local', '--json')).stdout) as { records: { step: string; outcome: string; at: string }[] };
    const verified = audit.records.find((r) => r.step === 'Verify' && r.outcome === 'Passed')!;

    expect(code).toBe(0);
    expect(report).toMatchObject({ incidentId: simulated.incidentId, outcome: 'succeeded', rto: { seconds: simulated.rtoSeconds, to: verified.at, met: true }, chain: { intact: true } });
  });

  it.each([
    ['a malformed incident id', 2, 'not an id!', /incident: "not an id!" is not an incident id/],
    ['an incident id that is too long', 2, 'a'.repeat(81), /is not an incident id/],
    ['an unknown incident', 1, 'alarm-nothing-20260101T000000Z-0123456789', /no audit records for incident alarm-nothing-20260101T000000Z-0123456789 in \.lifeboat\//],
  ])('refuses %s with exit code %d and a clear message, writing nothing', async (_what, exitCode, incident, message) => {
    const html = join(scratch, `refused-${exitCode}.html`);
    const { code, stderr } = await run('report', incident, '--local', '--out', html);
    expect(code).toBe(exitCode);
    expect(stderr).toMatch(message);
    expect(() => readFileSync(html)).toThrow();
  });

  it('asks for the incident', async () => {
    const { code, stderr } = await run('report', '--local');
    expect(code).toBe(2);
    expect(stderr).toMatch(/missing required argument 'incident'/);
  });
});
