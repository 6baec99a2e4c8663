import { verifyChain, verifyReceipts } from '../domain/audit-chain.js';
import type { LifeboatConfig } from '../domain/config.js';
import { buildDrillReport, slackReportMessage, type DrillReport } from '../report/index.js';
import type { StepDeps } from './deps.js';

/** What the drill's last step hands back (and records): the figures of the report it posted. */
export interface DrillSummary {
  outcome: DrillReport['outcome'];
  rtoSeconds: number | null;
  rpoSeconds: number | null;
  chainIntact: boolean;
  records: number;
}

/**
 * Builds the drill report from the incident's audit trail (src/report: the same model as `lifeboat
 * report`) and posts its Slack form to the app's channel; then records that it did, with the
 * figures, so the trail says what was reported. The report covers the records before that one.
 */
export async function reportDrill(deps: StepDeps & { config: LifeboatConfig }, incidentId: string, appName: string): Promise<DrillSummary> {
  const app = deps.config.apps.find((a) => a.name === appName);
  const [records, receipts] = await Promise.all([deps.audit.read(incidentId), deps.audit.readReceipts(incidentId)]);
  const reported = records.find((r) => r.step === 'DrillReport' && r.outcome === 'Notified');
  if (reported) return reported.after as DrillSummary;
  const shown = records;
  const receiptCheck = verifyReceipts(shown, receipts);
  const report = buildDrillReport({
    incidentId,
    records: shown,
    verification: { breaks: [...verifyChain(shown, incidentId), ...receiptCheck.breaks], receipts: { count: receipts.length, unsealed: receiptCheck.unsealed } },
    targets: app ? { rpoMinutes: app.policy.rpoMinutes, rtoMinutes: app.policy.rtoMinutes } : undefined,
    generatedAt: deps.clock.now(),
  });
  const summary: DrillSummary = { outcome: report.outcome, rtoSeconds: report.rto.seconds, rpoSeconds: report.rpo.seconds, chainIntact: report.chain.intact, records: shown.length };
  const intent = `post the drill report of ${incidentId} to ${app?.slack.channel ?? 'Slack'}`;
  const entry = { incidentId, actor: 'lifeboat:drill', at: deps.clock.now().toISOString(), step: 'DrillReport', intent };
  if (!app) {
    await deps.audit.record({ ...entry, outcome: 'Failed', error: `app ${appName} is not in the configuration: report not posted`, after: summary });
    return summary;
  }
  // Not recorded when Slack fails: a `Failed` record would make the retried report say the drill failed.
  await deps.notifier.post(app.slack.webhook, slackReportMessage(report));
  await deps.audit.record({ ...entry, outcome: 'Notified', after: summary });
  return summary;
}
