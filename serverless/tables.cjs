// The DynamoDB tables are global tables: one AWS::DynamoDB::GlobalTable per table, created by the
// home region's stack (the first region of lifeboat.config.yaml; serverless.yml's IsHomeRegion
// condition), with a replica in every region the configuration names. The other stacks create no
// table: their functions use their own region's replica by name (same table name everywhere, from
// the LIFEBOAT_*_TABLE environment), so a failover never waits on another region's table.
//
// Consistency: the acting stack (one per incident: src/domain/acting-region.ts) makes every
// conditional write (lock, audit record, idempotency record) on its local replica; replication to
// the other regions is asynchronous and last-writer-wins, which is why only one region acts per
// incident. Every replica has point-in-time recovery and deletion protection.
const { homeRegion, participatingRegions, stackContext } = require('./lifeboat-config.cjs');

/** One replica per participating region, the home region's first (CloudFormation requires the stack's own). */
async function replicas(context) {
  const { config } = await stackContext(context);
  const home = homeRegion(config);
  const regions = [home, ...participatingRegions(config).filter((region) => region !== home)];
  return regions.map((Region) => ({
    Region,
    DeletionProtectionEnabled: true,
    PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
  }));
}

/** The home region's name (tables are created in its stack only). */
async function home(context) {
  return (await stackContext(context)).home;
}

module.exports = { replicas, home };
