import { describeTriggerSource } from './build.js';
import { OUTCOME_WORDS, escapeHtml as esc, formatOffset, formatSeconds, headline, originOf, verdict } from './format.js';
import { ganttSvg } from './gantt.js';
import type { DrillReport, Measure, RecordView, StepSpan } from './model.js';

/*
 * The drill report as one self-contained HTML page: inline CSS and SVG, no script, no font, no
 * image, no link to fetch; a Content-Security-Policy forbids the page any request at all, so it
 * reads the same offline, in a mail client or attached to an audit ticket. Every string that comes
 * from the trail goes through `esc`.
 */

const CSS = `
:root { --ink:#1d2330; --muted:#5f6b7a; --line:#e3e7ee; --bg:#f6f7fa; --card:#fff; --ok:#1f9d55; --bad:#d64545; --warn:#c77700; --info:#3867d6; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: var(--bg); }
header { background: #18202e; color: #fff; padding: 28px 40px 24px; }
header h1 { margin: 0 0 6px; font-size: 26px; font-weight: 650; letter-spacing: -0.01em; }
header .sub { color: #b8c2d3; font-size: 14px; }
header .sub code { color: #dfe6f2; }
.badge { display: inline-block; padding: 2px 10px; border-radius: 999px; font-size: 13px; font-weight: 600; vertical-align: middle; margin-left: 8px; }
.b-succeeded, .b-met, .b-intact { background: #dcf5e6; color: #12703b; }
.b-compensated, .b-incomplete { background: #fff0d6; color: #8a5300; }
.b-refused, .b-failed, .b-missed, .b-broken { background: #fde2e2; color: #a12828; }
.b-mode, .b-none { background: #e4eaf7; color: #2c4a8a; }
main { max-width: 1040px; margin: 0 auto; padding: 24px 40px 48px; }
section { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 20px 24px; margin-bottom: 20px; }
h2 { font-size: 17px; margin: 0 0 14px; }
.figures { display: grid; grid-template-columns: 1fr 1fr; gap: 20px; background: none; border: 0; padding: 0; }
.figure { background: var(--card); border: 1px solid var(--line); border-radius: 10px; padding: 18px 24px; border-top: 5px solid var(--muted); }
.figure.met { border-top-color: var(--ok); } .figure.missed { border-top-color: var(--bad); }
.figure .name { font-size: 13px; text-transform: uppercase; letter-spacing: .08em; color: var(--muted); font-weight: 600; }
.figure .value { font-size: 44px; font-weight: 700; letter-spacing: -0.02em; margin: 2px 0; font-variant-numeric: tabular-nums; }
.figure .target { font-size: 15px; color: var(--muted); }
.figure .basis { font-size: 12.5px; color: var(--muted); margin-top: 8px; }
.gauge { margin-top: 10px; }
.gauge rect.track { fill: #edf0f5; } .gauge rect.fill.met { fill: var(--ok); } .gauge rect.fill.missed { fill: var(--bad); } .gauge rect.fill.none { fill: var(--info); }
.gauge line { stroke: var(--ink); stroke-width: 2; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 4px 18px; margin: 0; font-size: 14px; }
dl.facts dt { color: var(--muted); } dl.facts dd { margin: 0; }
.chart { overflow-x: auto; }
svg.gantt { font: 12px system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; max-width: 100%; height: auto; }
svg.gantt .grid { stroke: #e9edf3; } svg.gantt .tick { fill: var(--muted); font-size: 11px; }
svg.gantt .label { fill: var(--ink); } svg.gantt .dur { fill: var(--muted); font-size: 11px; }
svg.gantt .band-a { fill: #eef3ff; } svg.gantt .band-b { fill: #f1f9f3; }
svg.gantt .bar { fill: #4c7be0; } svg.gantt .bar.s-failed, svg.gantt .bar.s-refused { fill: var(--bad); } svg.gantt .bar.s-compensated { fill: var(--warn); }
svg.gantt .rec { fill: #fff; stroke: #18202e; stroke-width: 1.2; }
svg.gantt .marker { stroke-width: 1.5; stroke-dasharray: 4 3; } svg.gantt .marker-label { font-size: 11px; font-weight: 600; stroke: none; }
svg.gantt line.m-trigger { stroke: var(--muted); } svg.gantt line.m-verified { stroke: var(--ok); } svg.gantt line.m-target { stroke: var(--bad); }
svg.gantt text.m-trigger { fill: var(--muted); } svg.gantt text.m-verified { fill: var(--ok); } svg.gantt text.m-target { fill: var(--bad); }
.legend { font-size: 12.5px; color: var(--muted); margin-top: 8px; }
.legend span { display: inline-block; width: 10px; height: 10px; border-radius: 2px; margin: 0 4px 0 12px; vertical-align: -1px; }
table { width: 100%; border-collapse: collapse; font-size: 14px; }
th { text-align: left; font-weight: 600; color: var(--muted); font-size: 12.5px; text-transform: uppercase; letter-spacing: .05em; border-bottom: 1px solid var(--line); padding: 6px 8px; }
td { border-bottom: 1px solid var(--line); padding: 7px 8px; vertical-align: top; }
td.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
.st { font-weight: 600; } .st-ok { color: var(--ok); } .st-failed, .st-refused { color: var(--bad); } .st-compensated { color: var(--warn); }
details { margin: 4px 0 2px; } summary { cursor: pointer; color: var(--info); font-size: 13px; }
.rec-card { border-left: 3px solid var(--line); padding: 4px 0 4px 12px; margin: 8px 0; }
.rec-card .meta { font-size: 13px; color: var(--muted); }
.states { display: grid; grid-template-columns: repeat(auto-fit, minmax(220px, 1fr)); gap: 8px; margin-top: 6px; }
.states h4 { margin: 0 0 2px; font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .05em; }
pre { margin: 0; background: #f3f5f9; border-radius: 6px; padding: 8px 10px; font: 12px/1.4 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; white-space: pre-wrap; word-break: break-word; max-height: 320px; overflow: auto; }
.error { color: var(--bad); font-size: 13px; }
.chain-ok { color: var(--ok); font-weight: 600; } .chain-bad { color: var(--bad); font-weight: 600; }
code { font: 12.5px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; word-break: break-all; }
.muted { color: var(--muted); }
footer { text-align: center; color: var(--muted); font-size: 12.5px; padding: 0 0 32px; }
`;

