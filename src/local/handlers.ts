import { handler as acquireLock } from '../../functions/acquire-lock.js';
import { handler as alarmTrigger } from '../../functions/alarm-trigger.js';
import { handler as approvalGate } from '../../functions/approval-gate.js';
import { handler as awaitRestore } from '../../functions/await-restore.js';
import { handler as awaitTrafficSync } from '../../functions/await-traffic-sync.js';
import { handler as compensateTraffic } from '../../functions/compensate-traffic.js';
import { handler as drill } from '../../functions/drill.js';
import { handler as failback } from '../../functions/failback.js';
import { handler as manualTrigger } from '../../functions/manual-trigger.js';
import { handler as notify } from '../../functions/notify.js';
import { handler as preflight } from '../../functions/preflight.js';
import { handler as releaseLock } from '../../functions/release-lock.js';
import { handler as promoteNodegroups } from '../../functions/promote-nodegroups.js';
import { handler as scaleDeployments } from '../../functions/scale-deployments.js';
import { handler as shiftTraffic } from '../../functions/shift-traffic.js';
import { handler as shiftTrafficDataPlane } from '../../functions/shift-traffic-data-plane.js';
import { handler as slackInteraction } from '../../functions/slack-interaction.js';
import { handler as startRestore } from '../../functions/start-restore.js';
import { handler as verify } from '../../functions/verify.js';
import { evacuationHandlers } from './evacuation-handlers.js';
import { runAsFunction } from './iam-recorder.js';
import type { LambdaHandler } from './state-machine-runner.js';

/**
 * The deployed Lambda handlers, by their function name in serverless.yml: the embedded runtime
 * invokes exactly these (a test keeps this list, serverless.yml and the ASL in agreement).
 */
export const localHandlers: Record<string, LambdaHandler> = {
  alarmTrigger,
  manualTrigger,
  acquireLock,
  preflight,
  promoteNodegroups,
  scaleDeployments,
  startRestore,
  awaitRestore,
  shiftTraffic,
  shiftTrafficDataPlane,
  awaitTrafficSync,
  verify,
  compensateTraffic,
  notify,
  releaseLock,
  approvalGate,
  slackInteraction,
  failback,
  drill,
  ...evacuationHandlers,
} as Record<string, LambdaHandler>;

// Each invocation runs as its function, so the SDK calls it makes are recorded under its name.
for (const [name, handler] of Object.entries(localHandlers)) {
  localHandlers[name] = (event, context) => runAsFunction(name, () => handler(event, context));
}
