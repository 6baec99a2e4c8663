import { writeFileSync } from 'node:fs';
import { coldStart, type ColdStart } from './cold-start.js';
import { EVACUATION_NOTE, evacuateOnce, evacuation, evacuationRto, type EvacuationResult } from './evacuation.js';
import { simulatedRto, type RtoResult } from './rto.js';
import { machine, medianRun, round, type MedianRun } from './support.js';
import { alarmStorm, triggerLatency, type DynamoPlacement, type StormResult, type TriggerLatency } from './trigger.js';

/** How big each benchmark is; the smoke test runs them tiny. */
export interface BenchSizes {
  triggerEvents: number;
  triggerWarmup: number;
  stormEvents: number;
  stormConcurrency: number;
  coldStartRuns: number;
  coldStartFunctions?: string[];
  /** Runs of each trigger, storm and zero-latency evacuation measurement; the median run is reported. */
  repeats?: number;
  /** Apps per evacuation run (1, 10, 100, 500 by default) and in the realistic-latency RTO run (500). */
  evacuationApps?: number[];
  rtoApps?: number;
}

export const FULL: BenchSizes = { triggerEvents: 10_000, triggerWarmup: 500, stormEvents: 10_000, stormConcurrency: 50, coldStartRuns: 15, repeats: 3 };

/**
 * Each trigger, storm and zero-latency evacuation figure is the median of `repeats` runs (picked by
 * p99, events/s and ms per Task invocation); `figureOfEachRun` has every run's.
 */
export interface BenchResults {
  /** dynalite in the benchmark's process: the emulator's CPU counts against the trigger. */
  trigger: MedianRun<TriggerLatency>;
  storm: MedianRun<StormResult>;
  /** The same with dynalite in a child process: CPU per event is the trigger's own. */
  triggerDynamoOutOfProcess: MedianRun<TriggerLatency>;
  stormDynamoOutOfProcess: MedianRun<StormResult>;
  /** dynalite in process, each request handed to its listener: no loopback HTTP on either side. */
  triggerDirect: MedianRun<TriggerLatency>;
  stormDirect: MedianRun<StormResult>;
  evacuation: MedianRun<EvacuationResult>[];
  /** The largest evacuation again, DynamoDB requests handed to dynalite's listener (no loopback HTTP). */
  evacuationDirect: MedianRun<EvacuationResult> | null;
  /** The largest evacuation again, dynalite in a child process: CPU per Task is the orchestrating process's own. */
  evacuationDynamoOutOfProcess: MedianRun<EvacuationResult> | null;
  evacuationNote: string;
  rto: RtoResult;
  coldStart: ColdStart[];
  machine: ReturnType<typeof machine> & { ranAt: string; command: string };
  targets: { name: string; target: string; measured: string; met: boolean | null }[];
}

const MB = 1024 * 1024;
const ZONES_NOTE = 'zones';

/** "; median of 3 runs: 3.1, 3.3, 4.2" (in run order), or nothing for a single run. */
function ofRuns(run: MedianRun<object>): string {
  return run.figureOfEachRun.length > 1 ? `; median of ${run.figureOfEachRun.length} runs: ${run.figureOfEachRun.join(', ')}` : '';
}