function badge(text: string, cls: string): string {
  return `<span class="badge b-${cls}">${esc(text)}</span>`;
}

function time(iso: string | null | undefined): string {
  return iso ? esc(iso.replace('T', ' ').replace(/\.000Z$/, 'Z')) : '—';
}

function gauge(measure: Measure): string {
  if (measure.seconds === null) return '';
  const scale = Math.max(measure.seconds, measure.targetSeconds ?? 0) * 1.1 || 1;
  const w = 300;
  const fill = (measure.seconds / scale) * w;
  const cls = measure.met === true ? 'met' : measure.met === false ? 'missed' : 'none';
  const target = measure.targetSeconds !== null ? `<line x1="${((measure.targetSeconds / scale) * w).toFixed(1)}" y1="0" x2="${((measure.targetSeconds / scale) * w).toFixed(1)}" y2="14"/>` : '';
  return `<svg class="gauge" viewBox="0 0 ${w} 14" width="${w}" height="14" aria-hidden="true"><rect class="track" x="0" y="3" width="${w}" height="8" rx="4"/><rect class="fill ${cls}" x="0" y="3" width="${Math.max(fill, 2).toFixed(1)}" height="8" rx="4"/>${target}</svg>`;
}

function figure(name: string, id: string, measure: Measure, unmeasured?: string): string {
  const v = verdict(measure, unmeasured);
  const cls = measure.met === true ? 'met' : measure.met === false ? 'missed' : 'none';
  const target = measure.targetSeconds !== null ? `target ${esc(formatSeconds(measure.targetSeconds))}` : 'no target configured';
  return `<div class="figure ${cls}" id="${id}">
  <div class="name">${esc(name)}</div>
  <div class="value" data-seconds="${measure.seconds ?? ''}">${esc(formatSeconds(measure.seconds))}</div>
  <div class="target">${target} ${badge(v, cls === 'none' ? 'none' : cls)}</div>
  ${gauge(measure)}
  <div class="basis">${esc(measure.basis)}</div>
</div>`;
}

