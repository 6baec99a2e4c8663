import { readFileSync } from 'node:fs';
import { parseConfig } from '../src/domain/config-yaml.js';
import { simulate, type SimulationReport } from '../src/local/simulate.js';
import { REALISTIC_LATENCIES } from '../src/local/world.js';
import type { EvacuationRto } from './evacuation.js';

/*
 * Benchmark 4: the simulated RTO of one app, the region-outage scenario in the embedded runtime
 * (the real handlers and state machine, on a virtual clock), with AWS's own delays where it makes
 * us wait.
 */

type Step = SimulationReport['steps'][number];

export interface RtoResult {
  oneAppSeconds: number | null;
  lastOf500AppsSeconds: number | null;
  /** The 500-app evacuation the figure comes from (bench/evacuation.ts). */
  evacuation?: EvacuationRto;
  criticalPath: string[];
  latencies: Record<string, number>;
  outcome: string;
  app: string | null;
  notes: string[];
}

/**
 * The steps that gated the end: from the last step to finish, each time the step that finished
 * last before it started (through the Parallel, the slower branch). Steps are in the order they
 * started; at one virtual instant (steps that take no simulated time) that order breaks the tie.
 */
export function criticalPath(steps: readonly Step[]): string[] {
  const timed = steps.flatMap((s, index) => (s.start && s.end ? [{ name: s.name, index, start: Date.parse(s.start), end: Date.parse(s.end) }] : []));
  if (timed.length === 0) return [];
  const later = (a: (typeof timed)[number], b: (typeof timed)[number]) => (b.end > a.end || (b.end === a.end && b.index > a.index) ? b : a);
  let current = timed.reduce(later);
  const path = [current];
  for (;;) {
    const gate = current;
    const before = timed.filter((s) => s.index < gate.index && s.end <= gate.start);
    if (before.length === 0) break;
    current = before.reduce(later);
    path.unshift(current);
  }
  return path.map((s) => s.name);
}

export async function simulatedRto(configFile = 'lifeboat.config.yaml'): Promise<RtoResult> {
  const config = parseConfig(readFileSync(configFile, 'utf8'), configFile);
  const report = await simulate({ config, scenario: 'region-outage', latencies: REALISTIC_LATENCIES });
  return {
    oneAppSeconds: report.rtoSeconds,
    lastOf500AppsSeconds: null,
    criticalPath: criticalPath(report.steps),
    latencies: { ...REALISTIC_LATENCIES },
    outcome: report.outcome,
    app: report.app,
    notes: [
      'lastOf500AppsSeconds: the last app of a 500-app evacuation of eu-west-1 (records in 5 hosted zones), from the evacuation request to its lock released after it moved, with the same latencies (bench/evacuation.ts).',
      'The simulated world models Route 53 INSYNC, node group update, Velero restore and Deployment readiness delays; it has no health-check latency (30 s asked for), so health checks answer at once.',
    ],
  };
}
