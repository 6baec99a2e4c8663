import type { LifeboatConfig, RegionConfig } from '../domain/config.js';
import { PermissionDeniedError, ResourceNotFoundError, type FieldIssue } from '../domain/errors.js';
import type { Alarms } from '../ports/alarms.js';
import type { Eks } from '../ports/cluster.js';
import type { Dns, HealthChecks, WeightedRecord } from '../ports/dns.js';
import type { Kubernetes } from '../ports/kubernetes.js';

/*
 * `lifeboat validate --live`: does the world hold what the configuration names? Read-only, through
 * the same ports the workflow uses (so the same credentials, endpoints and error mapping), and
 * complete: every problem is collected, each with the configuration path it concerns, the way
 * `validate` reports a bad file.
 */

/** The ports a live check reads. */
export interface LiveCheckDeps {
  dns: Dns;
  healthChecks: HealthChecks;
  eks: Eks;
  kube: Kubernetes;
  alarms: Alarms;
}

export interface LiveCheckResult {
  problems: FieldIssue[];
  /** How many resources were looked at (zones, records, health checks, clusters, node groups, alarms, deployments). */
  checked: number;
}

/** Node group states a promotion can scale (as preflight accepts them). */
const USABLE_NODEGROUP = new Set(['ACTIVE', 'UPDATING']);

function why(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > 300 ? `${message.slice(0, 300)}…` : message;
}

/**
 * Checks every app and region of `config` against the live resources: the hosted zone and the
 * weighted record (name, type, set identifier, and the health check it carries), the health check,
 * the EKS cluster (ACTIVE) and its node groups, the alarms (in the region the configuration says),
 * and that this identity can authenticate to each cluster's Kubernetes API (an EKS token, then a
 * `get` of each configured Deployment). Calls run region by region; nothing is changed.
 */
