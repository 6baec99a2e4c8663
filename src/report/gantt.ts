import { escapeHtml as esc, formatOffset, formatSeconds, originOf } from './format.js';
import type { DrillReport, StepSpan } from './model.js';

/*
 * The timeline as an inline SVG Gantt chart: one row and one bar per step, on a time axis counted
 * from the trigger, with a dot for each audit record. Steps of the parallel branches sit on rows of
 * their own, so their bars visibly overlap in time. Every string from the trail is escaped.
 */

const LABEL_WIDTH = 190;
const CHART_WIDTH = 720;
const RIGHT_PAD = 70;
const ROW = 26;
const TOP = 34;
const BOTTOM = 30;

/** Tick spacings, in seconds, from which the axis takes the first that gives at most 10 ticks. */
const TICKS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 14400, 43200, 86400];

function tickStep(spanSeconds: number): number {
  return TICKS.find((step) => spanSeconds / step <= 10) ?? Math.ceil(spanSeconds / 10 / 86400) * 86400;
}

export function ganttSvg(report: DrillReport): string {
  const origin = originOf(report);
  if (origin === null || !report.window || report.steps.length === 0) {
    return '<p class="muted">No step left a record: there is no timeline to draw.</p>';
  }
  const first = Math.min(origin, Date.parse(report.window.start));
  const last = Math.max(Date.parse(report.window.end), first + 60_000);
  const span = last - first;
  const x = (t: number) => LABEL_WIDTH + ((t - first) / span) * CHART_WIDTH;
  const height = TOP + report.steps.length * ROW + BOTTOM;
  const width = LABEL_WIDTH + CHART_WIDTH + RIGHT_PAD;
  const parts: string[] = [];

  // Axis: ticks counted from the trigger (or the first record).
  const step = tickStep(span / 1000) * 1000;
  for (let t = origin - Math.floor((origin - first) / step) * step; t <= last + 1; t += step) {
    const tx = x(t).toFixed(1);
    parts.push(`<line class="grid" x1="${tx}" y1="${TOP - 6}" x2="${tx}" y2="${height - BOTTOM}"/>`);
    parts.push(`<text class="tick" x="${tx}" y="${TOP - 12}" text-anchor="middle">${esc(formatOffset(t - origin))}</text>`);
  }

  // Parallel branch bands behind their rows.
  const branches = new Map<string, number[]>();
  report.steps.forEach((s, i) => s.branch && branches.set(s.branch, [...(branches.get(s.branch) ?? []), i]));
  for (const [branch, rows] of branches) {
    const y = TOP + Math.min(...rows) * ROW;
    const h = (Math.max(...rows) - Math.min(...rows) + 1) * ROW;
    parts.push(`<rect class="band band-${branch === 'restore' ? 'b' : 'a'}" x="0" y="${y}" width="${width}" height="${h}"/>`);
  }

  report.steps.forEach((s, i) => parts.push(row(s, i, x)));

  // Markers: the trigger, the verified end of the RTO, and the RTO target when it falls on the chart.
  const marker = (t: number, label: string, cls: string) => {
    const mx = x(t).toFixed(1);
    parts.push(`<line class="marker ${cls}" x1="${mx}" y1="${TOP - 4}" x2="${mx}" y2="${height - BOTTOM + 4}"/>`);
    const anchor = x(t) > LABEL_WIDTH + CHART_WIDTH - 40 ? 'end' : x(t) < LABEL_WIDTH + 40 ? 'start' : 'middle';
    parts.push(`<text class="marker-label ${cls}" x="${mx}" y="${height - BOTTOM + 18}" text-anchor="${anchor}">${esc(label)}</text>`);
  };
  if (report.trigger) marker(Date.parse(report.trigger.at), 'trigger', 'm-trigger');
  if (report.rto.to) marker(Date.parse(report.rto.to), `verified ${formatSeconds(report.rto.seconds)}`, 'm-verified');
  if (report.rto.targetSeconds !== null && report.trigger) {
    const target = Date.parse(report.trigger.at) + report.rto.targetSeconds * 1000;
    if (target <= last) marker(target, 'RTO target', 'm-target');
  }

  return [
    `<svg class="gantt" role="img" aria-labelledby="gantt-title" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg" data-steps="${report.steps.length}">`,
    `<title id="gantt-title">Timeline of ${report.steps.length} steps</title>`,
    ...parts,
    '</svg>',
  ].join('\n');
}

function row(s: StepSpan, index: number, x: (t: number) => number): string {
  const y = TOP + index * ROW;
  const x1 = x(Date.parse(s.start));
  const x2 = x(Date.parse(s.end));
  // A step that took no measurable time still gets a visible bar.
  const w = Math.max(x2 - x1, 4);
  const label = `${s.name}: ${formatSeconds(s.durationMs / 1000)}, ${s.outcome}${s.startInferred ? ' (start from the preceding step)' : ''}`;
  const dots = s.records
    .map((r) => `<circle class="rec" cx="${x(Date.parse(r.at)).toFixed(1)}" cy="${y + ROW / 2}" r="3"><title>${esc(`#${r.seq} ${r.outcome}: ${r.intent}`)}</title></circle>`)
    .join('');
  return [
    `<g class="row" data-step="${esc(s.name)}">`,
    `<text class="label" x="${LABEL_WIDTH - 10}" y="${y + ROW / 2 + 4}" text-anchor="end">${esc(s.name)}</text>`,
    `<rect class="bar s-${s.status}" x="${x1.toFixed(1)}" y="${y + 5}" width="${w.toFixed(1)}" height="${ROW - 10}" rx="3" data-step="${esc(s.name)}"><title>${esc(label)}</title></rect>`,
    dots,
    s.durationMs > 0 ? `<text class="dur" x="${(x1 + w + 6).toFixed(1)}" y="${y + ROW / 2 + 4}">${esc(formatSeconds(s.durationMs / 1000))}</text>` : '',
    '</g>',
  ].join('');
}
