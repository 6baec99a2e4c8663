import type { FailoverRequest } from '../domain/failover-request.js';
import { buildSlackMessage, type NotifyEvent, type WorkflowSnapshot } from '../domain/slack-message.js';
import { audit, type StepDeps } from './deps.js';

/**
 * Posts the workflow event to the app's Slack channel. A delivery failure throws
 * NotificationFailedError: the workflow retries it a few times and then carries on, since a Slack
 * outage must never fail a failover.
 */
export async function notify(deps: StepDeps, event: NotifyEvent, snapshot: WorkflowSnapshot & FailoverRequest): Promise<{ event: NotifyEvent; delivered: true; channel: string }> {
  const message = buildSlackMessage(event, snapshot, deps.clock.now());
  await deps.notifier.post(snapshot.slack.webhook, message);
  await audit(deps, snapshot, { step: 'Notify', intent: `tell ${snapshot.slack.channel} the failover ${event}`, outcome: 'Notified', change: { text: message.text } });
  return { event, delivered: true, channel: snapshot.slack.channel };
}
