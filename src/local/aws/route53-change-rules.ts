import type { Change, ResourceRecordSet } from '@aws-sdk/client-route-53';
import { AwsFault, FakeNotImplementedError } from './aws-fault.js';
import { noSuchHealthCheckMessage } from './route53-health.js';
import { canonicalDnsName, isInZone } from './route53-names.js';

/*
 * The rules Route 53 applies to a ChangeResourceRecordSets request, as far as Lifeboat's calls
 * reach. Sources: the API reference (ChangeResourceRecordSets, ResourceRecordSet, ResourceRecord),
 * the "Quotas" page of the Developer Guide, and the error texts Route 53 returns as quoted in public
 * issue trackers (external-dns, terraform-provider-aws, aws-sdk-go-v2, ansible community.aws).
 * Two error codes: `InvalidInput` for a malformed change (checked first, first problem wins) and
 * `InvalidChangeBatch` for changes that conflict with the zone (all problems, in one message).
 */

/** RRType values the 2013-04-01 API accepts. */
export const RR_TYPES: readonly string[] = [
  'A', 'AAAA', 'CAA', 'CNAME', 'DS', 'HTTPS', 'MX', 'NAPTR', 'NS', 'PTR', 'SOA', 'SPF', 'SRV', 'SSHFP', 'SVCB', 'TLSA', 'TXT',
];

/** Quotas on one request (Developer Guide, "Quotas"): UPSERT counts twice toward both. */
export const MAX_RESOURCE_RECORDS_PER_REQUEST = 1000;
export const MAX_VALUE_CHARACTERS_PER_REQUEST = 32_000;
/**
 * "A request cannot contain more than 100 Change elements" (ChangeResourceRecordSets, API reference
 * as the SDKs quote it). The current Quotas page lists only the record and character limits; the
 * fake keeps the stricter rule, so code that passes here passes on either reading.
 */
export const MAX_CHANGES_PER_REQUEST = 100;
/** "You can create a maximum of 100 weighted resource record sets that have the same values for Name and Type." */
export const MAX_WEIGHTED_PER_NAME_AND_TYPE = 100;

type RoutingPolicy = 'simple' | 'weighted' | 'latency' | 'failover' | 'geolocation' | 'multivalue answer';

/** Identifies a record set within a zone: name, type and (for non-simple routing) set identifier. */
export function recordKey(name: string, type: string, setIdentifier?: string): string {
  return `${canonicalDnsName(name)}|${type}|${setIdentifier ?? ''}`;
}

/** The record set as Route 53 stores it: canonical names, only the fields that were given. */
export function canonicalRecordSet(rrset: ResourceRecordSet): ResourceRecordSet {
  const unsupported = (['GeoProximityLocation', 'CidrRoutingConfig', 'TrafficPolicyInstanceId'] as const).filter(
    (field) => rrset[field] !== undefined,
  );
  if (unsupported.length > 0) {
    throw new FakeNotImplementedError(`FakeRoute53 does not model ${unsupported.join(', ')} on record sets`);
  }
  const record: ResourceRecordSet = { Name: canonicalDnsName(rrset.Name ?? ''), Type: rrset.Type };
  if (rrset.SetIdentifier !== undefined) record.SetIdentifier = rrset.SetIdentifier;
  if (rrset.Weight !== undefined) record.Weight = rrset.Weight;
  if (rrset.Region !== undefined) record.Region = rrset.Region;
  if (rrset.GeoLocation !== undefined) record.GeoLocation = { ...rrset.GeoLocation };
  if (rrset.Failover !== undefined) record.Failover = rrset.Failover;
  if (rrset.MultiValueAnswer !== undefined) record.MultiValueAnswer = rrset.MultiValueAnswer;
  if (rrset.TTL !== undefined) record.TTL = rrset.TTL;
  if (rrset.ResourceRecords?.length) record.ResourceRecords = rrset.ResourceRecords.map((rr) => ({ Value: rr.Value }));
  if (rrset.AliasTarget !== undefined) {
    record.AliasTarget = {
      HostedZoneId: rrset.AliasTarget.HostedZoneId,
      DNSName: canonicalDnsName(rrset.AliasTarget.DNSName ?? ''),
      EvaluateTargetHealth: rrset.AliasTarget.EvaluateTargetHealth ?? false,
    };
  }
  if (rrset.HealthCheckId !== undefined) record.HealthCheckId = rrset.HealthCheckId;
  return record;
}

