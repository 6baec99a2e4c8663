import type { LifeboatConfig } from '../domain/config.js';
import { simulateEvacuation } from '../local/evacuate.js';
import { DEFAULT_START } from '../local/world.js';
import { StateDir } from '../local/state-dir.js';
import { formatSeconds } from '../report/format.js';
import { EXIT } from './exit-codes.js';
import { colours, wantsColour } from './style.js';

/**
 * `lifeboat drill --region R --local`: the real evacuate trigger and evacuation state machine in
 * the embedded runtime, with R left up (a drill moves traffic on purpose), on the tables in
 * `.lifeboat/`. Exit 0 when every app of R moved.
 */
export async function evacuationDrillLocal(config: LifeboatConfig, region: string, options: { reason?: string; json?: boolean }, out: (text: string) => void): Promise<number> {
  const state = new StateDir();
  const report = await simulateEvacuation({ config, region, mode: 'drill', reason: options.reason ?? `DR drill: evacuate ${region} from the command line`, dataDir: state.dynamoPath, start: state.nextStart(DEFAULT_START) });
  state.recordEnd(new Date(Date.parse(state.nextStart(DEFAULT_START)) + report.simulatedSeconds * 1000));
  if (options.json) out(`${JSON.stringify(report, null, 2)}\n`);
  else {
    const c = colours(wantsColour());
    const headline = `Evacuation drill of ${region}: ${report.outcome} in ${formatSeconds(report.simulatedSeconds)} (simulated)`;
    out(`${report.outcome === 'succeeded' ? c.green(c.bold(headline)) : c.red(c.bold(headline))}\n`);
    out(`evacuation ${report.started.executionName}\n`);
    for (const app of report.apps) out(`  ${app.app.padEnd(12)} ${app.outcome}${app.to ? ` → ${app.to}` : ''}${app.rtoSeconds !== null ? ` in ${formatSeconds(app.rtoSeconds)}` : ''}${app.error ? `: ${app.error}` : ''}\n`);
    if (report.error) out(`${c.red(report.error)}\n`);
  }
  return report.outcome === 'succeeded' ? EXIT.ok : EXIT.failed;
}
