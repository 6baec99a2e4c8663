import { GetMetricDataCommand, type CloudWatchClient, type MetricDataQuery } from '@aws-sdk/client-cloudwatch';
import { isRetryable } from '../../domain/errors.js';
import type { Clock } from '../../ports/clock.js';
import type { HealthCheckMetrics, HealthChecks, HealthObservation } from '../../ports/dns.js';
import { awsCall } from './errors.js';

/** Route 53 publishes its health-check metrics in us-east-1 only. */
export const ROUTE53_METRICS_REGION = 'us-east-1';
/** GetMetricData takes at most 500 queries per request. */
const MAX_QUERIES = 500;
/** HealthCheckStatus is a one-minute metric; the latest datapoint of the last five minutes is the status. */
const LOOKBACK_MS = 5 * 60_000;

export interface CloudWatchHealthOptions {
  cloudwatch: (region: string) => CloudWatchClient;
  clock: Clock;
  /** Asked when CloudWatch does not answer or has no datapoint (Route 53's GetHealthCheckStatus). */
  fallback?: HealthChecks;
}

/**
 * Route 53 health-check status read from CloudWatch (metric `AWS/Route53 HealthCheckStatus`, 1
 * healthy, 0 not, Minimum over a minute): many checks per request and outside Route 53's five
 * requests a second, which an evacuation of hundreds of apps needs for its other calls. As the
 * `HealthChecks` port it reports one observation, the metric; when us-east-1's CloudWatch does not
 * answer (it may be the failing region) or has no datapoint, it asks the fallback instead.
 */
export class CloudWatchHealthChecks implements HealthCheckMetrics, HealthChecks {
  constructor(private readonly options: CloudWatchHealthOptions) {}

  async healthCheckStatuses(healthCheckIds: readonly string[]): Promise<Map<string, boolean>> {
    const statuses = new Map<string, boolean>();
    const ids = [...new Set(healthCheckIds)];
    const now = this.options.clock.now();
    for (let start = 0; start < ids.length; start += MAX_QUERIES) {
      const chunk = ids.slice(start, start + MAX_QUERIES);
      const queries: MetricDataQuery[] = chunk.map((id, index) => ({
        Id: `h${index}`,
        MetricStat: { Metric: { Namespace: 'AWS/Route53', MetricName: 'HealthCheckStatus', Dimensions: [{ Name: 'HealthCheckId', Value: id }] }, Period: 60, Stat: 'Minimum' },
      }));
      const output = await awsCall(`cloudwatch:GetMetricData ${ROUTE53_METRICS_REGION} (${chunk.length} health checks)`, () =>
        this.options.cloudwatch(ROUTE53_METRICS_REGION).send(
          new GetMetricDataCommand({ MetricDataQueries: queries, StartTime: new Date(now.getTime() - LOOKBACK_MS), EndTime: new Date(now.getTime() + 60_000), ScanBy: 'TimestampDescending' }),
        ),
      );
      for (const result of output.MetricDataResults ?? []) {
        const value = result.Values?.[0];
        const id = chunk[Number((result.Id ?? '').slice(1))];
        if (id !== undefined && value !== undefined) statuses.set(id, value >= 1);
      }
    }
    return statuses;
  }

  async observe(healthCheckId: string): Promise<HealthObservation[]> {
    let status: boolean | undefined;
    try {
      status = (await this.healthCheckStatuses([healthCheckId])).get(healthCheckId);
    } catch (error) {
      if (!this.options.fallback || !isRetryable(error)) throw error;
    }
    if (status === undefined) {
      if (!this.options.fallback) return [];
      return this.options.fallback.observe(healthCheckId);
    }
    return [{ checkerRegion: `cloudwatch:${ROUTE53_METRICS_REGION}`, healthy: status, report: `HealthCheckStatus ${status ? 1 : 0} (CloudWatch AWS/Route53)` }];
  }
}