/** `[Action=UPSERT, Name=www.example.com., Type=A, SetIdentifier=blue]`, as InvalidInput texts quote a change. */
function describeChange(change: Change): string {
  const rrset = change.ResourceRecordSet;
  const name = canonicalDnsName(rrset?.Name ?? '');
  return `[Action=${change.Action}, Name=${name}, Type=${rrset?.Type}, SetIdentifier=${rrset?.SetIdentifier ?? 'null'}]`;
}

function invalidInput(message: string): AwsFault {
  return new AwsFault('InvalidInput', message, { httpStatusCode: 400 });
}

function constraintViolation(value: unknown, path: string, constraint: string): AwsFault {
  return invalidInput(`1 validation error detected: Value '${value}' at '${path}' failed to satisfy constraint: ${constraint}`);
}

function routingPolicies(rrset: ResourceRecordSet): RoutingPolicy[] {
  const policies: RoutingPolicy[] = [];
  if (rrset.Weight !== undefined) policies.push('weighted');
  if (rrset.Region !== undefined) policies.push('latency');
  if (rrset.Failover !== undefined) policies.push('failover');
  if (rrset.GeoLocation !== undefined) policies.push('geolocation');
  if (rrset.MultiValueAnswer !== undefined) policies.push('multivalue answer');
  return policies;
}

function routingPolicy(rrset: ResourceRecordSet): RoutingPolicy {
  return routingPolicies(rrset)[0] ?? 'simple';
}

/**
 * Checks one change on its own (the service's request validation, error `InvalidInput`): known
 * action and type, value ranges from the API model (Weight 0-255, TTL 0-2147483647, SetIdentifier
 * 1-128 characters), exactly one of an alias target or TTL plus records, and a set identifier
 * exactly when a routing policy is given.
 */
export function checkChangeInput(change: Change, index: number): void {
  const path = `changeBatch.changes.${index + 1}.member`;
  if (!['CREATE', 'DELETE', 'UPSERT'].includes(change.Action ?? '')) {
    throw constraintViolation(change.Action, `${path}.action`, 'Member must satisfy enum value set: [CREATE, DELETE, UPSERT]');
  }
  const rrset = change.ResourceRecordSet;
  if (!rrset) throw constraintViolation('null', `${path}.resourceRecordSet`, 'Member must not be null');
  if (!rrset.Name) throw constraintViolation('null', `${path}.resourceRecordSet.name`, 'Member must not be null');
  if (!RR_TYPES.includes(rrset.Type ?? '')) {
    throw constraintViolation(rrset.Type, `${path}.resourceRecordSet.type`, `Member must satisfy enum value set: [${RR_TYPES.join(', ')}]`);
  }
  if (rrset.Weight !== undefined) {
    if (!Number.isInteger(rrset.Weight) || rrset.Weight < 0) {
      throw constraintViolation(rrset.Weight, `${path}.resourceRecordSet.weight`, 'Member must have value greater than or equal to 0');
    }
    if (rrset.Weight > 255) {
      throw constraintViolation(rrset.Weight, `${path}.resourceRecordSet.weight`, 'Member must have value less than or equal to 255');
    }
  }
  if (rrset.TTL !== undefined && (!Number.isInteger(rrset.TTL) || rrset.TTL < 0 || rrset.TTL > 2_147_483_647)) {
    throw constraintViolation(rrset.TTL, `${path}.resourceRecordSet.tTL`, 'Member must have value between 0 and 2147483647');
  }
  if (rrset.SetIdentifier !== undefined && (rrset.SetIdentifier.length < 1 || rrset.SetIdentifier.length > 128)) {
    throw constraintViolation(rrset.SetIdentifier, `${path}.resourceRecordSet.setIdentifier`, 'Member must have length between 1 and 128');
  }
  // "Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId]".
  const hasAlias = rrset.AliasTarget !== undefined;
  const hasRecordFields = rrset.TTL !== undefined || (rrset.ResourceRecords?.length ?? 0) > 0;
  const hasCompleteRecords = rrset.TTL !== undefined && (rrset.ResourceRecords?.length ?? 0) > 0;
  if ((hasAlias && hasRecordFields) || (!hasAlias && !hasCompleteRecords)) {
    const found = hasAlias ? 'more than one' : 'none';
    throw invalidInput(
      `Invalid request: Expected exactly one of [AliasTarget, all of [TTL, and ResourceRecords], or TrafficPolicyInstanceId], but found ${found} in Change with ${describeChange(change)}`,
    );
  }
  const policies = routingPolicies(rrset);
  if (policies.length > 0 && rrset.SetIdentifier === undefined) {
    throw invalidInput(`Invalid request: Missing field 'SetIdentifier' in Change with ${describeChange(change)}`);
  }
  if (rrset.SetIdentifier !== undefined && policies.length !== 1) {
    throw invalidInput(
      `Invalid request: Expected exactly one of [Weight, Region, Failover, GeoLocation, MultiValueAnswer, GeoProximityLocation, or CidrRoutingConfig], but found ${policies.length === 0 ? 'none' : 'more than one'} in Change with ${describeChange(change)}`,
    );
  }
}

