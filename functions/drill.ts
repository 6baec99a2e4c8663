import * as z from 'zod';
import { InputValidationError } from '../src/domain/errors.js';
import { parseFailoverRequest, type FailoverRequest } from '../src/domain/failover-request.js';
import { parseWith } from '../src/domain/validation.js';
import { loadConfigFile } from '../src/runtime/config-file.js';
import { runtimeOptions } from '../src/runtime/runtime-options.js';
import { stepLambda } from '../src/runtime/step-lambda.js';
import { cloudWatchAlarms } from '../src/runtime/wiring/cloudwatch.js';
import { route53Dns } from '../src/runtime/wiring/route53.js';
import { webhookNotifier } from '../src/runtime/wiring/slack.js';
import { holdAndVerify } from '../src/steps/drill-hold.js';
import { planDrill, type DrillAsk } from '../src/steps/drill-plan.js';
import { reportDrill } from '../src/steps/drill-report.js';

const name = z.string().regex(/^[A-Za-z0-9_-]{1,80}$/);
const envelope = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('plan'),
    executionName: name,
    input: z.strictObject({ app: z.string().min(1).max(40), to: z.string().min(1).max(32).optional(), actor: z.string().min(1).max(256).optional(), reason: z.string().min(1).max(1024).optional() }),
  }),
  z.object({ action: z.literal('hold'), request: z.unknown(), holdMinutes: z.number().int().min(1).max(24 * 60) }),
  z.object({ action: z.literal('report'), incidentId: name, app: z.string().min(1).max(40) }),
]);

type Input =
  | { action: 'plan'; executionName: string; input: DrillAsk }
  | { action: 'hold'; request: FailoverRequest; holdMinutes: number }
  | { action: 'report'; incidentId: string; app: string };

function parseInput(event: unknown): Input {
  const result = parseWith(envelope, event);
  if (!result.ok) throw new InputValidationError(result.issues, 'Drill input');
  const value = result.value;
  return value.action === 'hold' ? { ...value, request: parseFailoverRequest(value.request) } : (value as Input);
}

const config = () => runtimeOptions().config ?? loadConfigFile();

/** The drill's own Tasks (statemachines/drill.asl.json): plan it, hold while verifying, report. */
export const handler = stepLambda('Drill', { healthChecks: route53Dns, alarms: cloudWatchAlarms, notifier: webhookNotifier }, parseInput, async (deps, input): Promise<unknown> => {
  switch (input.action) {
    case 'plan':
      return planDrill({ ...deps, config: config() }, input.input, input.executionName);
    case 'hold':
      return holdAndVerify(deps, input.request, input.holdMinutes);
    case 'report':
      return reportDrill({ ...deps, config: config() }, input.incidentId, input.app);
  }
});