function json(value: unknown): string {
  return esc(JSON.stringify(value, null, 2) ?? String(value));
}

function recordCard(record: RecordView): string {
  const states = (['before', 'change', 'after'] as const)
    .filter((k) => record[k] !== undefined)
    .map((k) => `<div><h4>${k}</h4><pre>${json(record[k])}</pre></div>`)
    .join('');
  return `<div class="rec-card">
  <div><strong>#${record.seq}</strong> ${esc(record.outcome)} · ${esc(record.intent)}</div>
  <div class="meta">${time(record.at)} · ${esc(record.actor)} · invocation ${esc(formatSeconds(record.durationMs / 1000))}</div>
  ${record.error ? `<div class="error">error: ${esc(record.error)}</div>` : ''}
  ${states ? `<div class="states">${states}</div>` : ''}
</div>`;
}

function stepRow(step: StepSpan, origin: number | null): string {
  const offset = (iso: string) => (origin === null ? time(iso) : esc(formatOffset(Date.parse(iso) - origin)));
  return `<tr>
  <td><strong>${esc(step.name)}</strong>${step.branch ? ` <span class="muted">(${esc(step.branch)} branch)</span>` : ''}
    <details><summary>${step.records.length} record${step.records.length === 1 ? '' : 's'}: before / change / after</summary>${step.records.map(recordCard).join('')}</details></td>
  <td class="num">${offset(step.start)}${step.startInferred ? '<sup title="from the preceding step’s last record">*</sup>' : ''}</td>
  <td class="num">${offset(step.end)}</td>
  <td class="num">${esc(formatSeconds(step.durationMs / 1000))}</td>
  <td><span class="st st-${step.status}">${esc(step.outcome)}</span></td>
</tr>`;
}

function weightsTable(report: DrillReport): string {
  const { before, shifted, final } = report.weights;
  if (!before && !shifted) return '<p class="muted">Traffic was not shifted: no weights changed.</p>';
  const ids = [...new Set([...Object.keys(before ?? {}), ...Object.keys(shifted ?? {}), ...Object.keys(final ?? {})])];
  const cell = (w: Record<string, number> | null, id: string) => (w && id in w ? esc(w[id]) : '—');
  const compensated = report.outcome === 'compensated';
  return `<table><thead><tr><th>weighted record</th><th>before</th><th>shifted</th>${compensated ? '<th>after compensation</th>' : ''}</tr></thead><tbody>
${ids.map((id) => `<tr><td><code>${esc(id)}</code></td><td class="num">${cell(before, id)}</td><td class="num">${cell(shifted, id)}</td>${compensated ? `<td class="num">${cell(final, id)}</td>` : ''}</tr>`).join('\n')}
</tbody></table>`;
}

