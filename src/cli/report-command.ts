import { writeFileSync } from 'node:fs';
import { verifyChain, verifyReceipts } from '../domain/audit-chain.js';
import type { LifeboatConfig } from '../domain/config.js';
import { InputValidationError } from '../domain/errors.js';
import { buildDrillReport, renderHtml, renderMarkdown, type DrillReport, type Targets } from '../report/index.js';
import { incidentContext } from '../report/context.js';
import { OUTCOME_WORDS, formatSeconds, headline, verdict } from '../report/format.js';
import { readTrail } from './audit-command.js';

export interface ReportOptions {
  local?: boolean;
  table?: string;
  out?: string;
  markdown?: string;
  json?: boolean;
}

/** What an incident id looks like: a Step Functions execution name (see failoverRequestSchema). */
const INCIDENT_ID = /^[A-Za-z0-9_-]{1,80}$/;

/** The app's targets in the configuration (`rtoMinutes` may be absent: the report then applies the default). */
function targetsOf(config: LifeboatConfig | undefined, app: string | null): Targets | undefined {
  const policy = config?.apps.find((a) => a.name === app)?.policy as { rpoMinutes?: number; rtoMinutes?: number } | undefined;
  if (!policy) return undefined;
  return { rpoMinutes: policy.rpoMinutes, ...(typeof policy.rtoMinutes === 'number' ? { rtoMinutes: policy.rtoMinutes } : {}) };
}

function summaryLines(report: DrillReport, written: string[]): string {
  const measure = (m: DrillReport['rto'], unmeasured?: string) => `${formatSeconds(m.seconds)}${m.targetSeconds !== null ? ` / target ${formatSeconds(m.targetSeconds)}` : ''}: ${verdict(m, unmeasured)}`;
  return [
    `${headline(report)}${report.mode ? ` (${report.mode})` : ''}: ${OUTCOME_WORDS[report.outcome]}`,
    `RTO    ${measure(report.rto, 'not reached')}`,
    `RPO    ${measure(report.rpo)}`,
    `steps  ${report.steps.map((s) => `${s.name} ${formatSeconds(s.durationMs / 1000)}`).join(', ')}`,
    `chain  ${report.chain.intact ? `intact (${report.chain.records} records)` : `BROKEN: ${report.chain.breaks.map((b) => b.reason).join('; ') || 'no records'}`}`,
    ...written.map((file) => `wrote  ${file}`),
  ].join('\n');
}

/**
 * `lifeboat report INCIDENT`: builds the drill report from the incident's audit trail and writes
 * it as HTML (`--out`), Markdown (`--markdown`), the model as JSON (`--json`), or a summary.
 * Returns false when the chain does not verify (the report is still written, and says so).
 *
 * @throws InputValidationError for a malformed incident id (exit 2); Error for an incident with no records (exit 1).
 */
export async function reportCommand(
  incidentId: string,
  options: ReportOptions,
  loadConfig: () => LifeboatConfig | undefined,
  out: (text: string) => void,
  now: () => Date = () => new Date(),
): Promise<boolean> {
  if (!INCIDENT_ID.test(incidentId)) {
    throw new InputValidationError([{ path: 'incident', message: `${JSON.stringify(incidentId.slice(0, 100))} is not an incident id (1-80 of A-Z a-z 0-9 _ -, the execution name \`simulate\` prints)` }], 'arguments');
  }
  const { records, receipts } = await readTrail(incidentId, options);
  if (records.length === 0) {
    throw new Error(`no audit records for incident ${incidentId}${options.local ? ' in .lifeboat/ (run `lifeboat simulate` first)' : ''}: nothing to report`);
  }
  const receiptCheck = verifyReceipts(records, receipts);
  const breaks = [...verifyChain(records, incidentId), ...receiptCheck.breaks];
  const report = buildDrillReport({
    incidentId,
    records,
    verification: { breaks, receipts: { count: receipts.length, unsealed: receiptCheck.unsealed } },
    targets: targetsOf(loadConfig(), incidentContext(incidentId, records).app),
    generatedAt: now(),
  });

  const written: string[] = [];
  if (options.out) {
    writeFileSync(options.out, renderHtml(report));
    written.push(options.out);
  }
  if (options.markdown) {
    writeFileSync(options.markdown, renderMarkdown(report));
    written.push(options.markdown);
  }
  if (options.json) out(`${JSON.stringify(report, null, 2)}\n`);
  else out(`${summaryLines(report, written)}\n`);
  return report.chain.intact;
}
