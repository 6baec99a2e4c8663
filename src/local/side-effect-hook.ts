import type { StepDeps } from '../steps/deps.js';

/** The port methods that change the world; everything else only reads. */
const MUTATIONS: { [K in keyof StepDeps]?: string[] } = {
  dns: ['upsertRecords'],
  gates: ['setGate'],
  eks: ['updateNodegroupScaling'],
  kube: ['scaleDeployment', 'createRestore'],
  notifier: ['post'],
  locks: ['acquire', 'release', 'startCooldown'],
};

/**
 * The same dependencies, with `after` called once each side effect has happened: where fault
 * injection kills a step mid-way (its effect is real, its result never reported).
 */
export function withSideEffectHook(deps: StepDeps, after: () => void): StepDeps {
  const wrapped = { ...deps } as Record<string, unknown>;
  for (const [port, methods] of Object.entries(MUTATIONS)) {
    const target = deps[port as keyof StepDeps] as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
    wrapped[port] = new Proxy(target, {
      get(object, property, receiver) {
        const value = Reflect.get(object, property, receiver) as unknown;
        if (typeof value !== 'function' || !methods!.includes(String(property))) return typeof value === 'function' ? value.bind(object) : value;
        return async (...args: unknown[]) => {
          const result = await (value as (...a: unknown[]) => Promise<unknown>).apply(object, args);
          after();
          return result;
        };
      },
    });
  }
  return wrapped as unknown as StepDeps;
}
