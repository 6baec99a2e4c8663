import { escapeMrkdwn } from '../domain/slack-message.js';
import type { SlackMessage } from '../ports/notifier.js';
import { OUTCOME_WORDS, escapeMarkdown as md, formatSeconds, headline, verdict } from './format.js';
import type { DrillReport, Measure } from './model.js';

/*
 * The short form of the drill report: outcome, RTO and RPO against their targets, step durations
 * and the chain's status. As Markdown (for a file, a ticket, a pull request) and as a Slack message
 * (Block Kit, mrkdwn escaped), both from the same report.
 */

function against(measure: Measure, unmeasured?: string): string {
  const target = measure.targetSeconds !== null ? ` (target ${formatSeconds(measure.targetSeconds)})` : '';
  return `${formatSeconds(measure.seconds)}${target}: ${verdict(measure, unmeasured)}`;
}

function chainLine(report: DrillReport): string {
  const { chain } = report;
  if (chain.intact) return `intact (${chain.records} records, last hash ${chain.lastHash?.slice(0, 12) ?? '—'}…)`;
  return `BROKEN (${chain.breaks.length} break${chain.breaks.length === 1 ? '' : 's'}${chain.breaks[0] ? `: ${chain.breaks[0].reason}` : ''})`;
}

const MARK: Record<string, string> = { ok: '✓', failed: '✗', refused: '✗', compensated: '↩' };

/** The Markdown summary. */
export function renderMarkdown(report: DrillReport): string {
  const lines = [
    `## ${report.mode === 'drill' ? 'Drill' : 'Failover'} report: ${md(headline(report))}`,
    '',
    `**Outcome:** ${md(OUTCOME_WORDS[report.outcome])}: ${md(report.outcomeReason)}  `,
    `**RTO:** ${md(against(report.rto, 'not reached'))}  `,
    `**RPO:** ${md(against(report.rpo))}${report.rpo.backup ? ` (backup ${md(report.rpo.backup)})` : ''}  `,
    `**Audit chain:** ${md(chainLine(report))}`,
    '',
    '| step | duration | outcome |',
    '| --- | ---: | --- |',
    ...report.steps.map((s) => `| ${md(s.name)} | ${md(formatSeconds(s.durationMs / 1000))} | ${MARK[s.status] ?? ''} ${md(s.outcome)} |`),
    '',
    `_Incident ${md(report.incidentId)}; generated ${md(report.generatedAt)}; every number from its audit trail._`,
  ];
  return `${lines.join('\n')}\n`;
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The Slack message for the report (the same summary): header, figures, step durations, chain. */
export function slackReportMessage(report: DrillReport): SlackMessage {
  const icon = report.outcome === 'succeeded' ? ':white_check_mark:' : report.outcome === 'compensated' ? ':leftwards_arrow_with_hook:' : ':x:';
  const title = `${report.mode === 'drill' ? 'Drill' : 'Failover'} report: ${headline(report)}: ${report.outcome}`;
  const width = Math.max(4, ...report.steps.map((s) => clip(s.name, 40).length));
  const steps = report.steps.map((s) => `${MARK[s.status] ?? ' '} ${clip(s.name, 40).padEnd(width)}  ${formatSeconds(s.durationMs / 1000).padStart(8)}  ${s.outcome}`).join('\n');
  const fields = [
    `*Outcome*\n${escapeMrkdwn(clip(OUTCOME_WORDS[report.outcome], 200))}`,
    `*Audit chain*\n${escapeMrkdwn(clip(chainLine(report), 500))}`,
    `*RTO*\n${escapeMrkdwn(against(report.rto, 'not reached'))}`,
    `*RPO*\n${escapeMrkdwn(against(report.rpo))}`,
  ];
  return {
    text: clip(escapeMrkdwn(`${title}: RTO ${against(report.rto, 'not reached')}, RPO ${against(report.rpo)}`), 3000),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: clip(title, 150), emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: `${icon} ${escapeMrkdwn(clip(report.outcomeReason, 1000))}` } },
      { type: 'section', fields: fields.map((text) => ({ type: 'mrkdwn', text })) },
      { type: 'section', text: { type: 'mrkdwn', text: `\`\`\`${clip(escapeMrkdwn(steps.replace(/`/g, "'")), 2990)}\`\`\`` } },
      { type: 'context', elements: [{ type: 'mrkdwn', text: `incident \`${escapeMrkdwn(report.incidentId.replace(/`/g, "'"))}\` · generated ${report.generatedAt}` }] },
    ],
  };
}
