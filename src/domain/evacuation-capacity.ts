import type { LifeboatConfig } from './config.js';
import { evacuationTargets, type EvacuationInput } from './evacuation.js';

/** Step Functions' quota on the data one state passes on (input or output): 256 KiB of UTF-8 JSON. */
export const STEP_FUNCTIONS_STATE_LIMIT_BYTES = 256 * 1024;

/**
 * The most state the evacuation of `input` will pass between its steps, in bytes, reckoned from the
 * configuration: the largest of Snapshot's result (each item with its records' weights and its
 * candidates' health, as Route 53 would report it: the longest form) and ShiftAll's (each item with
 * its shift). What the service will say is not known before it answers (extra records under a
 * name, say), so this is a close estimate, not a bound: hence the margin in `fitsOneEvacuation`.
 */
export function evacuationStateBytes(config: LifeboatConfig, input: EvacuationInput): number {
  const apps = new Map(config.apps.map((app) => [app.name, app]));
  const withItems = (map: (item: EvacuationInput['items'][number]) => object) => Buffer.byteLength(JSON.stringify({ ...input, items: input.items.map(map), route53Tokens: { tokens: 5, at: input.evacuation.requestedAt } }));
  const regionsOf = (app: string) => apps.get(app)?.regions ?? [];
  const snapshot = withItems((item) => {
    const targets = evacuationTargets(apps.get(item.app)!, input.evacuation.region);
    const candidates = targets ? [targets.to, ...targets.alternatives] : [];
    return {
      ...item,
      snapshot: {
        weights: Object.fromEntries(regionsOf(item.app).map((region) => [region.route53.setIdentifier, 255])),
        health: Object.fromEntries(candidates.map((region) => [region.route53.healthCheckId, { healthy: false, source: 'route53', healthyCheckers: 16, totalCheckers: 16 }])),
        observedAt: input.evacuation.requestedAt,
      },
    };
  });
  const shifted = withItems((item) => ({
    ...item,
    to: regionsOf(item.app).reduce((longest, region) => (region.name.length > longest.length ? region.name : longest), ''),
    prepared: true,
    shift: { changeId: '/change/C0000000000000000000000', weights: Object.fromEntries(regionsOf(item.app).map((region) => [region.route53.setIdentifier, [255, 255]])) },
  }));
  return Math.max(snapshot, shifted);
}

/** Room left for what the estimate cannot know (the service's answers), out of the quota. */
const MARGIN = 0.05;

/** Whether one evacuation can carry `input` within Step Functions' state quota, and by how much. */
export function fitsOneEvacuation(config: LifeboatConfig, input: EvacuationInput): { fits: boolean; bytes: number; limit: number } {
  const bytes = evacuationStateBytes(config, input);
  const limit = Math.floor(STEP_FUNCTIONS_STATE_LIMIT_BYTES * (1 - MARGIN));
  return { fits: bytes <= limit, bytes, limit };
}
