import { cpus } from 'node:os';
import type { LifeboatConfig } from '../src/domain/config.js';
import { parseConfig } from '../src/domain/config-yaml.js';

/** The value at quantile `q` (0..1) of `values`, nearest-rank. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export const median = (values: readonly number[]) => quantile(values, 0.5);

/** A run picked as the median of several, with the figure it was picked by from every run. */
export type MedianRun<T> = T & { figureOfEachRun: number[] };

/**
 * Runs `measure` `times` times, one after another, and returns the run whose `figure` is the
 * median (the lower one for an even count), with every run's figure. One run on this shared,
 * noisy machine says little; the median of three says more, and the spread is kept to show how much.
 */
export async function medianRun<T>(times: number, measure: () => Promise<T>, figure: (run: T) => number): Promise<MedianRun<T>> {
  const runs: T[] = [];
  for (let i = 0; i < Math.max(1, times); i += 1) runs.push(await measure());
  const figures = runs.map(figure);
  const picked = runs.find((run) => figure(run) === median(figures))!;
  return { ...picked, figureOfEachRun: figures };
}

/** Rounded for the results file: enough digits to compare runs, not more. */
export const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;

export function machine() {
  const cpu = cpus();
  return { cpuModel: cpu[0]?.model ?? 'unknown', cores: cpu.length, node: process.version, platform: `${process.platform}-${process.arch}` };
}

/** A small seeded generator, so shuffles are the same on every run. */
export function seeded(seed: number) {
  return () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}

export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/**
 * `count` apps shaped like the example's catalog app (as in the alarm-storm end-to-end test), each
 * primary in eu-west-1 with eu-central-1 on standby, one hosted zone each.
 */
export function appsConfig(count: number): LifeboatConfig {
  const region = (app: number, name: string, short: string, index: number) => `
      - name: ${name}
        eks:
          cluster: app${app}-${short}
          nodegroups: [{ name: workers, promoted: { minSize: 2, desiredSize: 4, maxSize: 8 } }]
          deployments: [{ namespace: app${app}, name: web, replicas: 4 }]
        velero: { schedule: app${app}-daily }
        route53:
          hostedZoneId: Z0APP${String(app).padStart(3, '0')}0000000000000
          recordName: www.app${app}.example.com
          recordType: A
          setIdentifier: app${app}-${name}
          healthCheckId: 0f2a4c6e-${String(app).padStart(4, '0')}-4a5b-8c9d-00000000000${index}
        alarms:
          - name: app${app}-${short}-latency-p99
          - { name: app${app}-${short}-health, region: us-east-1 }`;
  const apps = Array.from({ length: count }, (_, app) => `
  - name: app${app}
    regions:${region(app, 'eu-west-1', 'euw1', 1)}${region(app, 'eu-central-1', 'euc1', 2)}
    slack: { channel: '#app${app}', webhook: { ssmParameter: /lifeboat/app${app} } }
    policy: { rpoMinutes: 1440 }`);
  return parseConfig(`version: 1\napps:${apps.join('')}\n`);
}
