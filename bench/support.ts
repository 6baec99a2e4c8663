import { cpus } from 'node:os';

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
