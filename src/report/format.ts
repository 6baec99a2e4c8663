import type { DrillOutcome, DrillReport, Measure } from './model.js';

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

/**
 * Escapes text for Markdown, inline (never at the start of a line, where `-`, `+`, `#`, `>` and
 * `1.` would matter): the characters that open emphasis, code, links, tables and strikethrough are
 * backslash-escaped, `<` and `&` become entities (no raw HTML, no autolinks), and line breaks
 * become spaces (a trail string cannot start a line of its own).
 */
export function escapeMarkdown(value: unknown): string {
  return String(value)
    .replace(/[\r\n\u2028\u2029]+/g, ' ')
    .replace(/[\\`*_{}[\]|~]/g, (c) => `\\${c}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;');
}

/** `300` → `5m 0s`; `4000` → `1h 6m 40s`; `null` → `—`. */
export function formatSeconds(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return '—';
  const total = Math.round(seconds);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  if (h > 0) return `${h}h ${m}m ${s}s`;
  return m > 0 ? `${m}m ${s}s` : `${s}s`;
}

/** An offset from the trigger, as the live progress prints it: `+04:00`, `+1:02:03`. */
export function formatOffset(ms: number): string {
  const sign = ms < 0 ? '−' : '+';
  const total = Math.round(Math.abs(ms) / 1000);
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return h > 0 ? `${sign}${h}:${pad(m)}:${pad(s)}` : `${sign}${pad(m)}:${pad(s)}`;
}

/** `met`, `missed`, `no target`, or what to say when nothing was measured (the RTO of a failover that never verified: `not reached`). */
export function verdict(measure: Measure, unmeasured = 'not measured'): string {
  if (measure.met === true) return 'met';
  if (measure.met === false) return 'missed';
  return measure.seconds === null ? unmeasured : 'no target';
}

export const OUTCOME_WORDS: Record<DrillOutcome, string> = {
  succeeded: 'succeeded',
  compensated: 'compensated (traffic moved back)',
  refused: 'refused (nothing changed)',
  failed: 'failed',
  incomplete: 'incomplete (no end recorded)',
};

/** `payments us-east-1 → us-west-2`, with what is unknown said so. */
export function headline(report: DrillReport): string {
  return `${report.app ?? '(unknown app)'} ${report.from ?? '?'} → ${report.to ?? '?'}`;
}

/** The moment offsets are counted from: the trigger, or the first instant of the timeline. */
export function originOf(report: DrillReport): number | null {
  const at = report.trigger?.at ?? report.window?.start;
  return at ? Date.parse(at) : null;
}
