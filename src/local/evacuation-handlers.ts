import { handler as evacuateTrigger } from '../../functions/evacuate-trigger.js';
import { handler as evacuationAwaitSync } from '../../functions/evacuation-await-sync.js';
import { handler as evacuationPreflight } from '../../functions/evacuation-preflight.js';
import { handler as evacuationResolve } from '../../functions/evacuation-resolve.js';
import { handler as evacuationShift } from '../../functions/evacuation-shift.js';
import { handler as evacuationSnapshot } from '../../functions/evacuation-snapshot.js';
import { handler as evacuationSummarize } from '../../functions/evacuation-summarize.js';
import { handler as evacuationVerify } from '../../functions/evacuation-verify.js';
import type { LambdaHandler } from './state-machine-runner.js';

/**
 * The region evacuation's Lambda handlers, by the function names statemachines/evacuation.asl.json
 * invokes (the per-app steps it shares with the failover are in ./handlers.ts, which includes these).
 */
export const evacuationHandlers: Record<string, LambdaHandler> = {
  evacuateTrigger,
  evacuationSnapshot,
  evacuationResolve,
  evacuationPreflight,
  evacuationShift,
  evacuationAwaitSync,
  evacuationVerify,
  evacuationSummarize,
} as Record<string, LambdaHandler>;
