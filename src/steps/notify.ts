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
  const intent = `tell ${snapshot.slack.channel} the failover ${event}`;
  try {
    await deps.notifier.post(snapshot.slack.webhook, message);
  } catch (error) {
    // Each failed attempt is on the record, so a run that carried on without Slack says so.
    await audit(deps, snapshot, { step: 'Notify', intent, outcome: 'Failed', error: (error as Error).message });
    throw error;
  }
  await audit(deps, snapshot, { step: 'Notify', intent, outcome: 'Notified', change: { text: message.text } });
  return { event, delivered: true, channel: snapshot.slack.channel };
}
