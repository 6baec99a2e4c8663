import * as route53 from '@aws-sdk/client-route-53';
import type {
  ChangeInfo,
  ChangeResourceRecordSetsRequest,
  GetChangeRequest,
  GetHealthCheckRequest,
  GetHealthCheckStatusRequest,
  HealthCheckConfig,
  ListResourceRecordSetsRequest,
  ListResourceRecordSetsResponse,
  ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { TokenBucket } from '../../domain/rate-limit.js';
import type { Clock } from '../../ports/clock.js';
import type { FakeCallContext } from './attach-fake.js';
import { AwsFault, FakeNotImplementedError } from './aws-fault.js';
import { exceptionCatalog } from './exception-catalog.js';
import { FAKE_ACCOUNT_ID, FakeAwsService, type FaultTemplate } from './fake-service.js';
import { applyChangeBatch, recordKey } from './route53-change-rules.js';
import {
  HEALTHY_REPORT,
  UNHEALTHY_REPORT,
  healthCheckView,
  newHealthCheck,
  noSuchHealthCheckMessage,
  observations,
  type FakeHealthCheck,
} from './route53-health.js';
import { canonicalDnsName, compareAscii, nameSortKey } from './route53-names.js';

const ROUTE53_EXCEPTIONS = exceptionCatalog(route53, route53.Route53ServiceException);

/**
 * How long the simulated world's Route 53 keeps a zone busy after accepting a change. Not
 * documented by AWS; changes are applied "within seconds" and clients that chain batches to one
 * zone see PriorRequestNotComplete only when they do not wait for the previous request at all, so
 * half a second: a second request to the zone in the same instant is refused, one a second later
 * (the state machine's shortest Retry interval) is accepted.
 */
export const ZONE_PROCESSING_MS = 500;

/** ListResourceRecordSets "returns up to 300 resource record sets at a time". */
const MAX_LIST_ITEMS = 300;

/** Options of the fake. */
export interface FakeRoute53Options {
  /** Seconds of clock time before a change goes from PENDING to INSYNC (default 60). */
  changeSyncSeconds?: number;
  /**
   * The account's request rate across every Route 53 operation (default 5 per second, the
   * documented quota), as a token bucket of that many tokens on the clock; over it, Throttling.
   * Raise it only where a test means to (a world option), never to hide a caller's burst.
   */
  requestsPerSecond?: number;
  /**
   * Milliseconds during which Route 53 is still applying a zone's last accepted change: another
   * ChangeResourceRecordSets to that zone in this window is refused with PriorRequestNotComplete
   * (default 500). This is the service working through the request, not the ~60 s it takes the
   * change to reach every name server (INSYNC), during which further changes are accepted.
   * 0 (the fake's default, for unit tests of single calls) turns it off; the simulated world uses
   * {@link ZONE_PROCESSING_MS}.
   */
  zoneProcessingMs?: number;
}

/** What the fake counts for benchmarks: calls by operation, and how many were throttled. */
export interface Route53CallStats {
  calls: number;
  changeCalls: number;
  throttled: number;
  priorRequestNotComplete: number;
}

interface Zone {
  id: string;
  name: string;
  records: Map<string, ResourceRecordSet>;
  /** Until when (epoch ms) the zone's last accepted change is still being applied. */
  busyUntil: number;
}

interface SubmittedChange {
  id: string;
  submittedAt: Date;
  comment?: string;
}

/** What Route 53 sends for the failures tests inject (Developer Guide, "Quotas": request throttling). */
const ROUTE53_FAULTS: Record<string, FaultTemplate> = {
  // Unmodeled by the SDK: it arrives as Route53ServiceException named Throttling.
  Throttling: { httpStatusCode: 400, message: 'Rate exceeded' },
  PriorRequestNotComplete: {
    httpStatusCode: 400,
    message: 'The request was rejected because Route 53 was still processing a prior request.',
  },
  InvalidInput: { httpStatusCode: 400, message: 'Invalid request' },
  AccessDenied: {
    httpStatusCode: 403,
    message: `User: arn:aws:sts::${FAKE_ACCOUNT_ID}:assumed-role/lifeboat/session is not authorized to perform this action`,
  },
  ServiceUnavailable: { httpStatusCode: 503, message: 'Service Unavailable' },
};

/**
 * Route 53 for the calls Lifeboat makes: hosted zones with record sets, changes that go from
 * PENDING to INSYNC after `changeSyncSeconds` of clock time, listing in Route 53's order with its
 * paging, and health checks whose health a test sets. ChangeResourceRecordSets enforces the
 * service's validation (see route53-change-rules.ts). Attach it to a `Route53Client` with
 * `attachFake`.
 */
export class FakeRoute53 extends FakeAwsService {
  readonly fakeName = 'FakeRoute53';
  readonly exceptions = ROUTE53_EXCEPTIONS;
  protected readonly operations = [
    'ChangeResourceRecordSets',
    'GetChange',
    'ListResourceRecordSets',
    'GetHealthCheck',
    'GetHealthCheckStatus',
    'UpdateHealthCheck',
  ] as const;
  protected readonly injectableFaults = ROUTE53_FAULTS;

  readonly changeSyncSeconds: number;
  readonly requestsPerSecond: number;
  readonly zoneProcessingMs: number;
  private readonly requestBucket: TokenBucket;
  private throttled = 0;
  private readonly zones = new Map<string, Zone>();
  private readonly changes = new Map<string, SubmittedChange>();
  private readonly healthChecks = new Map<string, FakeHealthCheck>();
  /** HealthCheckVersion per health check: 1 when created, +1 per UpdateHealthCheck. */
  private readonly healthCheckVersions = new Map<string, number>();
  private readonly changeCounts = new Map<string, number>();
  private changeSequence = 0;

  constructor(clock: Clock, options: FakeRoute53Options = {}) {
    super(clock);
    this.changeSyncSeconds = options.changeSyncSeconds ?? 60;
    this.requestsPerSecond = options.requestsPerSecond ?? 5;
    this.zoneProcessingMs = options.zoneProcessingMs ?? 0;
    this.requestBucket = new TokenBucket(this.requestsPerSecond, this.requestsPerSecond, clock.now());
  }

  /**
   * Every request first passes the account's rate limit: over it, Throttling ("Rate exceeded"),
   * before the fake looks at anything else, as the service's front door does.
   */
  override async handle(operation: string, input: unknown, context: FakeCallContext): Promise<object> {
    if (!this.requestBucket.tryTake(this.clock.now())) {
      this.throttled += 1;
      this.throttle(operation, input, context);
    }
    return super.handle(operation, input, context);
  }

  /** Calls so far: all, ChangeResourceRecordSets (accepted or not), throttled, refused while a zone was busy. */
  stats(): Route53CallStats {
    return {
      calls: this.calls.length,
      changeCalls: this.calls.filter((call) => call.operation === 'ChangeResourceRecordSets').length,
      throttled: this.throttled,
      priorRequestNotComplete: this.calls.filter((call) => call.error === 'PriorRequestNotComplete').length,
    };
  }

  // ---- seeding and inspection ------------------------------------------------------------------

  /** Creates a hosted zone with the SOA and NS record sets Route 53 puts at every apex. */
  addHostedZone(id: string, name: string): this {
    const zoneId = stripPrefix(id);
    const zoneName = canonicalDnsName(name);
    const zone: Zone = { id: zoneId, name: zoneName, records: new Map(), busyUntil: 0 };
    const apex: ResourceRecordSet[] = [
      {
        Name: zoneName,
        Type: 'NS',
        TTL: 172800,
        ResourceRecords: ['ns-1.awsdns-01.org.', 'ns-2.awsdns-02.co.uk.', 'ns-3.awsdns-03.com.', 'ns-4.awsdns-04.net.'].map(
          (Value) => ({ Value }),
        ),
      },
      {
        Name: zoneName,
        Type: 'SOA',
        TTL: 900,
        ResourceRecords: [{ Value: 'ns-1.awsdns-01.org. awsdns-hostmaster.amazon.com. 1 7200 900 1209600 86400' }],
      },
    ];
    for (const rrset of apex) zone.records.set(recordKey(zoneName, rrset.Type ?? ''), rrset);
    this.zones.set(zoneId, zone);
    return this;
  }

  /** Seeds a record set, checked by the same rules as a CREATE, without counting as a change. */
  putRecord(hostedZoneId: string, rrset: ResourceRecordSet): this {
    const zone = this.zone(hostedZoneId);
    const applied = applyChangeBatch(zone, [{ Action: 'CREATE', ResourceRecordSet: rrset }], (id) => this.healthChecks.has(id));
    zone.records = applied.records;
    return this;
  }

  /** Registers a health check (healthy in every checker region) with optional configuration. */
  addHealthCheck(id: string, config: Partial<HealthCheckConfig> = {}): this {
    this.healthChecks.set(id, newHealthCheck(id, config));
    return this;
  }

  /**
   * Sets what the checkers see: healthy reports `Success: HTTP Status Code 200, OK`, unhealthy a
   * connection time-out (or `report`). With `regions`, only those checkers change, as when one
   * checker region loses its path to the endpoint. Creates the health check if it does not exist.
   */
  setHealthCheck(id: string, healthy: boolean, options: { report?: string; regions?: readonly string[] } = {}): this {
    const check = this.healthChecks.get(id) ?? newHealthCheck(id);
    this.healthChecks.set(id, check);
    const report = options.report ?? (healthy ? HEALTHY_REPORT : UNHEALTHY_REPORT);
    for (const region of options.regions ?? [...check.reports.keys()]) {
      if (!check.reports.has(region)) throw new RangeError(`health check ${id} has no checker in ${region}`);
      check.reports.set(region, report);
    }
    return this;
  }

  /**
   * What Route 53 publishes to CloudWatch (us-east-1, namespace AWS/Route53) for a health check:
   * `HealthCheckStatus` 1 when more than 18% of checkers report healthy, else 0, and
   * `HealthCheckPercentageHealthy`. Undefined for an unknown health check (no metric).
   */
  healthCheckMetrics(id: string): { HealthCheckStatus: number; HealthCheckPercentageHealthy: number } | undefined {
    const check = this.healthChecks.get(id);
    if (!check) return undefined;
    const reports = [...check.reports.values()];
    const healthy = reports.filter((report) => report.startsWith('Success')).length;
    const percentage = reports.length === 0 ? 0 : (100 * healthy) / reports.length;
    return { HealthCheckStatus: reports.length > 0 && healthy / reports.length > 0.18 ? 1 : 0, HealthCheckPercentageHealthy: percentage };
  }

  /** Every record set of a zone, in ListResourceRecordSets order (copies). */
  records(hostedZoneId: string): ResourceRecordSet[] {
    return structuredClone(sortedRecords(this.zone(hostedZoneId)));
  }

  /** One record set, or undefined. */
  record(hostedZoneId: string, name: string, type: string, setIdentifier?: string): ResourceRecordSet | undefined {
    const rrset = this.zone(hostedZoneId).records.get(recordKey(name, type, setIdentifier));
    return rrset && structuredClone(rrset);
  }

  /** How many accepted changes (CREATE, UPSERT or DELETE) touched this record set, in any zone. */
  changesTo(name: string, type: string, setIdentifier?: string): number {
    return this.changeCounts.get(recordKey(name, type, setIdentifier)) ?? 0;
  }

  // ---- operations ------------------------------------------------------------------------------

  /** Validates and applies a batch all or nothing; the change is PENDING until it syncs. */
  ChangeResourceRecordSets(input: ChangeResourceRecordSetsRequest): { ChangeInfo: ChangeInfo } {
    const zone = this.zone(input.HostedZoneId);
    const changes = input.ChangeBatch?.Changes ?? [];
    if (changes.length === 0) {
      throw new AwsFault(
        'InvalidInput',
        "1 validation error detected: Value '[]' at 'changeBatch.changes' failed to satisfy constraint: Member must have length greater than or equal to 1",
      );
    }
    const now = this.clock.now().getTime();
    if (now < zone.busyUntil) {
      const { message, ...options } = ROUTE53_FAULTS.PriorRequestNotComplete!;
      throw new AwsFault('PriorRequestNotComplete', message, options);
    }
    const applied = applyChangeBatch(zone, changes, (id) => this.healthChecks.has(id));
    zone.records = applied.records;
    zone.busyUntil = now + this.zoneProcessingMs;
    for (const key of applied.changedKeys) this.changeCounts.set(key, (this.changeCounts.get(key) ?? 0) + 1);

    const change: SubmittedChange = { id: this.nextChangeId(), submittedAt: this.clock.now() };
    if (input.ChangeBatch?.Comment !== undefined) change.comment = input.ChangeBatch.Comment;
    this.changes.set(change.id, change);
    return { ChangeInfo: this.changeInfo(change) };
  }

  /** The change's status by ID (with or without `/change/`); NoSuchChange when unknown. */
  GetChange(input: GetChangeRequest): { ChangeInfo: ChangeInfo } {
    const change = this.changes.get(stripPrefix(input.Id));
    if (!change) {
      throw new AwsFault('NoSuchChange', `A change with the specified change ID does not exist: ${input.Id}`, { httpStatusCode: 404 });
    }
    return { ChangeInfo: this.changeInfo(change) };
  }

  /**
   * Lists in Route 53's order (name with labels reversed, then type, then set identifier, all
   * ASCII) from the position StartRecordName/StartRecordType/StartRecordIdentifier name, at most
   * MaxItems (capped at 300) at a time, with IsTruncated and the Next* position of the rest.
   */
  ListResourceRecordSets(input: ListResourceRecordSetsRequest): ListResourceRecordSetsResponse {
    const zone = this.zone(input.HostedZoneId);
    if (input.StartRecordType !== undefined && input.StartRecordName === undefined) {
      throw new AwsFault('InvalidInput', 'The input is not valid: StartRecordType requires StartRecordName');
    }
    if (input.StartRecordIdentifier !== undefined && (input.StartRecordName === undefined || input.StartRecordType === undefined)) {
      throw new AwsFault('InvalidInput', 'The input is not valid: StartRecordIdentifier requires StartRecordName and StartRecordType');
    }
    const requested = input.MaxItems ?? MAX_LIST_ITEMS;
    if (!Number.isInteger(requested) || requested < 1) {
      throw new AwsFault('InvalidInput', `The input is not valid: MaxItems must be a positive integer, got ${requested}`);
    }
    const sorted = sortedRecords(zone);
    const start: Position = [
      input.StartRecordName === undefined ? '' : nameSortKey(canonicalDnsName(input.StartRecordName)),
      input.StartRecordType ?? '',
      input.StartRecordIdentifier ?? '',
    ];
    const from = sorted.findIndex((rrset) => comparePositions(positionOf(rrset), start) >= 0);
    const remaining = from < 0 ? [] : sorted.slice(from);
    const page = remaining.slice(0, Math.min(requested, MAX_LIST_ITEMS));
    const next = remaining[page.length];
    const response: ListResourceRecordSetsResponse = {
      ResourceRecordSets: structuredClone(page),
      IsTruncated: next !== undefined,
      MaxItems: requested,
    };
    if (next) {
      response.NextRecordName = next.Name;
      response.NextRecordType = next.Type;
      if (next.SetIdentifier !== undefined) response.NextRecordIdentifier = next.SetIdentifier;
    }
    return response;
  }

  /** The health check's configuration; NoSuchHealthCheck when unknown. */
  GetHealthCheck(input: GetHealthCheckRequest): object {
    const check = this.healthCheck(input.HealthCheckId);
    return { HealthCheck: { ...healthCheckView(check), HealthCheckVersion: this.healthCheckVersions.get(check.id) ?? 1 } };
  }

  /** One observation per checker region with its latest report. */
  GetHealthCheckStatus(input: GetHealthCheckStatusRequest): object {
    return { HealthCheckObservations: observations(this.healthCheck(input.HealthCheckId), this.clock.now()) };
  }

  /**
   * UpdateHealthCheck for the fields Lifeboat sets (HealthThreshold, under HealthCheckVersion), with
   * the service's rules: an unknown id is NoSuchHealthCheck; a version other than the current one is
   * HealthCheckVersionMismatch (409, nothing changed); HealthThreshold only on a CALCULATED check and
   * only 0-256 (InvalidInput). Any other field is not modelled and fails loudly.
   */
  UpdateHealthCheck(input: route53.UpdateHealthCheckRequest): object {
    const check = this.healthCheck(input.HealthCheckId);
    const unmodelled = Object.keys(input).filter((key) => !['HealthCheckId', 'HealthCheckVersion', 'HealthThreshold'].includes(key) && (input as unknown as Record<string, unknown>)[key] !== undefined);
    if (unmodelled.length > 0) throw new FakeNotImplementedError(`${this.fakeName}: UpdateHealthCheck of ${unmodelled.join(', ')} is not modelled`);
    const version = this.healthCheckVersions.get(check.id) ?? 1;
    if (input.HealthCheckVersion !== undefined && input.HealthCheckVersion !== version) {
      throw new AwsFault('HealthCheckVersionMismatch', "The value of HealthCheckVersion in the request doesn't match the value of HealthCheckVersion in the health check.", { httpStatusCode: 409 });
    }
    if (input.HealthThreshold !== undefined) {
      if (check.config.Type !== 'CALCULATED') throw new AwsFault('InvalidInput', `HealthThreshold can only be specified for a CALCULATED health check (${check.id} is ${check.config.Type})`, { httpStatusCode: 400 });
      if (!Number.isInteger(input.HealthThreshold) || input.HealthThreshold < 0 || input.HealthThreshold > 256) throw new AwsFault('InvalidInput', `HealthThreshold must be between 0 and 256 (got ${input.HealthThreshold})`, { httpStatusCode: 400 });
      check.config = { ...check.config, HealthThreshold: input.HealthThreshold };
    }
    this.healthCheckVersions.set(check.id, version + 1);
    return { HealthCheck: { ...healthCheckView(check), HealthCheckVersion: version + 1 } };
  }

  /**
   * Adds a gate (docs/data-plane.md): a CALCULATED health check whose only child is `childId`,
   * open (HealthThreshold 1: healthy while the child is) or closed (2: never healthy).
   */
  addGate(id: string, childId: string, open = true): this {
    this.healthCheck(childId);
    this.healthChecks.set(id, { id, config: { Type: 'CALCULATED', ChildHealthChecks: [childId], HealthThreshold: open ? 1 : 2 }, reports: new Map() });
    return this;
  }

  /**
   * A health check's status as Route 53's DNS sees it: an endpoint check is healthy when more than
   * 18% of its checkers say so; a CALCULATED one when at least HealthThreshold children are (0:
   * always; more than its children: never); Disabled is healthy, Inverted flips the result.
   */
  isHealthy(id: string): boolean {
    const check = this.healthCheck(id);
    if (check.config.Disabled) return true;
    let healthy: boolean;
    if (check.config.Type === 'CALCULATED') {
      const children = check.config.ChildHealthChecks ?? [];
      healthy = children.filter((child) => this.isHealthy(child)).length >= (check.config.HealthThreshold ?? 0);
    } else {
      const reports = [...check.reports.values()];
      healthy = reports.length > 0 && reports.filter((report) => report.startsWith('Success')).length / reports.length > 0.18;
    }
    return check.config.Inverted ? !healthy : healthy;
  }

  /**
   * Where DNS answers for a weighted name go, as a share per set identifier: Route 53 picks among
   * the healthy records by weight (a record without a health check is healthy); when no healthy
   * record has a weight above 0 it picks equally among the healthy ones weighted 0; when none is
   * healthy it answers as if all were (by weight).
   */
  trafficShare(hostedZoneId: string, name: string, type: string): Record<string, number> {
    const records = this.records(hostedZoneId).filter((r) => canonicalDnsName(r.Name ?? '') === canonicalDnsName(name) && r.Type === type && r.Weight !== undefined);
    const healthy = records.filter((r) => r.HealthCheckId === undefined || this.isHealthy(r.HealthCheckId));
    const weighted = healthy.filter((r) => (r.Weight ?? 0) > 0);
    const share = (chosen: ResourceRecordSet[], weight: (r: ResourceRecordSet) => number) => {
      const total = chosen.reduce((sum, r) => sum + weight(r), 0);
      return Object.fromEntries(records.map((r) => [r.SetIdentifier ?? '', chosen.includes(r) && total > 0 ? weight(r) / total : 0]));
    };
    if (weighted.length > 0) return share(weighted, (r) => r.Weight ?? 0);
    if (healthy.length > 0) return share(healthy, () => 1);
    return share(records, (r) => r.Weight ?? 0);
  }

  // ---- internals -------------------------------------------------------------------------------

  private zone(id: string | undefined): Zone {
    const zone = this.zones.get(stripPrefix(id));
    if (!zone) throw new AwsFault('NoSuchHostedZone', `No hosted zone found with ID: ${stripPrefix(id)}`, { httpStatusCode: 404 });
    return zone;
  }

  private healthCheck(id: string | undefined): FakeHealthCheck {
    const check = this.healthChecks.get(id ?? '');
    if (!check) throw new AwsFault('NoSuchHealthCheck', noSuchHealthCheckMessage(id ?? ''), { httpStatusCode: 404 });
    return check;
  }

  /** PENDING until `changeSyncSeconds` of clock time have passed since submission, then INSYNC. */
  private changeInfo(change: SubmittedChange): ChangeInfo {
    const elapsedMs = this.clock.now().getTime() - change.submittedAt.getTime();
    const info: ChangeInfo = {
      Id: `/change/${change.id}`,
      Status: elapsedMs >= this.changeSyncSeconds * 1000 ? 'INSYNC' : 'PENDING',
      SubmittedAt: new Date(change.submittedAt),
    };
    if (change.comment !== undefined) info.Comment = change.comment;
    return info;
  }

  /** Change IDs look like Route 53's: `C` and upper-case letters and digits. Deterministic per fake. */
  private nextChangeId(): string {
    this.changeSequence += 1;
    return `C${this.changeSequence.toString(36).toUpperCase().padStart(13, '0')}`;
  }
}

type Position = [nameKey: string, type: string, setIdentifier: string];

function positionOf(rrset: ResourceRecordSet): Position {
  return [nameSortKey(rrset.Name ?? ''), rrset.Type ?? '', rrset.SetIdentifier ?? ''];
}

function comparePositions(a: Position, b: Position): number {
  return compareAscii(a[0], b[0]) || compareAscii(a[1], b[1]) || compareAscii(a[2], b[2]);
}

function sortedRecords(zone: Zone): ResourceRecordSet[] {
  return [...zone.records.values()].sort((a, b) => comparePositions(positionOf(a), positionOf(b)));
}

/** The SDK strips `/hostedzone/` and `/change/` before sending; accept both forms anyway. */
function stripPrefix(id: string | undefined): string {
  return (id ?? '').replace(/^\/(hostedzone|change|delegationset)\//, '');
}

