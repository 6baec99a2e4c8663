import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { ThrottledError } from '../domain/errors.js';

/*
 * The orchestrator's own metrics, as CloudWatch embedded metric format (EMF) lines on stdout:
 * Lambda ships them to CloudWatch Logs and CloudWatch extracts the metrics, with no API call in the
 * failover's path. Namespace `Lifeboat`; dimensions `app` and `step` only (so the number of series
 * stays small); the incident id rides along as metadata, searchable in the log line but not a
 * dimension (one series per incident would be useless and billed).
 *
 * - `FailoverStarted` (Trigger): an execution the trigger started (not a duplicate delivery);
 * - `FailoverSucceeded` / `FailoverFailed` (ReleaseLock): how the workflow ended;
 * - `StepDuration` (each step, milliseconds): one per Lambda invocation, retries included;
 * - `Throttles` (each step): an invocation that ended in ThrottledError.
 *
 * Each metric is published at once with its own dimensions (a Powertools single metric), so one
 * invocation never mixes apps, and nothing needs flushing if the Lambda dies. Disabled by
 * POWERTOOLS_METRICS_DISABLED=true (the embedded runtime sets it unless told otherwise).
 */

export const METRICS_NAMESPACE = 'Lifeboat';

export type LifeboatMetric = 'FailoverStarted' | 'FailoverSucceeded' | 'FailoverFailed' | 'StepDuration' | 'Throttles';

/** Publishes one metric now, dimensioned by app and step, with the incident id as metadata. */
export function emitMetric(name: LifeboatMetric, value: number, where: { app: string; step: string; incidentId?: string }): void {
  if (metricsDisabled()) return;
  // A new instance per metric keeps dimensions apart.
  const metric = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: 'lifeboat', singleMetric: true });
  metric.clearDefaultDimensions(); // no `service` dimension: app and step only
  metric.addDimensions({ app: where.app, step: where.step });
  if (where.incidentId) metric.addMetadata('incidentId', where.incidentId);
  metric.addMetric(name, name === 'StepDuration' ? MetricUnit.Milliseconds : MetricUnit.Count, value);
}

/** Powertools' own reading of the environment (its `isDisabled` is protected). */
class DisabledProbe extends Metrics {
  get dropsMetrics(): boolean {
    return this.isDisabled();
  }
}

let disabledProbe: { env: string; disabled: boolean } | undefined;

/**
 * Whether Powertools would drop a metric now, asked of one probe instance per value of the two
 * variables it reads: building an instance (environment parsing, a Console) for a metric that is
 * dropped cost more than the rest of the embedded runtime's bookkeeping of a step.
 */
function metricsDisabled(): boolean {
  const env = `${process.env.POWERTOOLS_METRICS_DISABLED}\u0000${process.env.POWERTOOLS_DEV}`;
  if (disabledProbe?.env !== env) disabledProbe = { env, disabled: new DisabledProbe({ namespace: METRICS_NAMESPACE }).dropsMetrics };
  return disabledProbe.disabled;
}

interface StepInputShape {
  app?: string;
  incidentId?: string;
  outcome?: string;
  request?: { app?: string; incidentId?: string };
  snapshot?: { app?: string; incidentId?: string };
}

/**
 * What one step invocation tells CloudWatch: its duration, a throttle when it ended in
 * ThrottledError, and for ReleaseLock how the failover ended. Never throws: metrics must not fail a step.
 */
export function recordStep(step: string, input: unknown, durationMs: number, error?: unknown): void {
  try {
    const shape = (input ?? {}) as StepInputShape;
    const app = shape.app ?? shape.request?.app ?? shape.snapshot?.app;
    if (!app) return;
    const where = { app, step, incidentId: shape.incidentId ?? shape.request?.incidentId ?? shape.snapshot?.incidentId };
    emitMetric('StepDuration', durationMs, where);
    if (error instanceof ThrottledError) emitMetric('Throttles', 1, where);
    if (step === 'ReleaseLock' && error === undefined) emitMetric(shape.outcome === 'succeeded' ? 'FailoverSucceeded' : 'FailoverFailed', 1, where);
  } catch {
    // a metric that cannot be written is not worth a failed step
  }
}

/** FailoverStarted for every execution a trigger started (duplicates of a transition are not new failovers). Returns `result`. */
export function recordStarted<R extends { started: { app: string; executionName: string; alreadyStarted: boolean }[] }>(result: R): R {
  try {
    for (const started of result.started) {
      if (!started.alreadyStarted) emitMetric('FailoverStarted', 1, { app: started.app, step: 'Trigger', incidentId: started.executionName });
    }
  } catch {
    // as above
  }
  return result;
}
