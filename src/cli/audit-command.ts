import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import pc from 'picocolors';
import { DynamoDbAuditTrail } from '../adapters/aws/dynamodb-audit.js';
import { TABLES, tableName } from '../adapters/aws/tables.js';
import { sealOf, verifyChain, verifyReceipts, type ChainBreak } from '../domain/audit-chain.js';
import { createTables, startDynalite } from '../local/dynalite.js';
import { StateDir } from '../local/state-dir.js';
import type { AuditRecord } from '../ports/audit.js';

export interface AuditOptions {
  verify?: boolean;
  local?: boolean;
  json?: boolean;
  table?: string;
}

/** Reads an incident's trail from AWS (the SDK's default chain, `LIFEBOAT_AUDIT_TABLE`) or from `.lifeboat/` (`audit` and `report`). */
export async function readTrail(incidentId: string, options: Pick<AuditOptions, 'local' | 'table'>): Promise<{ records: AuditRecord[]; receipts: AuditRecord[] }> {
  const read = async (trail: DynamoDbAuditTrail) => ({ records: await trail.read(incidentId), receipts: await trail.readReceipts(incidentId) });
  if (!options.local) {
    const client = new DynamoDBClient({});
    try {
      return await read(new DynamoDbAuditTrail({ client, tableName: options.table ?? tableName('audit') }));
    } finally {
      client.destroy();
    }
  }
  const dynamo = await startDynalite({ path: new StateDir().dynamoPath });
  const client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    await createTables(dynamo.endpoint);
    return await read(new DynamoDbAuditTrail({ client, tableName: TABLES.audit.localName }));
  } finally {
    client.destroy();
    await dynamo.close();
  }
}

function line(record: AuditRecord, colour: boolean): string {
  const c = colour ? pc : { dim: String, red: String, green: String };
  const outcome = record.outcome === 'Failed' || record.outcome === 'Refused' ? c.red(record.outcome) : record.outcome;
  const detail = [record.error ? `error: ${record.error}` : '', record.after !== undefined ? `after: ${JSON.stringify(record.after)}` : ''].filter(Boolean).join('  ');
  return `${c.dim(`#${String(record.seq).padStart(3)}`)} ${record.at}  ${record.step.padEnd(18)} ${outcome.padEnd(16)} ${record.actor}  ${record.intent}${detail ? `\n      ${c.dim(detail.slice(0, 400))}` : ''}`;
}

/**
 * `lifeboat audit INCIDENT`: prints the incident's trail; with `--verify`, checks the hash chain
 * and returns false on any break (each break named by its record).
 */
export async function auditCommand(incidentId: string, options: AuditOptions, out: (text: string) => void, colour: boolean): Promise<boolean> {
  const { records, receipts } = await readTrail(incidentId, options);
  const receiptCheck = verifyReceipts(records, receipts);
  const breaks: ChainBreak[] = options.verify ? [...verifyChain(records, incidentId), ...receiptCheck.breaks] : [];
  const seal = sealOf(receipts);
  if (options.json) {
    const receiptSummary = { count: seal.count, byOutcome: seal.byOutcome, unsealed: receiptCheck.unsealed };
    out(`${JSON.stringify({ incidentId, records, receipts: receiptSummary, ...(options.verify ? { intact: breaks.length === 0 && records.length > 0, breaks } : {}) }, null, 2)}\n`);
  } else {
    if (records.length === 0) out(`no audit records for incident ${incidentId}${options.local ? ' in .lifeboat/ (run `lifeboat simulate` first)' : ''}\n`);
    for (const record of records) out(`${line(record, colour)}\n`);
    if (receipts.length > 0) {
      const outcomes = Object.entries(seal.byOutcome).map(([outcome, n]) => `${n} ${outcome.toLowerCase()}`).join(', ');
      out(`absorbed triggers: ${receipts.length} (${outcomes})${receiptCheck.unsealed ? `, ${receiptCheck.unsealed} after the incident closed` : ''}\n`);
    }
    if (options.verify && records.length > 0) {
      if (breaks.length === 0) out(`chain intact: ${records.length} records, last hash ${records.at(-1)!.hash}\n`);
      else for (const found of breaks) out(`${colour ? pc.red('chain broken') : 'chain broken'}: ${found.reason}\n`);
    }
  }
  return !options.verify || (breaks.length === 0 && records.length > 0);
}
