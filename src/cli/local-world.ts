import type { LifeboatConfig } from '../domain/config.js';
import { StateDir } from '../local/state-dir.js';
import type { TimelineListener } from '../local/step-timeline.js';
import { DEFAULT_START, SimulatedWorld, type WorldOptions } from '../local/world.js';

/*
 * `--local`: the commands act on the embedded default instead of AWS. Its world is rebuilt from
 * the configuration for each command, as `simulate` does (Route 53, EKS, CloudWatch and the
 * clusters start from their configured state; locks and cooldowns start over), on the tables kept
 * in `.lifeboat/` (audit trails accumulate) and at the virtual time the next run starts. The
 * runtime's wiring then reaches that world through the same adapters it uses on AWS.
 */

let shared: SimulatedWorld | undefined;
let following: ((execution: { name: string }) => TimelineListener | undefined) | undefined;

/**
 * What a local world calls for each execution it starts: the command following the run (`drill`)
 * gets its steps live. Give it as `onExecution` to a world you hand to `useLocalWorld`.
 */
export function relayExecutions(execution: { name: string }): TimelineListener | undefined {
  return following?.(execution);
}

/** Routes the steps of the executions the local world starts from now on to `listener` (undefined: nobody). */
export function followExecutions(listener: typeof following): void {
  following = listener;
}

/**
 * Makes every `--local` command use `world` (and leave it open) until called with `undefined`:
 * a test builds one world, changes it, runs commands against it and looks at it afterwards.
 */
export function useLocalWorld(world: SimulatedWorld | undefined): void {
  shared = world;
}

export interface LocalSession {
  world: SimulatedWorld;
  /** Records the virtual time reached (commands that ran the workflow), then tears the world down. */
  close(options?: { recordEnd?: boolean }): Promise<void>;
}

/** Opens the world a `--local` command acts on; `homeRegion` picks the stack that acts (drills). */
export async function openLocalWorld(config: LifeboatConfig, options: Pick<WorldOptions, 'homeRegion'> = {}): Promise<LocalSession> {
  if (shared) {
    const world = shared;
    if (options.homeRegion && options.homeRegion !== world.homeRegion) world.actIn(options.homeRegion);
    else world.install();
    return { world, close: async () => undefined };
  }
  const state = new StateDir();
  const world = await SimulatedWorld.create({ config, dataDir: state.dynamoPath, start: state.nextStart(DEFAULT_START), onExecution: relayExecutions, ...options });
  return {
    world,
    close: async (closing) => {
      if (closing?.recordEnd) state.recordEnd(world.clock.now());
      await world.close();
    },
  };
}
