/** Valid configuration documents: the example with every value the model leaves free generated. */
import fc from 'fast-check';
import { MIN_LOCK_LEASE_MINUTES } from '../../../src/domain/config.js';
import { example, type Doc } from './config-contract.js';

const appName = fc.stringMatching(/^[a-z][a-z0-9-]{0,39}$/);
/** A CloudWatch alarm name as the model counts it (UTF-16 units), without ASCII control characters. */
const alarmName = fc.string({ unit: 'binary', minLength: 1, maxLength: 255 }).filter((name) => name.length <= 255 && !/[\u0000-\u001f\u007f]/.test(name));
const setIdentifier = fc.string({ unit: 'binary', minLength: 1, maxLength: 128 }).filter((id) => id.length <= 128);
const promoted = fc.tuple(fc.nat({ max: 500 }), fc.nat({ max: 500 }), fc.integer({ min: 1, max: 500 })).map((sizes) => {
  const [minSize, desiredSize, maxSize] = [...sizes].sort((a, b) => a - b) as [number, number, number];
  return { minSize, desiredSize, maxSize };
});
const policy = fc.record(
  {
    rpoMinutes: fc.integer({ min: 1, max: 7 * 24 * 60 }),
    automaticFailover: fc.boolean(),
    activeWeight: fc.integer({ min: 1, max: 255 }),
    cooldownMinutes: fc.integer({ min: 0, max: 7 * 24 * 60 }),
    lockLeaseMinutes: fc.integer({ min: MIN_LOCK_LEASE_MINUTES, max: 24 * 60 }),
    rtoMinutes: fc.integer({ min: 1, max: 7 * 24 * 60 }),
    allowAllWeightsZero: fc.boolean(),
  },
  { requiredKeys: ['rpoMinutes'] },
);
const webhook = fc.oneof(
  fc.record({ secretsManager: fc.string({ unit: 'binary', minLength: 1, maxLength: 300 }) }),
  fc.record({ ssmParameter: fc.stringMatching(/^\/?[a-zA-Z0-9_.\-/]{1,80}$/) }),
);

export const validDocument: fc.Arbitrary<Doc> = fc
  .record({
    names: fc.uniqueArray(appName, { minLength: 2, maxLength: 2 }),
    alarms: fc.uniqueArray(alarmName, { minLength: 8, maxLength: 8 }),
    setIdentifiers: fc.uniqueArray(setIdentifier, { minLength: 4, maxLength: 4 }),
    sizes: fc.array(promoted, { minLength: 4, maxLength: 4 }),
    replicas: fc.array(fc.integer({ min: 1, max: 10_000 }), { minLength: 6, maxLength: 6 }),
    policies: fc.array(policy, { minLength: 2, maxLength: 2 }),
    channels: fc.array(fc.stringMatching(/^#?[a-z0-9_-]{1,80}$/), { minLength: 2, maxLength: 2 }),
    webhooks: fc.array(webhook, { minLength: 2, maxLength: 2 }),
    dropOptional: fc.array(fc.boolean(), { minLength: 16, maxLength: 16 }),
  })
  .map((edits) => {
    const doc = example();
    doc.apps = (doc.apps as Doc[]).slice(0, 2); // the two two-region apps: the counts above are theirs
    let alarm = 0;
    let region = 0;
    let group = 0;
    let deployment = 0;
    doc.apps.forEach((app: Doc, a: number) => {
      app.name = edits.names[a];
      app.policy = edits.policies[a];
      app.slack = { channel: edits.channels[a], webhook: edits.webhooks[a] };
      for (const r of app.regions as Doc[]) {
        const drop = (i: number) => edits.dropOptional[(region * 4 + i) % 16];
        for (const alarmRef of r.alarms as Doc[]) alarmRef.name = edits.alarms[alarm++];
        for (const nodegroup of r.eks.nodegroups as Doc[]) nodegroup.promoted = edits.sizes[group++];
        for (const d of r.eks.deployments as Doc[]) d.replicas = edits.replicas[deployment++ % 6];
        r.route53.setIdentifier = edits.setIdentifiers[region];
        if (drop(0)) delete r.alarms;
        if (drop(1)) delete r.eks.nodegroups;
        if (drop(2)) delete r.eks.deployments;
        if (drop(3)) delete r.velero.namespace;
        region += 1;
      }
    });
    return doc;
  });
