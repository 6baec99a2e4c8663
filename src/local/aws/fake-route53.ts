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
import { AwsFault } from './aws-fault.js';
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
      this.calls.push({ operation, region: context.region, input: structuredClone(input), at: this.clock.now(), error: 'Throttling' });
      const { message, ...options } = ROUTE53_FAULTS.Throttling!;
      throw new AwsFault('Throttling', message, options);
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
    return { HealthCheck: healthCheckView(this.healthCheck(input.HealthCheckId)) };
  }

  /** One observation per checker region with its latest report. */
  GetHealthCheckStatus(input: GetHealthCheckStatusRequest): object {
    return { HealthCheckObservations: observations(this.healthCheck(input.HealthCheckId), this.clock.now()) };
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

