import type { StepDeps } from '../steps/deps.js';
import type { WiredPort } from './container.js';
import { runtimeOptions } from './runtime-options.js';
import { stepHandler, type StepHandlerOptions } from './step-handler.js';

/** The ports one function uses beyond clock, audit trail and locks, each a lazy factory from ./wiring/. */
export type StepPorts = { [K in WiredPort]?: () => StepDeps[K] };

/**
 * A step's Lambda handler with exactly the adapters it needs: `ports` names the factories (so the
 * bundler includes those adapters and no others), and they are built on first use, once per
 * runtime. Everything else is `stepHandler`: input validated at the edge, errors keep their names.
 */
export function stepLambda<I, O>(
  step: string,
  ports: StepPorts,
  parse: (event: unknown) => I,
  run: (deps: StepDeps, input: I) => Promise<O>,
  options: StepHandlerOptions<I> = {},
) {
  return stepHandler(step, parse, (deps, input) => run(withPorts(deps, ports), input), options);
}

/** The base dependencies with the function's ports built in; the embedded runtime's hook sees them all. */
function withPorts(base: StepDeps, ports: StepPorts): StepDeps {
  const deps = { ...base } as Record<string, unknown>;
  for (const [port, make] of Object.entries(ports)) deps[port] = (make as () => unknown)();
  const { wrapStepDeps } = runtimeOptions();
  return wrapStepDeps ? wrapStepDeps(deps as unknown as StepDeps) : (deps as unknown as StepDeps);
}
