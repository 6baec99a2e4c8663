import {
  ChangeResourceRecordSetsCommand,
  GetChangeCommand,
  GetHealthCheckCommand,
  GetHealthCheckStatusCommand,
  ListResourceRecordSetsCommand,
  type Change,
  type ResourceRecordSet,
  UpdateHealthCheckCommand,
  type HealthCheck,
  type Route53Client,
} from '@aws-sdk/client-route-53';
import { ConfigError, InputValidationError } from '../../domain/errors.js';
import type { TrafficGate, TrafficGates } from '../../ports/dns.js';
import type { ChangeStatus, Dns, HealthChecks, HealthObservation, RecordPosition, WeightedRecord, WeightedRecordsPage } from '../../ports/dns.js';
import { awsCall } from './errors.js';
import { normaliseRecordName } from './record-names.js';

/** Options of the adapter. */
export interface Route53DnsOptions {
  /** MaxItems per ListResourceRecordSets page; Route 53's own default (300) when absent. */
  pageSize?: number;
}

/**
 * Route 53 weighted records and health checks (ports `Dns` and `HealthChecks`). The only code
 * that talks to Route 53: it reads a weighted group by paging from its name and type, writes a
 * whole group in one transactional batch, and reports change and health-check status.
 */
export class Route53Dns implements Dns, HealthChecks, TrafficGates {
  constructor(
    private readonly client: Route53Client,
    private readonly options: Route53DnsOptions = {},
  ) {}

  /**
   * Every weighted record set with exactly this name and type. Listing starts at the name and
   * type (Route 53 sorts by name, then type, then set identifier) and stops at the first record
   * of another name or type, following NextRecordIdentifier while a group spans pages.
   */
  async readWeightedRecords(hostedZoneId: string, name: string, type: string): Promise<WeightedRecord[]> {
    const wantedName = normaliseRecordName(name);
    const records: WeightedRecord[] = [];
    let startIdentifier: string | undefined;
    for (;;) {
      const page = await awsCall(`route53:ListResourceRecordSets ${hostedZoneId} ${wantedName} ${type}`, () =>
        this.client.send(
          new ListResourceRecordSetsCommand({
            HostedZoneId: hostedZoneId,
            StartRecordName: wantedName,
            StartRecordType: type as ResourceRecordSet['Type'],
            StartRecordIdentifier: startIdentifier,
            MaxItems: this.options.pageSize,
          }),
        ),
      );
      for (const rrset of page.ResourceRecordSets ?? []) {
        if (normaliseRecordName(rrset.Name ?? '') !== wantedName || rrset.Type !== type) return records;
        if (rrset.SetIdentifier !== undefined && rrset.Weight !== undefined) records.push(toWeightedRecord(rrset));
      }
      const nextIsSameGroup =
        page.IsTruncated === true &&
        page.NextRecordIdentifier !== undefined &&
        normaliseRecordName(page.NextRecordName ?? '') === wantedName &&
        page.NextRecordType === type;
      if (!nextIsSameGroup) return records;
      startIdentifier = page.NextRecordIdentifier;
    }
  }

  /**
   * UPSERTs the given record sets in one ChangeResourceRecordSets batch, each restated whole
   * (an UPSERT replaces the record set, so anything left out would be dropped): values and TTL
   * or the alias target, health check, set identifier and weight. Route 53 applies a batch all
   * or nothing.
   */
  async upsertRecords(hostedZoneId: string, records: WeightedRecord[], comment: string): Promise<{ changeId: string }> {
    if (records.length === 0) throw new InputValidationError([{ path: 'records', message: 'must name at least one record' }], 'upsert');
    const changes: Change[] = records.map((record) => ({ Action: 'UPSERT', ResourceRecordSet: toResourceRecordSet(record) }));
    const output = await awsCall(`route53:ChangeResourceRecordSets ${hostedZoneId}`, () =>
      this.client.send(new ChangeResourceRecordSetsCommand({ HostedZoneId: hostedZoneId, ChangeBatch: { Comment: comment, Changes: changes } })),
    );
    return { changeId: output.ChangeInfo?.Id ?? '' };
  }

  /**
   * One ListResourceRecordSets request over the whole zone (from `from`, or its start): the
   * weighted record sets of the page, and the position of the next page when there is one.
   */
  async listWeightedRecordsPage(hostedZoneId: string, from?: RecordPosition): Promise<WeightedRecordsPage> {
    const page = await awsCall(`route53:ListResourceRecordSets ${hostedZoneId}${from ? ` from ${from.name} ${from.type}` : ''}`, () =>
      this.client.send(
        new ListResourceRecordSetsCommand({
          HostedZoneId: hostedZoneId,
          StartRecordName: from?.name,
          StartRecordType: from?.type as ResourceRecordSet['Type'],
          StartRecordIdentifier: from?.setIdentifier,
          MaxItems: this.options.pageSize,
        }),
      ),
    );
    const records = (page.ResourceRecordSets ?? []).filter((rrset) => rrset.SetIdentifier !== undefined && rrset.Weight !== undefined).map(toWeightedRecord);
    if (page.IsTruncated !== true || page.NextRecordName === undefined || page.NextRecordType === undefined) return { records };
    const next: RecordPosition = { name: page.NextRecordName, type: page.NextRecordType };
    if (page.NextRecordIdentifier !== undefined) next.setIdentifier = page.NextRecordIdentifier;
    return { records, next };
  }