/** `[name='www.example.com.', type='A', set-identifier='blue']`, as InvalidChangeBatch texts name a record set. */
function describeRecord(rrset: ResourceRecordSet): string {
  const id = rrset.SetIdentifier === undefined ? '' : `, set-identifier='${rrset.SetIdentifier}'`;
  return `[name='${rrset.Name}', type='${rrset.Type}'${id}]`;
}

/** A DELETE must restate the record set exactly; values may come in any order. */
function sameRecordSet(a: ResourceRecordSet, b: ResourceRecordSet): boolean {
  const values = (rrset: ResourceRecordSet) => (rrset.ResourceRecords ?? []).map((rr) => rr.Value ?? '').sort();
  const comparable = (rrset: ResourceRecordSet) => JSON.stringify({ ...rrset, ResourceRecords: values(rrset) });
  return comparable(a) === comparable(b);
}

/** The zone a batch applies to. */
export interface ZoneRecords {
  /** Canonical zone name (`example.com.`). */
  name: string;
  records: ReadonlyMap<string, ResourceRecordSet>;
}

/** What a valid batch did: the zone's records afterwards and the keys it changed, in order. */
export interface AppliedBatch {
  records: Map<string, ResourceRecordSet>;
  changedKeys: string[];
}

/**
 * Validates a whole batch and, if every change is valid, returns the zone's records after it;
 * otherwise throws one `InvalidChangeBatch` listing every problem. Route 53 applies "all or none
 * of the changes", so the input map is never modified. Existence rules (CREATE of an existing
 * record set, DELETE of a missing or different one, the same record set twice) are checked change
 * by change; consistency rules (one routing policy per name and type, one TTL per weighted group,
 * at most 100 weighted records, CNAME exclusivity) are checked on the zone as the batch leaves it,
 * so a batch that moves a whole group at once (DELETE simple, CREATE weighted) passes.
 */
export function applyChangeBatch(zone: ZoneRecords, changes: readonly Change[], healthCheckExists: (id: string) => boolean): AppliedBatch {
  changes.forEach((change, index) => checkChangeInput(change, index));
  const problems: string[] = [...quotaProblems(changes)];
  const records = new Map(zone.records);
  const actionsByKey = new Map<string, string[]>();
  const changedKeys: string[] = [];

  for (const change of changes) {
    const rrset = canonicalRecordSet(change.ResourceRecordSet as ResourceRecordSet);
    if (rrset.HealthCheckId !== undefined && !healthCheckExists(rrset.HealthCheckId)) {
      throw new AwsFault('NoSuchHealthCheck', noSuchHealthCheckMessage(rrset.HealthCheckId), {
        httpStatusCode: 404,
      });
    }
    if (!isInZone(rrset.Name ?? '', zone.name)) {
      problems.push(`RRSet with DNS name ${rrset.Name} is not permitted in zone ${zone.name}`);
      continue;
    }
    const key = recordKey(rrset.Name ?? '', rrset.Type ?? '', rrset.SetIdentifier);
    const earlier = actionsByKey.get(key) ?? [];
    actionsByKey.set(key, [...earlier, change.Action ?? '']);
    // Before UPSERT existed, DELETE then CREATE in one batch was how a record set was changed;
    // any other repeat of a record set in one batch is rejected.
    const replacing = earlier.length === 1 && earlier[0] === 'DELETE' && change.Action === 'CREATE';
    if (earlier.length > 0 && !replacing) {
      problems.push(`The request contains an invalid set of changes for a resource record set '${rrset.Type} ${rrset.Name}'`);
      continue;
    }
    const existing = records.get(key);
    if (change.Action === 'CREATE' && existing) {
      problems.push(`Tried to create resource record set ${describeRecord(rrset)} but it already exists`);
    } else if (change.Action === 'DELETE' && !existing) {
      problems.push(`Tried to delete resource record set ${describeRecord(rrset)} but it was not found`);
    } else if (change.Action === 'DELETE' && existing && !sameRecordSet(existing, rrset)) {
      problems.push(`Tried to delete resource record set ${describeRecord(rrset)} but the values provided do not match the current values`);
    } else if (change.Action === 'DELETE') {
      records.delete(key);
      changedKeys.push(key);
    } else {
      records.set(key, rrset);
      changedKeys.push(key);
    }
  }

  for (const key of new Set(changedKeys)) {
    const rrset = records.get(key);
    if (rrset) problems.push(...consistencyProblems(rrset, records, zone.name));
  }
  if (problems.length > 0) {
    const messages = [...new Set(problems)];
    throw new AwsFault('InvalidChangeBatch', `[${messages.join(', ')}]`, { httpStatusCode: 400, fields: { messages } });
  }
  return { records, changedKeys };
}

