import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { TABLES } from '../../src/adapters/aws/tables.js';
import type { SimulatedWorld } from '../../src/local/world.js';
import { dynamoDbClient } from '../../src/runtime/wiring/dynamodb.js';

/**
 * Everything a command could change in a simulated world: every record set of every zone, every
 * node group's scaling and update count, every Deployment and Restore, the side-effect counters,
 * and every item of the three tables (audit, locks, idempotency).
 */
export async function snapshotWorld(world: SimulatedWorld): Promise<unknown> {
  const zones = [...new Set(world.config.apps.flatMap((app) => app.regions.map((r) => r.route53.hostedZoneId)))];
  const regions = world.config.apps.flatMap((app) => app.regions);
  const tables: Record<string, unknown[]> = {};
  for (const spec of Object.values(TABLES)) {
    const page = await dynamoDbClient().send(new ScanCommand({ TableName: spec.localName, ConsistentRead: true }));
    tables[spec.localName] = (page.Items ?? []).map((item) => JSON.stringify(item)).sort();
  }
  return {
    records: Object.fromEntries(zones.map((zone) => [zone, world.route53.records(zone)])),
    nodegroups: regions.flatMap((region) => region.eks.nodegroups.map((group) => ({
      at: `${region.name}/${region.eks.cluster}/${group.name}`,
      scaling: world.eks.scalingOf(region.name, region.eks.cluster, group.name),
      updates: world.eks.updatesCreated(region.name, region.eks.cluster, group.name),
    }))),
    deployments: regions.flatMap((region) => region.eks.deployments.map((d) => world.cluster(region).deployment(d.namespace, d.name))),
    restores: regions.map((region) => world.cluster(region).restores()),
    sideEffects: world.sideEffects(),
    tables,
  };
}
