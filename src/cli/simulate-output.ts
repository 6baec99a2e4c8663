import pc from 'picocolors';
import type { ProgressEvent, SimulationReport } from '../local/simulate.js';

type Colors = Pick<typeof pc, 'green' | 'red' | 'yellow' | 'cyan' | 'dim' | 'bold'>;

const plain: Colors = { green: String, red: String, yellow: String, cyan: String, dim: String, bold: String } as unknown as Colors;

/**
 * Live progress of a simulation, one line per event, stamped with virtual time since the outage.
 * Coloured on a terminal, plain lines otherwise (CI logs, pipes).
 */
export function progressPrinter(write: (line: string) => void, colour: boolean) {
  const c: Colors = colour ? pc : plain;
  let origin: number | undefined;
  const lastDetail = new Map<string, string>();
  const stamp = (at: Date) => {
    origin ??= at.getTime();
    const seconds = Math.round((at.getTime() - origin) / 1000);
    return c.dim(`[+${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}]`);
  };
  return (event: ProgressEvent) => {
    switch (event.kind) {
      case 'world':
        write(c.dim(`simulated world: ${event.detail}`));
        break;
      case 'outage':
        write(`${stamp(event.at)} ${c.red(`outage: ${event.app} in ${event.region}`)}: health check failing, alarm ${event.alarmName} → ALARM; EventBridge delivers it to alarm-trigger`);
        break;
      case 'trigger':
        for (const s of event.result.started) write(`${c.bold('alarm-trigger')}: ${s.alreadyStarted ? 'already started' : 'started'} ${c.cyan(s.executionName)} (${s.app}: ${s.from} → ${s.to})`);
        for (const i of event.result.ignored) write(`${c.bold('alarm-trigger')}: ignored ${i.alarmName}: ${i.reason}`);
        break;
      case 'step': {
        const { kind, step, detail } = event.event;
        if (kind === 'entered') write(`${stamp(event.at)} ${c.cyan('▶')} ${step.name}`);
        if (kind === 'succeeded') write(`${stamp(event.at)} ${c.green('✓')} ${step.name}${step.attempts > 1 ? c.dim(` (${step.attempts} attempts)`) : ''}`);
        if (kind === 'failed') write(`${stamp(event.at)} ${c.red('✗')} ${step.name}: ${step.error ?? ''}`);
        if (kind === 'retrying' && detail) {
          // Polling repeats the same message every interval: show it when it changes.
          const message = detail.replace(/ \(retry in \d+s\)$/, '');
          if (lastDetail.get(step.name) !== message) write(`${stamp(event.at)} ${c.yellow('…')} ${step.name}: ${detail}`);
          lastDetail.set(step.name, message);
        }
        break;
      }
      case 'done':
        break;
    }
  };
}

/** The closing summary of a simulation. */
export function summary(report: SimulationReport, colour: boolean): string {
  const c: Colors = colour ? pc : plain;
  const lines: string[] = [''];
  const headline =
    report.outcome === 'succeeded'
      ? c.green(c.bold(`Failover succeeded: ${report.app} ${report.from} → ${report.to} in ${report.rtoSeconds}s (simulated RTO)`))
      : report.outcome === 'compensated'
        ? c.red(c.bold(`Failover undone: ${report.to} failed after traffic moved; weights are back where they were (${report.app}): ${report.error}`))
        : report.outcome === 'refused'
          ? c.yellow(c.bold(`Failover refused, nothing changed: ${report.app} ${report.from} → ${report.to}: ${report.error}`))
          : report.outcome === 'failed'
            ? c.red(c.bold(`Failover failed: ${report.app} ${report.from} → ${report.to}: ${report.error}`))
        : c.yellow(c.bold(`Nothing to do: ${report.ignored.map((i) => `${i.alarmName}: ${i.reason}`).join('; ') || 'no failover started'}`));
  lines.push(headline);
  if (report.incidentId) lines.push(`incident   ${report.incidentId}`);
  const ids = Object.keys({ ...report.weights.before, ...report.weights.after });
  if (ids.length) lines.push(`weights    ${ids.map((id) => `${id} ${report.weights.before[id]}→${report.weights.after[id]}`).join(', ')}`);
  const s = report.sideEffects;
  lines.push(`changes    ${s.route53Changes} Route 53 change, ${s.nodegroupUpdates} node group update, ${s.deploymentsScaled} deployment scale, ${s.restoresCreated} Velero restore, ${s.slackMessages} Slack message`);
  for (const passed of report.passedOver) lines.push(`passed over ${passed.region}: ${passed.reasons}`);
  if (report.notifications.failedAttempts > 0) {
    lines.push(c.yellow(`slack      ${report.notifications.delivered} notification(s) delivered, ${report.notifications.failedAttempts} failed attempt(s) (each in the audit trail)`));
  }
  if (report.faultsFired.dynamodb > 0) lines.push(`dynamodb   ${report.faultsFired.dynamodb} throttled call(s), retried`);
  if (report.scenario) {
    const reached = report.outcome === report.scenario.expectedOutcome;
    const verdict = reached ? c.green(`safe end state reached (${report.outcome})`) : c.red(`UNEXPECTED: ${report.outcome}, expected ${report.scenario.expectedOutcome}`);
    lines.push(`scenario   ${report.scenario.name}: ${verdict}: ${report.scenario.safeState}`);
  }
  return lines.join('\n');
}
