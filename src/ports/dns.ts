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
