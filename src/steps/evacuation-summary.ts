import type { SlackMessage } from '../ports/notifier.js';
import { escapeMrkdwn } from '../domain/slack-message.js';
import { auditEvacuation, recordsOf, type EvacuationDeps, type EvacuationState } from './evacuation-deps.js';

/** How one app of an evacuation ended. */
export interface AppOutcome {
  app: string;
  incidentId: string;
  outcome: 'succeeded' | 'failed' | 'not prepared';
  to?: string;
  changeId?: string | null;
  error?: string;
}

export interface EvacuationSummary {
  evacuationId: string;
  region: string;
  mode: 'failover' | 'drill';
  outcome: 'succeeded' | 'partial' | 'failed';
  counts: { apps: number; succeeded: number; failed: number; notPrepared: number; skipped: number };
  changeIds: string[];
  apps: AppOutcome[];
  skipped: { app: string; reason: string }[];
  /** Whether the Slack summary was delivered. */
  notified?: boolean;
}

type FinishedItem = { app: string; incidentId: string; prepared?: boolean; outcome?: string; to?: string; changeId?: string | null; error?: string };

/** The evacuation's outcome from its items, as the Finish stage left them. */
export function summarise(state: EvacuationState): EvacuationSummary {
  const apps: AppOutcome[] = (state.items as FinishedItem[]).map((item) => ({
    app: item.app,
    incidentId: item.incidentId,
    outcome: item.prepared === false ? 'not prepared' : item.outcome === 'succeeded' ? 'succeeded' : 'failed',
    ...(item.to ? { to: item.to } : {}),
    ...(item.changeId !== undefined ? { changeId: item.changeId } : {}),
    ...(item.error ? { error: item.error } : {}),
  }));
  const succeeded = apps.filter((a) => a.outcome === 'succeeded').length;
  const notPrepared = apps.filter((a) => a.outcome === 'not prepared').length;
  const failed = apps.length - succeeded - notPrepared;
  return {
    evacuationId: state.evacuation.evacuationId,
    region: state.evacuation.region,
    mode: state.evacuation.mode,
    outcome: succeeded === apps.length ? 'succeeded' : succeeded === 0 ? 'failed' : 'partial',
    counts: { apps: apps.length, succeeded, failed, notPrepared, skipped: state.skipped.length },
    changeIds: (state.changeIds as string[] | undefined) ?? [],
    apps,
    skipped: state.skipped,
  };
}

/** One Slack message for the whole evacuation: counts, and the apps that did not move with why. */
export function buildEvacuationMessage(summary: EvacuationSummary, now: Date): SlackMessage {
  const verb = summary.mode === 'drill' ? 'Evacuation drill' : 'Evacuation';
  const icon = summary.outcome === 'succeeded' ? ':white_check_mark:' : summary.outcome === 'partial' ? ':warning:' : ':x:';
  const text = `${verb} of ${summary.region}: ${summary.counts.succeeded}/${summary.counts.apps} apps moved (${summary.outcome})`;
  const stuck = summary.apps.filter((a) => a.outcome !== 'succeeded');
  const lines = stuck.slice(0, 30).map((a) => `• *${escapeMrkdwn(a.app)}*: ${a.outcome}${a.error ? ` (${escapeMrkdwn(a.error)})` : ''}`);
  if (stuck.length > 30) lines.push(`…and ${stuck.length - 30} more (see the evacuation's audit trail)`);
  const blocks: unknown[] = [
    { type: 'header', text: { type: 'plain_text', text: `${verb} of ${summary.region}`.slice(0, 150) } },
    {
      type: 'section',
      fields: [
        `*Outcome*\n${icon} ${summary.outcome}`,
        `*Moved*\n${summary.counts.succeeded} of ${summary.counts.apps}`,
        `*Failed / not prepared*\n${summary.counts.failed} / ${summary.counts.notPrepared}`,
        `*Skipped* (traffic elsewhere)\n${summary.counts.skipped}`,
        `*Route 53 changes*\n${summary.changeIds.length}`,
      ].map((field) => ({ type: 'mrkdwn', text: field })),
    },
  ];
  if (lines.length > 0) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: lines.join('\n').slice(0, 3000) } });
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `evacuation \`${escapeMrkdwn(summary.evacuationId)}\` · ${now.toISOString()}` }] });
  return { text, blocks };
}

/**
 * Closes the evacuation: its trail gets each app's outcome (once), and one Slack summary goes to
 * the channel of the first app moved (the configuration has no operators' channel of its own; each
 * app's team already heard about its app from its own workflow).
 */
export async function summarizeEvacuation(deps: EvacuationDeps, state: EvacuationState): Promise<EvacuationSummary> {
  const summary = summarise(state);
  const header = state.evacuation;
  const trail = await deps.audit.read(header.evacuationId);
  if (!recordsOf(trail, 'Evacuate').some((r) => r.outcome !== 'InProgress')) {
    await auditEvacuation(deps, header, {
      step: 'Evacuate',
      intent: `${header.mode === 'drill' ? 'drill: ' : ''}move every app out of ${header.region}`,
      outcome: summary.outcome === 'succeeded' ? 'Converged' : 'Failed',
      after: { counts: summary.counts, apps: summary.apps, changeIds: summary.changeIds },
      ...(summary.outcome === 'succeeded' ? {} : { error: `${summary.counts.failed + summary.counts.notPrepared} of ${summary.counts.apps} apps did not move` }),
    });
  }
  const channelApp = deps.config.apps.find((app) => summary.apps.some((a) => a.app === app.name)) ?? deps.config.apps[0]!;
  const message = buildEvacuationMessage(summary, deps.clock.now());
  // Slack never fails an evacuation: a summary that could not be delivered is on the record instead.
  let notified = true;
  try {
    await deps.notifier.post(channelApp.slack.webhook, message);
    await auditEvacuation(deps, header, { step: 'Notify', intent: `tell ${channelApp.slack.channel} how the evacuation went`, outcome: 'Notified', change: { text: message.text } });
  } catch (error) {
    notified = false;
    await auditEvacuation(deps, header, { step: 'Notify', intent: `tell ${channelApp.slack.channel} how the evacuation went`, outcome: 'Failed', error: (error as Error).message });
  }
  return { ...summary, notified };
}
