import { stepLambda } from '../src/runtime/step-lambda.js';
import { evacuationConfig } from '../src/runtime/wiring/evacuation.js';
import { parseResolveInput, resolveEvacuationApp } from '../src/steps/evacuation-app.js';

/** Evacuation: one app's failover request, resolved from the configuration by name (no AWS call). */
export const handler = stepLambda('ResolveApp', {}, parseResolveInput, async (_deps, input) => resolveEvacuationApp(evacuationConfig(), input));