export async function runBench(sizes: BenchSizes, log: (line: string) => void = () => undefined): Promise<BenchResults> {
  const repeats = sizes.repeats ?? 1;
  const latency = (dynamodb: DynamoPlacement) => medianRun(repeats, () => triggerLatency({ events: sizes.triggerEvents, warmup: sizes.triggerWarmup, dynamodb }), (run) => run.p99Ms);
  const throughput = (dynamodb: DynamoPlacement) => medianRun(repeats, () => alarmStorm({ events: sizes.stormEvents, concurrency: sizes.stormConcurrency, dynamodb }), (run) => run.eventsPerSecond);
  log('trigger latency (dynalite in process)…');
  const trigger = await latency('in-process');
  log('trigger latency (dynalite in a child process)…');
  const triggerOut = await latency('child-process');
  log('trigger latency (dynalite in process, no loopback HTTP)…');
  const triggerDirect = await latency('direct');
  log('alarm storm (dynalite in process)…');
  const storm = await throughput('in-process');
  log('alarm storm (dynalite in a child process)…');
  const stormOut = await throughput('child-process');
  log('alarm storm (dynalite in process, no loopback HTTP)…');
  const stormDirect = await throughput('direct');
  const evacuations = await evacuation(sizes.evacuationApps, repeats, log);
  const largest = evacuations.at(-1)?.apps;
  log(`evacuation of ${largest} apps, no loopback HTTP to dynalite…`);
  const evacuationDirect = largest ? await medianRun(repeats, () => evacuateOnce(largest, 'direct'), (run) => run.msPerTaskInvocation) : null;
  log(`evacuation of ${largest} apps, dynalite in a child process…`);
  const evacuationOut = largest ? await medianRun(repeats, () => evacuateOnce(largest, 'child-process'), (run) => run.msPerTaskInvocation) : null;
  log('simulated RTO…');
  const oneApp = await simulatedRto();
  log(`simulated RTO of the last app of ${sizes.rtoApps ?? 500} evacuated…`);
  const evacRto = await evacuationRto(sizes.rtoApps ?? 500);
  const rto = { ...oneApp, lastOf500AppsSeconds: evacRto.lastAppSeconds, evacuation: evacRto };
  const biggestEvacuation = evacuations.at(-1);
  log('cold start (bundling, then fresh node processes)…');
  const cold = await coldStart({ runs: sizes.coldStartRuns, functions: sizes.coldStartFunctions });
  const worstRatio = cold.reduce((a, b) => (b.ratio > a.ratio ? b : a), cold[0]!);
  const biggest = cold.reduce((a, b) => (b.bundleBytes > a.bundleBytes ? b : a), cold[0]!);
  return {
    trigger,
    storm,
    triggerDynamoOutOfProcess: triggerOut,
    stormDynamoOutOfProcess: stormOut,
    triggerDirect,
    stormDirect,
    evacuation: evacuations,
    evacuationDirect,
    evacuationDynamoOutOfProcess: evacuationOut,
    evacuationNote: EVACUATION_NOTE,
    rto,
    coldStart: cold,
    machine: { ...machine(), ranAt: new Date().toISOString(), command: 'npm run bench' },
    targets: [
      { name: 'trigger p99 (warm, in-process; dynalite in process)', target: '< 5 ms', measured: `${trigger.p99Ms} ms${ofRuns(trigger)}`, met: trigger.p99Ms < 5 },
      { name: 'trigger p99 (warm, in-process; dynalite in a child process)', target: '< 5 ms', measured: `${triggerOut.p99Ms} ms (trigger CPU ${triggerOut.cpuMsPerEvent} ms/event${ofRuns(triggerOut)})`, met: triggerOut.p99Ms < 5 },
      { name: 'trigger p99 (warm, in-process; dynalite in process, no loopback HTTP)', target: '< 5 ms', measured: `${triggerDirect.p99Ms} ms (CPU ${triggerDirect.cpuMsPerEvent} ms/event${ofRuns(triggerDirect)})`, met: triggerDirect.p99Ms < 5 },
      { name: 'alarm storm (one core for trigger and dynalite)', target: '≥ 1,000 events/s', measured: `${storm.eventsPerSecond} events/s${ofRuns(storm)}`, met: storm.eventsPerSecond >= 1000 },
      { name: 'alarm storm (one core for the trigger; dynalite in a child process)', target: '≥ 1,000 events/s', measured: `${stormOut.eventsPerSecond} events/s (trigger CPU ${stormOut.cpuMsPerEvent} ms/event${ofRuns(stormOut)})`, met: stormOut.eventsPerSecond >= 1000 },
      { name: 'alarm storm (one core for trigger and dynalite, no loopback HTTP)', target: '≥ 1,000 events/s', measured: `${stormDirect.eventsPerSecond} events/s (CPU ${stormDirect.cpuMsPerEvent} ms/event${ofRuns(stormDirect)})`, met: stormDirect.eventsPerSecond >= 1000 },
      { name: 'init vs SDK-only baseline (worst)', target: '≤ 1.5×', measured: `${worstRatio.ratio}× (${worstRatio.function})`, met: cold.every((c) => c.ratio <= 1.5) },
      { name: 'largest bundle (JS, unzipped)', target: '≤ 1.5 MB', measured: `${round(biggest.bundleBytes / MB, 2)} MB (${biggest.function})`, met: cold.every((c) => c.bundleBytes <= 1.5 * MB) },
      {
        name: `evacuation of ${biggestEvacuation?.apps ?? 0} apps: Route 53 change calls`,
        target: `≤ ${ZONES_NOTE} × change rounds`,
        measured: biggestEvacuation ? `${biggestEvacuation.route53ChangeCalls} calls for ${biggestEvacuation.zones} zones × ${biggestEvacuation.changeRounds} rounds` : 'not run',
        met: biggestEvacuation ? biggestEvacuation.route53ChangeCalls <= biggestEvacuation.zones * biggestEvacuation.changeRounds : null,
      },
      { name: 'evacuation: throttling retries (Route 53 and CloudWatch)', target: '0', measured: evacuations.map((e) => `${e.apps} apps: ${e.throttleRetries}`).join(', '), met: evacuations.every((e) => e.throttleRetries === 0) },
      {
        name: `evacuation of ${evacRto.apps} apps: last app's simulated RTO`,
        target: `within 10% of one app's (${oneApp.oneAppSeconds} s)`,
        measured: `${evacRto.lastAppSeconds ?? '—'} s (${evacRto.outcome})`,
        met: evacRto.lastAppSeconds !== null && oneApp.oneAppSeconds !== null ? evacRto.lastAppSeconds <= 1.1 * oneApp.oneAppSeconds : false,
      },
      {
        name: 'orchestration overhead (zero latency)',
        target: '< 1 ms per app-step',
        measured: biggestEvacuation ? `${biggestEvacuation.msPerTaskInvocation} ms per Task invocation (${biggestEvacuation.apps} apps, ${biggestEvacuation.taskInvocations} invocations, ${biggestEvacuation.wallMs} ms${ofRuns(biggestEvacuation)})` : 'not run',
        met: biggestEvacuation ? biggestEvacuation.msPerTaskInvocation < 1 : null,
      },
      {
        name: 'orchestration overhead (zero latency, no loopback HTTP to dynalite)',
        target: '< 1 ms per app-step',
        measured: evacuationDirect ? `${evacuationDirect.msPerTaskInvocation} ms per Task invocation (${evacuationDirect.apps} apps, ${evacuationDirect.wallMs} ms${ofRuns(evacuationDirect)})` : 'not run',
        met: evacuationDirect ? evacuationDirect.msPerTaskInvocation < 1 : null,
      },
      {
        name: 'orchestration overhead (zero latency, dynalite in a child process)',
        target: '< 1 ms per app-step',
        measured: evacuationOut ? `${evacuationOut.msPerTaskInvocation} ms per Task invocation, this process's CPU ${evacuationOut.cpuMsPerTaskInvocation} ms per Task (${evacuationOut.apps} apps, ${evacuationOut.wallMs} ms${ofRuns(evacuationOut)})` : 'not run',
        met: evacuationOut ? evacuationOut.msPerTaskInvocation < 1 : null,
      },
    ],
  };
}

