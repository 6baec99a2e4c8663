import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parseConfig } from '../../src/domain/config-yaml.js';
import { REALISTIC_LATENCIES, SimulatedWorld } from '../../src/local/world.js';

/*
 * Route 53 reports a health check healthy only after enough consecutive successful checks, so the
 * simulated world's health checks lag their endpoints by `healthCheckSeconds` of virtual time.
 */

const config = parseConfig(readFileSync('lifeboat.config.yaml', 'utf8'));

describe('the simulated world\'s health-check latency', () => {
  it('is 30 s in the realistic latencies', () => {
    expect(REALISTIC_LATENCIES.healthCheckSeconds).toBe(30);
  });

  it.each([30, 0])('reports a restored endpoint healthy %i s of virtual time after it answers again, not before', async (seconds) => {
    // arrange
    const world = await SimulatedWorld.create({ config, latencies: { healthCheckSeconds: seconds } });
    try {
      const app = config.apps[0]!;
      const primary = app.regions[0]!;
      const status = () => world.route53.healthCheckMetrics(primary.route53.healthCheckId)!.HealthCheckStatus;
      world.failRegion(app.name, primary.name);
      const restoredAt = world.clock.now().getTime();

      // act
      const healthy = world.restoreEndpoint(app.name, primary.name);
      const statusRightAway = status();
      await healthy;

      // assert
      expect(statusRightAway).toBe(seconds > 0 ? 0 : 1);
      expect(status()).toBe(1);
      expect(world.clock.now().getTime() - restoredAt).toBe(seconds * 1000);
    } finally {
      await world.close();
    }
  });
});
