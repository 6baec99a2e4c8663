import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useLocalWorld } from '../../src/cli/local-world.js';
import { SimulatedWorld } from '../../src/local/world.js';
import { exampleConfig, exampleConfigText } from '../support/world.js';
import { run, scratchFile } from './support.js';

describe('lifeboat validate --live --local', () => {
  let world: SimulatedWorld;

  beforeAll(async () => {
    world = await SimulatedWorld.create({ config: exampleConfig() });
    useLocalWorld(world);
  });

  afterAll(async () => {
    useLocalWorld(undefined);
    await world.close();
  });

  it('finds every resource of a world built from the configuration', async () => {
    // act
    const { code, stdout } = await run('validate', '--live', '--local');
    // assert
    expect(code).toBe(0);
    expect(stdout).toMatch(/live: \d+ resources checked against the local world, all present and as configured/);
  });

  it('reports each resource the configuration names but the world lacks, with its path, and exits 1', async () => {
    // arrange: names the world does not have (a node group, a deployment, an alarm in the wrong region)
    const text = exampleConfigText
      .replace('- name: payments-workers\n              promoted: { minSize: 3, desiredSize: 6, maxSize: 12 }\n          deployments:\n            - { namespace: payments, name: api, replicas: 6 }\n            - { namespace: payments, name: ledger-worker, replicas: 3 }\n        velero: { namespace: velero, schedule: payments-hourly }\n        route53:\n          hostedZoneId: Z0PAYMENTS00000000001', '- name: payments-wrokers\n              promoted: { minSize: 3, desiredSize: 6, maxSize: 12 }\n          deployments:\n            - { namespace: payments, name: apii, replicas: 6 }\n            - { namespace: payments, name: ledger-worker, replicas: 3 }\n        velero: { namespace: velero, schedule: payments-hourly }\n        route53:\n          hostedZoneId: Z0PAYMENTS00000000001')
      .replace('- { name: payments-use1-health, region: us-east-1 }', '- { name: payments-use1-health, region: us-west-2 }');
    expect(text).not.toBe(exampleConfigText);
    // act
    const { code, stdout } = await run('--config', scratchFile('drifted.yaml', text), 'validate', '--live', '--local');
    // assert
    expect(code).toBe(1);
    expect(stdout).toContain('live: 3 problems against the local world');
    expect(stdout).toContain('apps[0].regions[0].eks.nodegroups[0].name: no node group payments-wrokers in cluster payments-use1 (us-east-1)');
    expect(stdout).toContain('apps[0].regions[0].eks.deployments[0]: no Deployment payments/apii in cluster payments-use1 (us-east-1)');
    expect(stdout).toContain('apps[0].regions[0].alarms[1].name: no alarm payments-use1-health in us-west-2 (it exists in us-east-1: set apps[0].regions[0].alarms[1].region: us-east-1)');
  });

  it('reports a weighted record deleted and a cluster not ACTIVE in the world, as JSON too', async () => {
    // arrange: break the world through its fakes
    const region = world.config.apps[0]!.regions[1]!;
    const record = world.route53.record(region.route53.hostedZoneId, region.route53.recordName, region.route53.recordType, region.route53.setIdentifier);
    world.route53.ChangeResourceRecordSets({ HostedZoneId: region.route53.hostedZoneId, ChangeBatch: { Changes: [{ Action: 'DELETE', ResourceRecordSet: record! }] } });
    const catalog = world.config.apps[1]!.regions[1]!;
    world.eks.setClusterStatus(catalog.name, catalog.eks.cluster, 'UPDATING');
    // act
    const text = await run('validate', '--live', '--local');
    const json = await run('validate', '--live', '--local', '--json');
    // assert
    expect(text.code).toBe(1);
    expect(text.stdout).toContain('apps[0].regions[1].route53.setIdentifier: no weighted record api.payments.example.com A with set identifier payments-us-west-2 in hosted zone Z0PAYMENTS00000000001 (found: payments-us-east-1)');
    expect(text.stdout).toContain('apps[1].regions[1].eks.cluster: cluster catalog-euc1 in eu-central-1 is UPDATING, not ACTIVE');
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({
      valid: true,
      live: { ok: false, target: 'local', problems: expect.arrayContaining([expect.objectContaining({ path: 'apps[0].regions[1].route53.setIdentifier' })]) },
    });
  });
});