  /** PENDING until the change has reached every Route 53 DNS server, then INSYNC. */
  async changeStatus(changeId: string): Promise<ChangeStatus> {
    const output = await awsCall(`route53:GetChange ${changeId}`, () => this.client.send(new GetChangeCommand({ Id: changeId })));
    return output.ChangeInfo?.Status === 'INSYNC' ? 'INSYNC' : 'PENDING';
  }

  /** Each checker's latest report; a report is healthy when it starts with `Success`. */
  async observe(healthCheckId: string): Promise<HealthObservation[]> {
    const output = await awsCall(`route53:GetHealthCheckStatus ${healthCheckId}`, () =>
      this.client.send(new GetHealthCheckStatusCommand({ HealthCheckId: healthCheckId })),
    );
    return (output.HealthCheckObservations ?? []).map((observation) => {
      const report = observation.StatusReport?.Status ?? '';
      const result: HealthObservation = { checkerRegion: observation.Region ?? 'unknown', healthy: report.startsWith('Success'), report };
      if (observation.StatusReport?.CheckedTime) result.checkedAt = observation.StatusReport.CheckedTime;
      return result;
    });
  }

  /** A gate's state from its configuration: a CALCULATED check over exactly one child, open while HealthThreshold is at most 1. */
  async readGate(healthCheckId: string): Promise<TrafficGate> {
    const output = await awsCall(`route53:GetHealthCheck ${healthCheckId}`, () => this.client.send(new GetHealthCheckCommand({ HealthCheckId: healthCheckId })));
    return toGate(healthCheckId, output.HealthCheck);
  }

  /**
   * Opens (HealthThreshold 1: healthy while its endpoint is) or closes (2, more than its one child:
   * always unhealthy) a gate with a single UpdateHealthCheck, and reads the result from the answer.
   * No read first and no HealthCheckVersion: Route 53 allows five requests a second per account, a
   * failover flips every gate of an app at once, and the gate belongs to Lifeboat (docs/data-plane.md).
   */
  async setGate(healthCheckId: string, open: boolean): Promise<TrafficGate> {
    const output = await awsCall(`route53:UpdateHealthCheck ${healthCheckId}`, () =>
      this.client.send(new UpdateHealthCheckCommand({ HealthCheckId: healthCheckId, HealthThreshold: open ? 1 : 2 })),
    );
    return toGate(healthCheckId, output.HealthCheck);
  }
}

/** A health check as a gate; ConfigError unless it is CALCULATED over exactly one child (the region's endpoint check). */
function toGate(healthCheckId: string, check: HealthCheck | undefined): TrafficGate {
  const config = check?.HealthCheckConfig;
  const children = config?.ChildHealthChecks?.length ?? 0;
  if (config?.Type !== 'CALCULATED' || children !== 1) {
    const what = config?.Type === 'CALCULATED' ? `a CALCULATED check over ${children} children` : (config?.Type ?? 'unknown');
    throw new ConfigError([{ path: 'gateHealthCheckId', message: `health check ${healthCheckId} is ${what}, not a gate (CALCULATED over the region's endpoint check alone)` }], 'traffic gate');
  }
  return { healthCheckId, open: (config.HealthThreshold ?? 0) <= 1, version: check?.HealthCheckVersion ?? 1 };
}

function toWeightedRecord(rrset: ResourceRecordSet): WeightedRecord {
  const record: WeightedRecord = {
    name: normaliseRecordName(rrset.Name ?? ''),
    type: rrset.Type ?? '',
    setIdentifier: rrset.SetIdentifier ?? '',
    weight: rrset.Weight ?? 0,
  };
  if (rrset.TTL !== undefined) record.ttl = rrset.TTL;
  if (rrset.ResourceRecords !== undefined) record.values = rrset.ResourceRecords.map((rr) => rr.Value ?? '');
  if (rrset.AliasTarget !== undefined) {
    record.alias = {
      hostedZoneId: rrset.AliasTarget.HostedZoneId ?? '',
      dnsName: rrset.AliasTarget.DNSName ?? '',
      evaluateTargetHealth: rrset.AliasTarget.EvaluateTargetHealth ?? false,
    };
  }
  if (rrset.HealthCheckId !== undefined) record.healthCheckId = rrset.HealthCheckId;
  return record;
}

function toResourceRecordSet(record: WeightedRecord): ResourceRecordSet {
  const rrset: ResourceRecordSet = {
    Name: record.name,
    Type: record.type as ResourceRecordSet['Type'],
    SetIdentifier: record.setIdentifier,
    Weight: record.weight,
  };
  if (record.alias) {
    rrset.AliasTarget = {
      HostedZoneId: record.alias.hostedZoneId,
      DNSName: record.alias.dnsName,
      EvaluateTargetHealth: record.alias.evaluateTargetHealth,
    };
  } else {
    if (record.ttl !== undefined) rrset.TTL = record.ttl;
    if (record.values !== undefined) rrset.ResourceRecords = record.values.map((Value) => ({ Value }));
  }
  if (record.healthCheckId !== undefined) rrset.HealthCheckId = record.healthCheckId;
  return rrset;
}
