/**
 * Hostile configuration documents: whatever `validateConfig` is handed, it returns a configuration
 * or throws ConfigError whose every issue names a path that exists in the document
 * (`apps[1].regions[0].route53.setIdentifier`), never anything else.
 */
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import fc from 'fast-check';
import { MIN_LOCK_LEASE_MINUTES, validateConfig } from '../../src/domain/config.js';
import { ConfigError } from '../../src/domain/errors.js';
import { ensureValidateContract, example } from './support/config-contract.js';
import { validDocument } from './support/config-documents.js';
import { ensure, outcomeOf, prototypeSnapshot, seeded, show } from './support/fuzz.js';
import { anyValue, mutate, mutations } from './support/hostile.js';

describe('validateConfig under hostile input', () => {
  let checkPrototypes: () => void;
  beforeAll(() => {
    checkPrototypes = prototypeSnapshot();
  });
  afterAll(() => checkPrototypes());

  it('answers any value at all with a configuration or ConfigError naming paths', () => {
    fc.assert(fc.property(anyValue, (document) => ensureValidateContract(document)), seeded(0xc0f1_0001));
  });

  it('answers mutations of the example (dropped keys at any depth, wrong types, oversized, injected) the same way', () => {
    const damaged = mutations().map((changes) => mutate(example, changes));
    fc.assert(fc.property(damaged, (document) => ensureValidateContract(document)), seeded(0xc0f1_0002));
  });
});

describe('validateConfig still accepts valid input', () => {
  // 5,000 runs: each builds and validates a whole two-app document.
  it('accepts any configuration the model allows, keeping its values and filling defaults', () => {
    fc.assert(
      fc.property(validDocument, (document) => {
        const result = outcomeOf(() => validateConfig(document), ConfigError);
        ensure(result.ok, () => `refused: ${show(result.ok ? undefined : result.error.issues)}`);
        const config = result.value;
        ensure(config.apps.map((app) => app.name).join() === document.apps.map((app: { name: string }) => app.name).join(), 'app names changed');
        for (const app of config.apps) {
          ensure(app.policy.activeWeight >= 1 && app.policy.cooldownMinutes >= 0 && app.policy.lockLeaseMinutes >= MIN_LOCK_LEASE_MINUTES, () => `defaults ${show(app.policy)}`);
          for (const region of app.regions) ensure(Array.isArray(region.alarms) && region.velero.namespace.length > 0, 'defaults for alarms / velero.namespace');
        }
      }),
      seeded(0xc0f1_0003, 5_000),
    );
  });
});