export async function checkLive(deps: LiveCheckDeps, config: LifeboatConfig): Promise<LiveCheckResult> {
  const problems: FieldIssue[] = [];
  let checked = 0;
  const problem = (path: string, message: string) => problems.push({ path, message });
  // One read per weighted group and per health check, however many regions share them.
  const groups = new Map<string, Promise<WeightedRecord[]>>();
  const readGroup = (r53: RegionConfig['route53']) => {
    const key = `${r53.hostedZoneId}\n${r53.recordName}\n${r53.recordType}`;
    let group = groups.get(key);
    if (!group) {
      group = deps.dns.readWeightedRecords(r53.hostedZoneId, r53.recordName, r53.recordType);
      group.catch(() => undefined);
      groups.set(key, group);
    }
    return group;
  };
  const allRegions = [...new Set(config.apps.flatMap((app) => app.regions.map((r) => r.name)))];

  for (const [a, app] of config.apps.entries()) {
    for (const [r, region] of app.regions.entries()) {
      const at = `apps[${a}].regions[${r}]`;
      const { route53: r53, eks } = region;

      // Route 53: the zone, the weighted record, the health check it carries.
      checked += 2;
      try {
        const records = await readGroup(r53);
        const record = records.find((candidate) => candidate.setIdentifier === r53.setIdentifier);
        if (!record) {
          const found = records.map((candidate) => candidate.setIdentifier);
          problem(`${at}.route53.setIdentifier`, `no weighted record ${r53.recordName} ${r53.recordType} with set identifier ${r53.setIdentifier} in hosted zone ${r53.hostedZoneId} (found: ${found.join(', ') || 'none of that name and type'})`);
        } else if (record.healthCheckId !== r53.healthCheckId) {
          problem(`${at}.route53.healthCheckId`, `the weighted record ${r53.setIdentifier} carries ${record.healthCheckId ? `health check ${record.healthCheckId}` : 'no health check'}, not ${r53.healthCheckId}`);
        }
      } catch (error) {
        if (error instanceof ResourceNotFoundError) problem(`${at}.route53.hostedZoneId`, `no hosted zone ${r53.hostedZoneId}: ${why(error)}`);
        else problem(`${at}.route53`, `could not read the weighted records: ${why(error)}`);
      }
      checked += 1;
      try {
        await deps.healthChecks.observe(r53.healthCheckId);
      } catch (error) {
        problem(`${at}.route53.healthCheckId`, error instanceof ResourceNotFoundError ? `no health check ${r53.healthCheckId}` : `could not read health check ${r53.healthCheckId}: ${why(error)}`);
      }

      // CloudWatch: each alarm where the configuration says it lives.
      const byRegion = new Map<string, { name: string; index: number }[]>();
      region.alarms.forEach((alarm, index) => {
        const home = alarm.region ?? region.name;
        byRegion.set(home, [...(byRegion.get(home) ?? []), { name: alarm.name, index }]);
      });
      for (const [home, alarms] of byRegion) {
        checked += alarms.length;
        let found: Set<string>;
        try {
          found = new Set((await deps.alarms.states(home, alarms.map((alarm) => alarm.name))).map((state) => state.name));
        } catch (error) {
          for (const alarm of alarms) problem(`${at}.alarms[${alarm.index}].name`, `could not read alarm ${alarm.name} in ${home}: ${why(error)}`);
          continue;
        }
        for (const alarm of alarms.filter((candidate) => !found.has(candidate.name))) {
          const elsewhere = await findAlarm(deps.alarms, alarm.name, allRegions.filter((other) => other !== home));
          const hint = elsewhere ? ` (it exists in ${elsewhere}: set ${at}.alarms[${alarm.index}].region: ${elsewhere})` : '';
          problem(`${at}.alarms[${alarm.index}].name`, `no alarm ${alarm.name} in ${home}${hint}`);
        }
      }

      // EKS: the cluster, its node groups.
      checked += 1;
      let clusterUsable = false;
      try {
        const cluster = await deps.eks.describeCluster(region.name, eks.cluster);
        if (cluster.status !== 'ACTIVE') problem(`${at}.eks.cluster`, `cluster ${eks.cluster} in ${region.name} is ${cluster.status}, not ACTIVE`);
        clusterUsable = Boolean(cluster.endpoint);
      } catch (error) {
        problem(`${at}.eks.cluster`, error instanceof ResourceNotFoundError ? `no EKS cluster ${eks.cluster} in ${region.name}` : `could not describe cluster ${eks.cluster} in ${region.name}: ${why(error)}`);
        continue; // nothing below can be checked without the cluster
      }
      for (const [n, group] of eks.nodegroups.entries()) {
        checked += 1;
        try {
          const found = await deps.eks.describeNodegroup(region.name, eks.cluster, group.name);
          if (!USABLE_NODEGROUP.has(found.status)) problem(`${at}.eks.nodegroups[${n}].name`, `node group ${group.name} of ${eks.cluster} is ${found.status}`);
        } catch (error) {
          problem(`${at}.eks.nodegroups[${n}].name`, error instanceof ResourceNotFoundError ? `no node group ${group.name} in cluster ${eks.cluster} (${region.name})` : `could not describe node group ${group.name}: ${why(error)}`);
        }
      }

      // Kubernetes: an EKS token accepted by the API server, and a `get` of each configured Deployment.
      if (!clusterUsable) {
        problem(`${at}.eks.cluster`, `cluster ${eks.cluster} in ${region.name} has no API endpoint: the Kubernetes API cannot be reached`);
        continue;
      }
      const target = { region: region.name, cluster: eks.cluster };
      for (const [d, deployment] of eks.deployments.entries()) {
        checked += 1;
        try {
          await deps.kube.readDeployment(target, deployment.namespace, deployment.name);
        } catch (error) {
          if (error instanceof PermissionDeniedError) {
            problem(`${at}.eks.cluster`, `this identity cannot use the Kubernetes API of ${eks.cluster} (${region.name}): ${why(error)}`);
            break; // every other get would say the same
          }
          problem(`${at}.eks.deployments[${d}]`, error instanceof ResourceNotFoundError ? `no Deployment ${deployment.namespace}/${deployment.name} in cluster ${eks.cluster} (${region.name})` : `could not get Deployment ${deployment.namespace}/${deployment.name}: ${why(error)}`);
        }
      }
    }
  }
  return { problems, checked };
}

/** The first region (of `regions`) where an alarm of that name exists, for a helpful hint. */
async function findAlarm(alarms: Alarms, name: string, regions: string[]): Promise<string | undefined> {
  for (const region of regions) {
    const found = await alarms.states(region, [name]).catch(() => []);
    if (found.length > 0) return region;
  }
  return undefined;
}
