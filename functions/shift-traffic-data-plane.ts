import * as z from 'zod';
import { InputValidationError } from '../src/domain/errors.js';
import { parseFailoverRequest } from '../src/domain/failover-request.js';
import { parseWith } from '../src/domain/validation.js';
import { stepLambda } from '../src/runtime/step-lambda.js';
import { route53Dns } from '../src/runtime/wiring/route53.js';
import { shiftTrafficDataPlane, type DataPlaneReason } from '../src/steps/shift-traffic-data-plane.js';

/** What ShiftTraffic failed with, after its retries (the ASL Catch puts it at `$.shiftError`). */
const shiftErrorSchema = z.object({ shiftError: z.object({ Error: z.string().max(256), Cause: z.string().max(32_768).optional() }) });

function parse(event: unknown): { request: ReturnType<typeof parseFailoverRequest>; reason: DataPlaneReason } {
  const request = parseFailoverRequest(event);
  const failed = parseWith(shiftErrorSchema, event);
  if (!failed.ok) throw new InputValidationError(failed.issues, 'ShiftTrafficDataPlane input');
  const { Error: error, Cause: cause } = failed.value.shiftError;
  return { request, reason: { kind: 'fallback', error, cause: causeMessage(cause) } };
}

/** The error message inside a Lambda failure's Cause (JSON with errorMessage), or the Cause itself, kept short. */
function causeMessage(cause: string | undefined): string | undefined {
  if (!cause) return undefined;
  try {
    const parsed = JSON.parse(cause) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') return parsed.errorMessage.slice(0, 300);
  } catch {
    // not JSON: a plain message
  }
  return cause.slice(0, 300);
}

export const handler = stepLambda('ShiftTrafficDataPlane', { dns: route53Dns, healthChecks: route53Dns, gates: route53Dns }, parse, (deps, input) => shiftTrafficDataPlane(deps, input.request, input.reason));
