import type { HealthCheck, HealthCheckConfig, HealthCheckObservation } from '@aws-sdk/client-route-53';

/** The regions Route 53 health checkers run in (the HealthCheckRegion enum); all by default. */
export const HEALTH_CHECKER_REGIONS: readonly string[] = [
  'us-east-1', 'us-west-1', 'us-west-2', 'eu-west-1', 'ap-southeast-1', 'ap-southeast-2', 'ap-northeast-1', 'sa-east-1',
];

/** How often checkers probe by default (RequestInterval, seconds). */
export const DEFAULT_REQUEST_INTERVAL_SECONDS = 30;

/** What checkers report for a healthy HTTP endpoint. */
export const HEALTHY_REPORT = 'Success: HTTP Status Code 200, OK';

/** What checkers report when the endpoint does not answer (the console's wording for a timeout). */
export const UNHEALTHY_REPORT =
  'Failure: Connection timed out. The endpoint or the internet connection is down, or requests are being blocked by your firewall. See https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/dns-failover-router-firewall-rules.html';

/** One health check as the fake keeps it: its configuration and what each checker region sees. */
export interface FakeHealthCheck {
  id: string;
  config: HealthCheckConfig;
  /** Status report per checker region, `Success: ...` or `Failure: ...`. */
  reports: Map<string, string>;
}

/** A health check with defaults for everything the caller did not give. */
export function newHealthCheck(id: string, config: Partial<HealthCheckConfig> = {}): FakeHealthCheck {
  const full: HealthCheckConfig = {
    Type: 'HTTPS',
    FullyQualifiedDomainName: `${id}.health.example.com`,
    Port: 443,
    ResourcePath: '/healthz',
    RequestInterval: DEFAULT_REQUEST_INTERVAL_SECONDS,
    FailureThreshold: 3,
    ...config,
  };
  const regions = full.Regions?.length ? full.Regions : HEALTH_CHECKER_REGIONS;
  return { id, config: full, reports: new Map(regions.map((region) => [region, HEALTHY_REPORT])) };
}

/** The GetHealthCheck view of a fake health check. */
export function healthCheckView(check: FakeHealthCheck): HealthCheck {
  return { Id: check.id, CallerReference: `lifeboat-fake-${check.id}`, HealthCheckConfig: { ...check.config }, HealthCheckVersion: 1 };
}

/**
 * One observation per checker region, as GetHealthCheckStatus returns them: the checker's IP,
 * its region, and its latest report with the time of the last probe (probes happen every
 * RequestInterval seconds, so CheckedTime is `now` rounded down to that interval).
 */
export function observations(check: FakeHealthCheck, now: Date): HealthCheckObservation[] {
  const intervalMs = (check.config.RequestInterval ?? DEFAULT_REQUEST_INTERVAL_SECONDS) * 1000;
  const checkedTime = new Date(Math.floor(now.getTime() / intervalMs) * intervalMs);
  return [...check.reports.entries()].map(([region, status], index) => ({
    Region: region as HealthCheckObservation['Region'],
    // Route 53 checkers live in 15.177.0.0/18 (the ROUTE53_HEALTHCHECKS range in ip-ranges.json).
    IPAddress: `15.177.${index * 2}.${10 + index}`,
    StatusReport: { Status: status, CheckedTime: checkedTime },
  }));
}

/** The error Route 53 returns for a health check ID it does not know. */
export function noSuchHealthCheckMessage(id: string): string {
  return `No health check exists with the specified ID ${id}.`;
}
