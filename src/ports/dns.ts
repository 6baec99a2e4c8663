/** One weighted resource record set, as Lifeboat needs to see it (free of SDK types). */
export interface WeightedRecord {
  name: string; // fully qualified, with the trailing dot Route 53 returns
  type: string; // A, AAAA, CNAME, ...
  setIdentifier: string;
  weight: number; // 0-255
  ttl?: number; // absent for alias records
  values?: string[]; // ResourceRecords values, absent for alias records
  alias?: { hostedZoneId: string; dnsName: string; evaluateTargetHealth: boolean };
  healthCheckId?: string;
}

export type ChangeStatus = 'PENDING' | 'INSYNC';

/** Where a ListResourceRecordSets page starts (Route 53's order: name, type, set identifier). */
export interface RecordPosition {
  name: string;
  type: string;
  setIdentifier?: string;
}

/** One page of a hosted zone's record sets: its weighted records, and where the next page starts. */
export interface WeightedRecordsPage {
  records: WeightedRecord[];
  next?: RecordPosition;
}

/** Route 53 weighted records of one hosted zone. */
export interface Dns {
  /** Every weighted record with exactly this name and type. */
  readWeightedRecords(hostedZoneId: string, name: string, type: string): Promise<WeightedRecord[]>;
  /** UPSERTs the given records (complete record sets) in one change batch. */
  upsertRecords(hostedZoneId: string, records: WeightedRecord[], comment: string): Promise<{ changeId: string }>;
  changeStatus(changeId: string): Promise<ChangeStatus>;
  /**
   * One page (one request) of every weighted record in the zone, from `from` (the start when
   * absent): how an evacuation reads a zone once for all its apps, counting each request against
   * the account's rate limit.
   */
  listWeightedRecordsPage(hostedZoneId: string, from?: RecordPosition): Promise<WeightedRecordsPage>;
}

/** One Route 53 health checker's latest observation. */
export interface HealthObservation {
  checkerRegion: string;
  healthy: boolean;
  report: string;
  checkedAt?: Date;
}

export interface HealthChecks {
  observe(healthCheckId: string): Promise<HealthObservation[]>;
}

/**
 * Route 53 health-check status as CloudWatch publishes it (namespace AWS/Route53, us-east-1): many
 * health checks in one request, without spending Route 53's own request rate.
 */
export interface HealthCheckMetrics {
  /** HealthCheckStatus per id (true healthy, false not); ids with no datapoint are absent. */
  healthCheckStatuses(healthCheckIds: readonly string[]): Promise<Map<string, boolean>>;
}

/**
 * A health check Lifeboat controls, bound to a weighted record (docs/data-plane.md): a CALCULATED
 * check whose only child is the region's endpoint health check. Open (HealthThreshold 1): healthy
 * exactly when the endpoint is, so Route 53 answers with the record by its weight. Closed
 * (HealthThreshold above the number of children): always unhealthy, so Route 53 leaves it out.
 */
export interface TrafficGate {
  healthCheckId: string;
  open: boolean;
  /** HealthCheckVersion, as Route 53 reports it. */
  version: number;
}

/** Moving traffic through Route 53's data plane: health-check status instead of record changes. */
export interface TrafficGates {
  /** The gate's state; ConfigError when the health check is not a CALCULATED check (not a gate). */
  readGate(healthCheckId: string): Promise<TrafficGate>;
  /**
   * Opens or closes the gate with one UpdateHealthCheck (setting the same state again is harmless),
   * and returns it as Route 53 now has it; ConfigError when it is not a gate.
   */
  setGate(healthCheckId: string, open: boolean): Promise<TrafficGate>;
}