function quotaProblems(changes: readonly Change[]): string[] {
  const problems: string[] = [];
  let resourceRecords = 0;
  let characters = 0;
  for (const change of changes) {
    const weight = change.Action === 'UPSERT' ? 2 : 1;
    const values = change.ResourceRecordSet?.ResourceRecords ?? [];
    resourceRecords += weight * values.length;
    characters += weight * values.reduce((sum, rr) => sum + (rr.Value ?? '').length, 0);
  }
  if (changes.length > MAX_CHANGES_PER_REQUEST) {
    problems.push(`Number of changes limit of ${MAX_CHANGES_PER_REQUEST} exceeded.`);
  }
  if (resourceRecords > MAX_RESOURCE_RECORDS_PER_REQUEST) {
    problems.push(`Number of records limit of ${MAX_RESOURCE_RECORDS_PER_REQUEST} exceeded.`);
  }
  if (characters > MAX_VALUE_CHARACTERS_PER_REQUEST) {
    problems.push(`Number of characters limit of ${MAX_VALUE_CHARACTERS_PER_REQUEST} exceeded.`);
  }
  return problems;
}

function consistencyProblems(rrset: ResourceRecordSet, records: ReadonlyMap<string, ResourceRecordSet>, zoneName: string): string[] {
  const problems: string[] = [];
  const sameName = [...records.values()].filter((other) => other.Name === rrset.Name);
  const group = sameName.filter((other) => other.Type === rrset.Type && other !== rrset);
  const policy = routingPolicy(rrset);

  if (group.some((other) => routingPolicy(other) !== policy)) {
    problems.push(
      policy === 'simple'
        ? `RRSet with DNS name ${rrset.Name}, type ${rrset.Type} cannot be created as other RRSets exist with the same name and type.`
        : `RRSet with DNS name ${rrset.Name}, type ${rrset.Type}, SetIdentifier ${rrset.SetIdentifier} cannot be created as a non-${policy} set exists with the same name and type.`,
    );
  }
  if (policy === 'weighted') {
    // "All of the resource record sets in a group of weighted resource record sets must have the same value for TTL."
    const otherTtls = group.filter((other) => routingPolicy(other) === 'weighted' && other.TTL !== undefined).map((other) => other.TTL);
    if (rrset.TTL !== undefined && otherTtls.some((ttl) => ttl !== rrset.TTL)) {
      problems.push(
        `RRSet with DNS name ${rrset.Name} and type ${rrset.Type}, SetIdentifier ${rrset.SetIdentifier} cannot be created as weighted sets must contain the same TTL.`,
      );
    }
    if (group.filter((other) => routingPolicy(other) === 'weighted').length + 1 > MAX_WEIGHTED_PER_NAME_AND_TYPE) {
      problems.push(`Exceeded limit on number of weighted RRSets for ${rrset.Name}, type ${rrset.Type} in this zone.`);
    }
  }
  if (rrset.Type === 'CNAME') {
    if (rrset.Name === zoneName) {
      problems.push(`RRSet of type CNAME with DNS name ${rrset.Name} is not permitted at apex in zone ${zoneName}`);
    } else if (sameName.some((other) => other.Type !== 'CNAME')) {
      problems.push(
        `RRSet of type CNAME with DNS name ${rrset.Name} is not permitted as it conflicts with other records with the same DNS name in zone ${zoneName}`,
      );
    }
    if ((rrset.ResourceRecords?.length ?? 0) > 1) {
      // "You can specify more than one value for all record types except CNAME and SOA."
      problems.push(`RRSet of type CNAME with DNS name ${rrset.Name} may not have more than one value.`);
    }
  } else if (sameName.some((other) => other.Type === 'CNAME')) {
    problems.push(
      `RRSet of type ${rrset.Type} with DNS name ${rrset.Name} is not permitted because a conflicting RRSet of type CNAME with the same DNS name already exists in zone ${zoneName}`,
    );
  }
  return problems;
}
