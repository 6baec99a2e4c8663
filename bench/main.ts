import { writeFileSync } from 'node:fs';
import { coldStart, type ColdStart } from './cold-start.js';
import { EVACUATION_NOTE, evacuation, type EvacuationResult } from './evacuation.js';
import { simulatedRto, type RtoResult } from './rto.js';
import { machine, round } from './support.js';
import { alarmStorm, triggerLatency, type StormResult, type TriggerLatency } from './trigger.js';

/** How big each benchmark is; the smoke test runs them tiny. */
export interface BenchSizes {
  triggerEvents: number;
  triggerWarmup: number;
  stormEvents: number;
  stormConcurrency: number;
  coldStartRuns: number;
  coldStartFunctions?: string[];
}

export const FULL: BenchSizes = { triggerEvents: 10_000, triggerWarmup: 500, stormEvents: 10_000, stormConcurrency: 50, coldStartRuns: 7 };

export interface BenchResults {
  trigger: TriggerLatency;
  storm: StormResult;
  evacuation: EvacuationResult[];
  evacuationNote: string;
  rto: RtoResult;
  coldStart: ColdStart[];
  machine: ReturnType<typeof machine> & { ranAt: string; command: string };
  targets: { name: string; target: string; measured: string; met: boolean | null }[];
}

const MB = 1024 * 1024;

export async function runBench(sizes: BenchSizes, log: (line: string) => void = () => undefined): Promise<BenchResults> {
  log('trigger latency…');
  const trigger = await triggerLatency({ events: sizes.triggerEvents, warmup: sizes.triggerWarmup });
  log('alarm storm…');
  const storm = await alarmStorm({ events: sizes.stormEvents, concurrency: sizes.stormConcurrency });
  const evacuations = await evacuation();
  log('simulated RTO…');
  const rto = await simulatedRto();
  log('cold start (bundling, then fresh node processes)…');
  const cold = await coldStart({ runs: sizes.coldStartRuns, functions: sizes.coldStartFunctions });
  const worstRatio = cold.reduce((a, b) => (b.ratio > a.ratio ? b : a), cold[0]!);
  const biggest = cold.reduce((a, b) => (b.bundleBytes > a.bundleBytes ? b : a), cold[0]!);
  return {
    trigger,
    storm,
    evacuation: evacuations,
    evacuationNote: EVACUATION_NOTE,
    rto,
    coldStart: cold,
    machine: { ...machine(), ranAt: new Date().toISOString(), command: 'npm run bench' },
    targets: [
      { name: 'trigger p99 (warm, in-process)', target: '< 5 ms', measured: `${trigger.p99Ms} ms`, met: trigger.p99Ms < 5 },
      { name: 'alarm storm (one core)', target: '≥ 1,000 events/s', measured: `${storm.eventsPerSecond} events/s`, met: storm.eventsPerSecond >= 1000 },
      { name: 'init vs SDK-only baseline (worst)', target: '≤ 1.5×', measured: `${worstRatio.ratio}× (${worstRatio.function})`, met: cold.every((c) => c.ratio <= 1.5) },
      { name: 'largest bundle (JS, unzipped)', target: '≤ 1.5 MB', measured: `${round(biggest.bundleBytes / MB, 2)} MB (${biggest.function})`, met: cold.every((c) => c.bundleBytes <= 1.5 * MB) },
      { name: 'evacuation, 500-app RTO', target: 'see issue 6', measured: 'not run', met: null },
    ],
  };
}

/** The results as a table for the terminal. */
export function table(results: BenchResults): string {
  const rows: string[][] = [
    ['trigger latency', `p50 ${results.trigger.p50Ms} ms, p99 ${results.trigger.p99Ms} ms over ${results.trigger.events} events (${results.trigger.deps})`],
    ['alarm storm', `${results.storm.eventsPerSecond} events/s (${results.storm.events} events, ${results.storm.concurrency} in flight, ${results.storm.executionsStarted} executions)`],
    ['evacuation', results.evacuationNote],
    ['RTO, one app', `${results.rto.oneAppSeconds ?? '—'} s simulated (${results.rto.outcome}); critical path ${results.rto.criticalPath.join(' → ')}`],
    ['RTO, last of 500', 'not run (needs evacuation)'],
  ];
  const width = Math.max(...rows.map(([k]) => k!.length));
  const lines = rows.map(([k, v]) => `${k!.padEnd(width)}  ${v}`);
  lines.push('', 'cold start (median init of a fresh node process, --enable-source-maps)');
  lines.push(`${'function'.padEnd(20)} ${'bundle'.padStart(10)} ${'gzip'.padStart(9)} ${'init'.padStart(9)} ${'SDK-only'.padStart(9)} ${'ratio'.padStart(6)}`);
  for (const c of results.coldStart) {
    lines.push(`${c.function.padEnd(20)} ${`${round(c.bundleBytes / 1024, 0)} KB`.padStart(10)} ${`${round(c.gzipBytes / 1024, 0)} KB`.padStart(9)} ${`${c.initMs} ms`.padStart(9)} ${`${c.baselineInitMs} ms`.padStart(9)} ${`${c.ratio}×`.padStart(6)}`);
  }
  lines.push('', 'targets');
  for (const t of results.targets) lines.push(`${t.met === null ? '  –' : t.met ? '  ✓' : '  ✗'} ${t.name}: ${t.measured} (target ${t.target})`);
  lines.push('', `${results.machine.cpuModel} ×${results.machine.cores}, Node ${results.machine.node}`);
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const out = argv.includes('--out') ? argv[argv.indexOf('--out') + 1]! : 'bench/results.json';
  const results = await runBench(FULL, (line) => process.stderr.write(`${line}\n`));
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  process.stdout.write(`${table(results)}\n\nwritten to ${out}\n`);
  return 0;
}
