import { describe, expect, it } from '@jest/globals';
import { chainRecord } from '../../src/domain/audit-chain.js';
import type { AuditEntry, AuditRecord } from '../../src/ports/audit.js';
import { renderHtml, renderMarkdown, slackReportMessage } from '../../src/report/index.js';
import { reportOf } from './support.js';

const HOSTILE = `</title></style><script>alert(1)</script><img src=x onerror="alert(2)">'"&amp;<!channel>`;
const incidentId = 'alarm-payments-use1-api-5xx-20260314T090000Z-a4e5b9253a';

/** A successful trail in which every string a step could write is hostile. */
function hostileTrail(): AuditRecord[] {
  const entries: AuditEntry[] = [
    { step: 'AcquireLock', intent: `take the failover lock of ${HOSTILE}`, outcome: 'LockAcquired', at: '2026-03-14T09:00:00.000Z' },
    { step: 'Preflight', intent: `check us-west-2 can take over from us-east-1`, outcome: 'Passed', at: '2026-03-14T09:00:00.000Z', before: { backup: { name: HOSTILE, completedAt: '2026-03-14T08:35:00.000Z', ageMinutes: 25 } } },
    { step: 'StartRestore', intent: HOSTILE, outcome: 'ChangeRequested', at: '2026-03-14T09:00:00.000Z', change: { backup: HOSTILE, restore: HOSTILE } },
    { step: HOSTILE, intent: HOSTILE, outcome: 'Converged', at: '2026-03-14T09:01:00.000Z', before: { [HOSTILE]: HOSTILE }, error: HOSTILE },
    { step: 'ShiftTraffic', intent: 'shift x from us-east-1 to us-west-2', outcome: 'ChangeRequested', at: '2026-03-14T09:04:00.000Z', before: { [HOSTILE]: 100, b: 0 }, after: { [HOSTILE]: 0, b: 100 } },
    { step: 'Verify', intent: `us-west-2 serves ${HOSTILE}`, outcome: 'Passed', at: '2026-03-14T09:05:00.000Z' },
    { step: 'ReleaseLock', intent: `release the failover lock of ${HOSTILE} (succeeded)`, outcome: 'LockReleased', at: '2026-03-14T09:05:00.000Z' },
  ].map((e) => ({ incidentId, actor: `user:${HOSTILE}`, durationMs: 0, ...e }) as AuditEntry);
  const records: AuditRecord[] = [];
  for (const entry of entries) records.push(chainRecord(records.at(-1), entry));
  return records;
}

describe('the rendered report, given hostile strings in the trail', () => {
  const report = reportOf(incidentId, hostileTrail());

  it('builds the numbers as usual', () => {
    expect(report).toMatchObject({ outcome: 'succeeded', app: HOSTILE, rto: { seconds: 300 }, rpo: { seconds: 1500, backup: HOSTILE } });
  });

  it('escapes every one of them in the HTML page', () => {
    const html = renderHtml(report);
    expect(html).not.toContain('<script');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<!channel>');
    expect(html.match(/<title>([^<]*)<\/title>/)?.[1]).toContain('&lt;/title&gt;&lt;/style&gt;&lt;script&gt;');
    expect(html.match(/<\/style>/g)).toHaveLength(1);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=&quot;alert(2)&quot;&gt;&#39;&quot;&amp;amp;');
    // A JSON-rendered state keeps the escaped key and value.
    expect(html).toContain('&quot;&lt;/title&gt;&lt;/style&gt;&lt;script&gt;');
  });

  it('forbids the page every request, and needs none', () => {
    const html = renderHtml(report);
    expect(html).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`);
    expect(html).not.toMatch(/<(script|link|iframe|object|embed)\b/i);
    // Attribute values quoted away (a trail string inside one is escaped, so cannot close it), no tag loads anything.
    const tags = html.replace(/"[^"]*"/g, '""').match(/<[a-z][^>]*>/gi) ?? [];
    expect(tags.filter((tag) => /\s(src|href|action|srcset|background)=/i.test(tag))).toEqual([]);
    expect(html).not.toMatch(/url\(|@import/);
  });

  it('escapes them in the Markdown summary', () => {
    const markdown = renderMarkdown(report);
    expect(markdown).not.toMatch(/<(script|img|!channel)/);
    expect(markdown).toContain('&lt;script>alert(1)&lt;/script>');
    for (const line of markdown.split('\n').filter((l) => l.startsWith('|'))) expect(line.split(/(?<!\\)\|/)).toHaveLength(5);
  });

  it('escapes them in the Slack message, so nobody gets pinged', () => {
    const message = slackReportMessage(report);
    // Every mrkdwn text (the header is plain_text, which Slack does not parse).
    const text = JSON.stringify([message.text, message.blocks.slice(1)]);
    expect(text).not.toContain('<!channel>');
    expect(text).not.toMatch(/<script|<img/);
    expect(message.text).toContain('&lt;!channel&gt;');
  });
});

describe('the Slack message of a report', () => {
  it('says outcome, RTO and RPO against their targets, step durations and the chain', () => {
    const message = slackReportMessage(reportOf(incidentId, hostileTrail()));
    expect(message.text).toMatch(/RTO 5m 0s \(target 30m 0s\): met, RPO 25m 0s \(target 1h 0m 0s\): met$/);
    expect(JSON.stringify(message.blocks)).toContain('intact (7 records');
    expect(JSON.stringify(message.blocks)).toMatch(/ShiftTraffic\s+0s\s+ChangeRequested/);
  });
});
