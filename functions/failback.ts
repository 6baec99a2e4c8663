import * as z from 'zod';
import { InputValidationError } from '../src/domain/errors.js';
import { parseFailbackRequest, type FailbackRequest } from '../src/domain/failback.js';
import { parseWith } from '../src/domain/validation.js';
import { loadConfigFile } from '../src/runtime/config-file.js';
import { runtimeOptions } from '../src/runtime/runtime-options.js';
import { stepLambda } from '../src/runtime/step-lambda.js';
import { cloudWatchAlarms } from '../src/runtime/wiring/cloudwatch.js';
import { eksClusters } from '../src/runtime/wiring/eks.js';
import { eksKubernetes } from '../src/runtime/wiring/kubernetes.js';
import { route53Dns } from '../src/runtime/wiring/route53.js';
import { webhookNotifier } from '../src/runtime/wiring/slack.js';
import {
  acquireFailbackLock,
  awaitFailbackSync,
  awaitPrimaryHealthy,
  notifyFailback,
  planFailback,
  releaseFailbackLock,
  rollbackFailback,
  scaleDownStandby,
  shiftFailbackStep,
  verifyFailbackStep,
  type FailbackAsk,
} from '../src/steps/failback.js';

const name = z.string().regex(/^[A-Za-z0-9_-]{1,80}$/);
const askSchema = z.strictObject({
  app: z.string().min(1).max(40),
  to: z.string().min(1).max(32).optional(),
  actor: z.string().min(1).max(256),
  reason: z.string().min(1).max(1024),
  incidentId: name.optional(),
  mode: z.enum(['failback', 'drill']).optional(),
  promotedIn: name.optional(),
});

const envelope = z.discriminatedUnion('action', [
  z.object({ action: z.literal('plan'), input: askSchema, executionName: name }),
  z.object({ action: z.enum(['lock', 'health', 'shift', 'verify', 'rollback', 'scaleDown']), request: z.unknown() }),
  z.object({ action: z.literal('sync'), request: z.unknown(), changeId: z.string().min(1).max(64).nullable() }),
  z.object({ action: z.literal('release'), request: z.unknown(), outcome: z.enum(['succeeded', 'failed']) }),
  z.object({ action: z.literal('notify'), request: z.unknown(), event: z.enum(['started', 'step', 'succeeded', 'failed']), detail: z.string().max(40_000) }),
]);

type Envelope = z.output<typeof envelope>;
type Input = { action: 'plan'; ask: FailbackAsk } | (Exclude<Envelope, { action: 'plan' }> & { request: FailbackRequest });

function parseInput(event: unknown): Input {
  const result = parseWith(envelope, event);
  if (!result.ok) throw new InputValidationError(result.issues, 'Failback input');
  const value = result.value;
  if (value.action === 'plan') return { action: 'plan', ask: { ...value.input, executionName: value.executionName } };
  return { ...value, request: parseFailbackRequest(value.request) } as Input;
}

/** Every Task of statemachines/failback.asl.json: one function, the action names the step. */
export const handler = stepLambda(
  'Failback',
  { dns: route53Dns, healthChecks: route53Dns, alarms: cloudWatchAlarms, eks: eksClusters, kube: eksKubernetes, notifier: webhookNotifier },
  parseInput,
  async (deps, input): Promise<unknown> => {
    switch (input.action) {
      case 'plan':
        return planFailback({ ...deps, config: runtimeOptions().config ?? loadConfigFile() }, input.ask);
      case 'lock':
        return acquireFailbackLock(deps, input.request);
      case 'health':
        return awaitPrimaryHealthy(deps, input.request);
      case 'shift':
        return shiftFailbackStep(deps, input.request);
      case 'sync':
        return awaitFailbackSync(deps, input.request, input.changeId);
      case 'verify':
        return verifyFailbackStep(deps, input.request);
      case 'rollback':
        return rollbackFailback(deps, input.request);
      case 'scaleDown':
        return scaleDownStandby(deps, input.request);
      case 'release':
        return releaseFailbackLock(deps, input.request, input.outcome);
      case 'notify':
        return notifyFailback(deps, input.request, input.event, input.detail);
    }
  },
);
