import type { LifeboatConfig } from './config.js';

/**
 * How many apps alarms alone may fail over away from `region` in one window: the configured share
 * of the apps present there (rounded down), but never fewer than `alwaysAllowApps`, so a region
 * that hosts one app can still fail it over on its own.
 */
export function blastRadiusLimit(config: LifeboatConfig, region: string): { limit: number; appsInRegion: number } {
  const { maxShareOfApps, alwaysAllowApps } = config.safety.blastRadius;
  const appsInRegion = config.apps.filter((app) => app.regions.some((r) => r.name === region)).length;
  return { limit: Math.max(alwaysAllowApps, Math.floor(maxShareOfApps * appsInRegion)), appsInRegion };
}
