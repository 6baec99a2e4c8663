import { verifyChain, verifyReceipts } from '../../src/domain/audit-chain.js';
import { simulate, type Scenario, type SimulationReport } from '../../src/local/simulate.js';
import type { AuditRecord } from '../../src/ports/audit.js';
import { buildDrillReport, type DrillReport, type Targets } from '../../src/report/index.js';
import { exampleConfig } from '../support/world.js';

export interface SimulatedIncident {
  simulation: SimulationReport;
  records: AuditRecord[];
  receipts: AuditRecord[];
}

/** Runs a real simulation (the real state machine and handlers, in memory) and keeps its audit trail. */
export async function simulatedIncident(scenario: Scenario = 'region-outage'): Promise<SimulatedIncident> {
  let records: AuditRecord[] = [];
  let receipts: AuditRecord[] = [];
  const simulation = await simulate({
    config: exampleConfig(),
    scenario,
    inspect: async (world, report) => {
      records = await world.auditTrail(report.incidentId!);
      receipts = await world.receipts(report.incidentId!);
    },
  });
  return { simulation, records, receipts };
}

/** The report of a trail, verified as `lifeboat report` verifies it. */
export function reportOf(incidentId: string, records: AuditRecord[], receipts: AuditRecord[] = [], targets: Targets = { rpoMinutes: 60, rtoMinutes: 30 }): DrillReport {
  const receiptCheck = verifyReceipts(records, receipts);
  return buildDrillReport({
    incidentId,
    records,
    verification: { breaks: [...verifyChain(records, incidentId), ...receiptCheck.breaks], receipts: { count: receipts.length, unsealed: receiptCheck.unsealed } },
    targets,
    generatedAt: new Date('2026-11-22T10:00:00Z'),
  });
}
