import type { SlackMessage } from '../ports/notifier.js';
import type { FailoverRequest } from './failover-request.js';

export type NotifyEvent = 'started' | 'succeeded' | 'failed';

/** What the workflow knows when it notifies: the request plus whatever steps have reported. */
export interface WorkflowSnapshot extends FailoverRequest {
  preflight?: { backup?: { name: string; ageMinutes: number } };
  shift?: { changeId: string | null; before: Record<string, number>; after: Record<string, number> };
  error?: { Error?: string; Cause?: string };
  compensation?: { compensated: boolean; weights: Record<string, number> | null };
}

/** Slack's mrkdwn treats &, < and > as control characters (`<!channel>` pings everyone): escape them. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

function describeTrigger(request: FailoverRequest): string {
  const t = request.trigger;
  return t.kind === 'alarm' ? `alarm \`${t.alarmName}\` → ALARM at ${t.stateChangeTime}` : `${request.mode} requested by ${t.actor}: ${t.reason}`;
}

function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  return seconds >= 60 ? `${Math.floor(seconds / 60)}m ${seconds % 60}s` : `${seconds}s`;
}

/** Step Functions hands a Lambda error's Cause as JSON (`errorType`, `errorMessage`); keep the message. */
export function describeError(error: WorkflowSnapshot['error']): string {
  if (!error) return 'unknown error';
  let message = error.Cause ?? '';
  try {
    const parsed = JSON.parse(message) as { errorMessage?: unknown };
    if (typeof parsed.errorMessage === 'string') message = parsed.errorMessage;
  } catch {
    // not JSON: the Cause is the message itself
  }
  return `${error.Error ?? 'Error'}: ${message}`;
}

const HEADLINE: Record<NotifyEvent, string> = {
  started: ':rotating_light: Failover started',
  succeeded: ':white_check_mark: Failover succeeded',
  failed: ':x: Failover failed',
};

/** The Block Kit message for one workflow event: app, regions, trigger, step outcomes and timing. */
export function buildSlackMessage(event: NotifyEvent, snapshot: WorkflowSnapshot, now: Date): SlackMessage {
  const mode = snapshot.mode === 'drill' ? ' (drill)' : '';
  const headline = `${HEADLINE[event]}${mode}: ${snapshot.app} ${snapshot.from.name} → ${snapshot.to.name}`;
  const elapsed = formatDuration(now.getTime() - new Date(snapshot.requestedAt).getTime());
  const fields = [
    `*App*\n${escapeMrkdwn(snapshot.app)}`,
    `*Regions*\n${snapshot.from.name} → ${snapshot.to.name}`,
    `*Trigger*\n${escapeMrkdwn(clip(describeTrigger(snapshot), 500))}`,
    `*Elapsed*\n${elapsed}`,
  ];
  const lines: string[] = [];
  if (snapshot.preflight?.backup) lines.push(`• Preflight passed; restoring backup \`${escapeMrkdwn(snapshot.preflight.backup.name)}\` (${snapshot.preflight.backup.ageMinutes} min old)`);
  if (snapshot.shift) {
    const weights = Object.keys(snapshot.shift.after).map((id) => `${escapeMrkdwn(id)} ${snapshot.shift!.before[id]}→${snapshot.shift!.after[id]}`);
    lines.push(`• Route 53 weights: ${weights.join(', ')}`);
  }
  if (event === 'failed') lines.push(`• *Error:* ${escapeMrkdwn(clip(describeError(snapshot.error), 1500))}`);
  if (event === 'failed' && snapshot.compensation?.compensated && snapshot.compensation.weights) {
    const weights = Object.entries(snapshot.compensation.weights).map(([id, w]) => `${escapeMrkdwn(id)} ${w}`).join(', ');
    lines.push(`• :warning: *Traffic was moved back to the last good weights* (${weights}); ${snapshot.to.name} stays promoted. Decide by hand what next.`);
  } else if (event === 'failed' && snapshot.shift) lines.push(`• :warning: *Traffic moved to ${snapshot.to.name} and could not be moved back*: check Route 53 now.`);
  if (event === 'failed' && !snapshot.shift) lines.push('• Traffic was not moved.');

  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(headline, 150), emoji: true } },
    { type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn', text })) },
  ];
  if (lines.length > 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(lines.join('\n'), 3000) } });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `incident \`${escapeMrkdwn(snapshot.incidentId)}\` · ${now.toISOString()}` }] });
  return { text: clip(`${headline} (${elapsed})`, 3000), blocks };
}

/** The one message a cooldown sends when it suppresses automatic failovers of an app. */
export function buildSuppressedMessage(request: FailoverRequest, cooldown: { incidentId: string; until: string; failedAwayFrom: string }, now: Date): SlackMessage {
  const trigger = escapeMrkdwn(clip(describeTrigger(request), 500));
  const text = `:zzz: Automatic failover suppressed: ${request.app} (cooldown after incident ${cooldown.incidentId} until ${cooldown.until})`;
  return {
    text: clip(text, 3000),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(text) } },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: `${trigger}\nLifeboat will not move ${escapeMrkdwn(request.app)} automatically until the cooldown ends, and never back to ${cooldown.failedAwayFrom} on its own: fail back or over by hand if needed. Further suppressions are only recorded in the audit trail.`,
        },
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `incident \`${escapeMrkdwn(cooldown.incidentId)}\` · ${now.toISOString()}` }] },
    ],
  };
}

/** The loud notice that an automatic failover was held back by the blast-radius limit. */
export function buildBlastRadiusMessage(request: FailoverRequest, refusal: { limit: number; appsInRegion: number; apps: string[]; windowEndsAt: string }, now: Date): SlackMessage {
  const trigger = escapeMrkdwn(clip(describeTrigger(request), 500));
  const text = `:octagonal_sign: Automatic failover held back: ${request.app} ${request.from.name} → ${request.to.name} (blast-radius limit: ${refusal.apps.length} of ${refusal.appsInRegion} apps in ${request.from.name} already failing over)`;
  return {
    text: clip(text, 3000),
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: escapeMrkdwn(clip(text, 2900)) } },
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: clip(`${trigger}\nAlready failing over from ${request.from.name}: ${escapeMrkdwn(refusal.apps.join(', '))} (limit ${refusal.limit} until ${refusal.windowEndsAt}). Nothing was changed for ${escapeMrkdwn(request.app)}. If the whole region is down, fail it over by hand through the manual trigger: an operator's request is the approval this limit waits for.`, 2900),
        },
      },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `incident \`${escapeMrkdwn(request.incidentId)}\` · ${now.toISOString()}` }] },
    ],
  };
}
