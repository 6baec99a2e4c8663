import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { renderHtml, type DrillReport } from '../../src/report/index.js';
import { reportOf, simulatedIncident } from './support.js';

/*
 * The page as a browser shows it: Debian's `chromium`, headless, dumps the DOM it built from the
 * page. CI installs the package (.ci/run); where it is missing, the test is skipped and says so.
 */
const CHROMIUM = process.env.LIFEBOAT_CHROMIUM ?? 'chromium';
const hasChromium = spawnSync(CHROMIUM, ['--version'], { stdio: 'ignore', timeout: 20_000 }).status === 0;
if (!hasChromium) {
  console.warn(`test/report/chromium.test.ts: skipped, no \`${CHROMIUM}\` on this machine (install Debian's chromium package: apt-get install -y chromium)`);
}

/** One headless Chromium run: the DOM after the page rendered. */
async function dumpDom(file: string): Promise<string> {
  const profile = mkdtempSync(join(tmpdir(), 'lifeboat-chromium-'));
  const { stdout } = await promisify(execFile)(
    CHROMIUM,
    ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', `--user-data-dir=${profile}`, '--dump-dom', pathToFileURL(file).href],
    { timeout: 60_000, maxBuffer: 32 * 1024 * 1024 },
  );
  return stdout;
}

(hasChromium ? describe : describe.skip)('the drill report in headless Chromium', () => {
  let report: DrillReport;
  let dom = '';
  beforeAll(async () => {
    const { simulation, records, receipts } = await simulatedIncident('region-outage');
    report = reportOf(simulation.incidentId!, records, receipts);
    const file = join(mkdtempSync(join(tmpdir(), 'lifeboat-report-page-')), 'report.html');
    writeFileSync(file, renderHtml(report));
    dom = await dumpDom(file);
  }, 90_000);

  it('shows the title: app, regions and outcome', () => {
    expect(dom.match(/<title>([^<]*)<\/title>/)?.[1]).toBe('Drill report: payments us-east-1 → us-west-2: succeeded');
    expect(dom).toMatch(/<h1 id="headline">payments <span class="muted">·<\/span> us-east-1 → us-west-2/);
  });

  it('shows the measured RTO against its target', () => {
    const rto = dom.slice(dom.indexOf('id="rto"'), dom.indexOf('id="rpo"'));
    expect(rto).toMatch(/<div class="value" data-seconds="300">5m 0s<\/div>/);
    expect(rto).toMatch(/target 30m 0s <span class="badge b-met">met<\/span>/);
  });

  it('lists the steps by name, with their records collapsed', () => {
    const table = dom.slice(dom.indexOf('id="steps"'));
    expect(table).toContain('<strong>PromoteNodegroups</strong> <span class="muted">(promote branch)</span>');
    expect(table).toMatch(/<details><summary>2 records: before \/ change \/ after<\/summary>/);
  });

  it('draws one bar per step in the SVG timeline', () => {
    const svg = dom.slice(dom.indexOf('<svg class="gantt"'), dom.indexOf('</svg>', dom.indexOf('<svg class="gantt"')));
    const bars = [...svg.matchAll(/<rect class="bar s-\w+"[^>]*data-step="([^"]*)"/g)].map((m) => m[1]);
    expect(bars).toEqual(report.steps.map((s) => s.name));
    expect(bars).toHaveLength(12);
  });

  it('says the audit chain is intact', () => {
    expect(dom).toMatch(/<p class="chain-ok" id="chain-status">✓ Chain intact: 15 records/);
  });
});