function chainSection(report: DrillReport): string {
  const { chain } = report;
  const status = chain.intact
    ? `<p class="chain-ok" id="chain-status">✓ Chain intact: ${chain.records} records, each hash matching its content and linking to the one before.</p>`
    : `<p class="chain-bad" id="chain-status">✗ Chain broken: ${chain.breaks.length === 0 ? 'no records' : `${chain.breaks.length} break${chain.breaks.length === 1 ? '' : 's'}`}. The numbers on this page come from records that cannot be trusted.</p>`;
  const breaks = chain.breaks.length > 0 ? `<ul>${chain.breaks.map((b) => `<li class="error">${esc(b.reason)}</li>`).join('')}</ul>` : '';
  return `<section id="chain"><h2>Audit chain ${badge(chain.intact ? 'intact' : 'broken', chain.intact ? 'intact' : 'broken')}</h2>
${status}${breaks}
<dl class="facts"><dt>last hash</dt><dd><code>${esc(chain.lastHash ?? '—')}</code></dd>
<dt>absorbed triggers</dt><dd>${chain.receipts.count} receipt${chain.receipts.count === 1 ? '' : 's'}${chain.receipts.unsealed ? `, ${chain.receipts.unsealed} after the incident closed (not sealed)` : ''}</dd></dl></section>`;
}

/** The whole page. */
export function renderHtml(report: DrillReport): string {
  const origin = originOf(report);
  const title = `Drill report: ${headline(report)}: ${report.outcome}`;
  const { targets } = report;
  const targetNote =
    targets.source === 'trail'
      ? 'the policy recorded in the trail'
      : targets.source === 'config'
        ? `the app's policy in the configuration as it is now${targets.rtoDefaulted ? ` (no RTO target set: default ${targets.rtoMinutes} min)` : ''}`
        : 'none (app not found in the configuration)';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="lifeboat report">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
<header>
  <h1 id="headline">${esc(report.app ?? '(unknown app)')} <span class="muted">·</span> ${esc(report.from ?? '?')} → ${esc(report.to ?? '?')} ${report.mode ? badge(report.mode, 'mode') : ''} ${badge(OUTCOME_WORDS[report.outcome], report.outcome)}</h1>
  <div class="sub">incident <code>${esc(report.incidentId)}</code> · triggered ${time(report.trigger?.at)} by <code>${esc(report.actor ?? '?')}</code></div>
</header>
<main>
<section class="figures">
${figure('Recovery time (RTO)', 'rto', report.rto, 'not reached')}
${figure('Recovery point (RPO)', 'rpo', report.rpo)}
</section>
<section id="summary"><h2>Outcome</h2>
<dl class="facts">
<dt>outcome</dt><dd><strong>${esc(report.outcome)}</strong>: ${esc(report.outcomeReason)}</dd>
<dt>trigger</dt><dd>${time(report.trigger?.at)}${report.trigger ? ` <span class="muted">(${esc(describeTriggerSource(report.trigger.source))})</span>` : ''}</dd>
<dt>restored backup</dt><dd>${report.rpo.backup ? `<code>${esc(report.rpo.backup)}</code>, completed ${time(report.rpo.backupCompletedAt)}${report.rpo.restore ? `, as Velero restore <code>${esc(report.rpo.restore)}</code>` : ''}` : '—'}</dd>
<dt>targets from</dt><dd>${esc(targetNote)}</dd>
</dl></section>
<section id="timeline"><h2>Timeline</h2>
<div class="chart">${ganttSvg(report)}</div>
<div class="legend">Offsets from the trigger. Dots: audit records.<span style="background:#eef3ff"></span>promote branch<span style="background:#f1f9f3"></span>restore branch (in parallel)<span style="background:#4c7be0"></span>converged<span style="background:#c77700"></span>compensated<span style="background:#d64545"></span>failed / refused</div>
</section>
<section id="steps"><h2>Steps</h2>
<table><thead><tr><th>step</th><th>start</th><th>end</th><th>duration</th><th>outcome</th></tr></thead>
<tbody>
${report.steps.map((s) => stepRow(s, origin)).join('\n')}
</tbody></table>
<p class="legend">* a step that waits records once, when done: its start is the end of the step before it in the state machine.</p>
</section>
<section id="weights"><h2>Route 53 weights</h2>${weightsTable(report)}</section>
${chainSection(report)}
</main>
<footer>Generated ${time(report.generatedAt)} by <code>lifeboat report</code>. Every time and duration on this page comes from the incident's audit trail.</footer>
</body>
</html>
`;
}