/** The results as a table for the terminal. */
export function table(results: BenchResults): string {
  const rows: string[][] = [
    ['trigger latency', `p50 ${results.trigger.p50Ms} ms, p99 ${results.trigger.p99Ms} ms, CPU ${results.trigger.cpuMsPerEvent} ms/event, ${results.trigger.dynamoCallsPerEvent} DynamoDB calls/event over ${results.trigger.events} events (${results.trigger.deps})`],
    ['', `p50 ${results.triggerDynamoOutOfProcess.p50Ms} ms, p99 ${results.triggerDynamoOutOfProcess.p99Ms} ms, trigger CPU ${results.triggerDynamoOutOfProcess.cpuMsPerEvent} ms/event (${results.triggerDynamoOutOfProcess.deps})`],
    ['', `p50 ${results.triggerDirect.p50Ms} ms, p99 ${results.triggerDirect.p99Ms} ms, CPU ${results.triggerDirect.cpuMsPerEvent} ms/event (${results.triggerDirect.deps})`],
    ['alarm storm', `${results.storm.eventsPerSecond} events/s (second half ${results.storm.secondHalfEventsPerSecond}/s), CPU ${results.storm.cpuMsPerEvent} ms/event (${results.storm.events} events, ${results.storm.concurrency} in flight, ${results.storm.executionsStarted} executions, ${results.storm.executionsFailed.length} failed; ${results.storm.deps})`],
    ['', `${results.stormDynamoOutOfProcess.eventsPerSecond} events/s (second half ${results.stormDynamoOutOfProcess.secondHalfEventsPerSecond}/s), trigger CPU ${results.stormDynamoOutOfProcess.cpuMsPerEvent} ms/event (${results.stormDynamoOutOfProcess.deps})`],
    ['', `${results.stormDirect.eventsPerSecond} events/s (second half ${results.stormDirect.secondHalfEventsPerSecond}/s), CPU ${results.stormDirect.cpuMsPerEvent} ms/event (${results.stormDirect.deps})`],
    ['evacuation', results.evacuationNote],
    ['RTO, one app', `${results.rto.oneAppSeconds ?? '—'} s simulated (${results.rto.outcome}); critical path ${results.rto.criticalPath.join(' → ')}`],
    ...results.evacuation.map((e) => ['', `${e.apps} apps: ${e.wallMs} ms (${e.msPerTaskInvocation} ms/Task invocation, CPU ${e.cpuMsPerTaskInvocation} ms/Task, ${e.dynamoCallsPerTask} DynamoDB calls/Task), Route 53 ${e.route53ChangeCalls} changes / ${e.route53Calls} calls, ${e.apiCalls} API calls, ${e.throttleRetries} throttled; largest state ${e.largestStateBytes ?? '?'} bytes; world ${e.worldMs} ms`]),
    ...(results.evacuationDirect ? [['', `${results.evacuationDirect.apps} apps, no loopback HTTP to dynalite: ${results.evacuationDirect.wallMs} ms (${results.evacuationDirect.msPerTaskInvocation} ms/Task invocation, CPU ${results.evacuationDirect.cpuMsPerTaskInvocation} ms/Task)`]] : []),
    ...(results.evacuationDynamoOutOfProcess ? [['', `${results.evacuationDynamoOutOfProcess.apps} apps, dynalite in a child process: ${results.evacuationDynamoOutOfProcess.wallMs} ms (${results.evacuationDynamoOutOfProcess.msPerTaskInvocation} ms/Task invocation, this process's CPU ${results.evacuationDynamoOutOfProcess.cpuMsPerTaskInvocation} ms/Task)`]] : []),
    ['RTO, last of 500', `${results.rto.lastOf500AppsSeconds ?? '—'} s simulated (${results.rto.evacuation?.outcome ?? '—'}); critical path ${results.rto.evacuation?.criticalPath.join(' → ') ?? '—'}`],
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
