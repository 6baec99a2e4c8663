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

/** Route 53 weighted records of one hosted zone. */
export interface Dns {
  /** Every weighted record with exactly this name and type. */
  readWeightedRecords(hostedZoneId: string, name: string, type: string): Promise<WeightedRecord[]>;
  /** UPSERTs the given records (complete record sets) in one change batch. */
  upsertRecords(hostedZoneId: string, records: WeightedRecord[], comment: string): Promise<{ changeId: string }>;
  changeStatus(changeId: string): Promise<ChangeStatus>;
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
