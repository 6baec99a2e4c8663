import middy from '@middy/core';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { LifeboatError, NotConvergedError } from '../domain/errors.js';
import type { StepDeps } from '../steps/deps.js';
import type { Context } from 'aws-lambda';
import { stepDeps } from './container.js';
import { idempotent } from './idempotency.js';
import { logger } from './logger.js';
import { recordStep } from './metrics.js';

export interface StepHandlerOptions<I> {
  /**
   * For steps whose side effect cannot be made convergent (a Slack post): the key under which the
   * result is recorded, so a repeat replays the result instead of repeating the effect.
   */
  idempotencyKey?: (input: I) => Record<string, unknown>;
}

/**
 * A thin Lambda entry point for one workflow step: validate the input at the edge, run the step
 * with the container's dependencies, log the outcome. Errors keep their name so the state
 * machine's Retry/Catch can match them; "not converged yet" is routine and logged as info.
 */
export function stepHandler<I, O>(
  step: string,
  parse: (event: unknown) => I,
  run: (deps: StepDeps, input: I) => Promise<O>,
  options: StepHandlerOptions<I> = {},
) {
  const execute = async (input: I) => {
    const deps = await stepDeps();
    return run(withTiming(deps, deps.clock.now()), input);
  };
  const once = options.idempotencyKey ? idempotent(step, options.idempotencyKey, execute) : undefined;
  return middy<unknown, O>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .handler(async (event, context: Context) => {
      logger.appendKeys({ step });
      const input = parse(event);
      logger.appendKeys({ incidentId: incidentOf(input) });
      const started = performance.now();
      try {
        const result = once ? await once(input, context) : await execute(input);
        logger.info('step done', { result: result as never });
        recordStep(step, input, performance.now() - started);
        return result;
      } catch (error) {
        recordStep(step, input, performance.now() - started, error);
        if (error instanceof NotConvergedError) logger.info('not converged yet', { reason: error.message });
        else logger.error('step failed', { errorName: error instanceof Error ? error.name : 'unknown', error: error instanceof LifeboatError ? error.message : (error as Error) });
        throw error;
      }
    });
}

function incidentOf(input: unknown): string | undefined {
  const value = input as { incidentId?: string; request?: { incidentId?: string }; snapshot?: { incidentId?: string } };
  return value.incidentId ?? value.request?.incidentId ?? value.snapshot?.incidentId;
}

/** The same dependencies, with every audit record of this invocation stamped with its duration so far. */
function withTiming(deps: StepDeps, started: Date): StepDeps {
  const durationMs = () => deps.clock.now().getTime() - started.getTime();
  return {
    ...deps,
    audit: {
      record: (entry) => deps.audit.record({ ...entry, durationMs: durationMs() }),
      acknowledge: (entry, deliveryId) => deps.audit.acknowledge(entry, deliveryId),
      read: (incidentId) => deps.audit.read(incidentId),
      readReceipts: (incidentId) => deps.audit.readReceipts(incidentId),
    },
  };
}
