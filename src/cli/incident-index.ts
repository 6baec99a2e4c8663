import { ScanCommand, type DynamoDBClient, type ScanCommandInput } from '@aws-sdk/client-dynamodb';
import { fromItem, PAYLOAD_ATTRIBUTES } from '../adapters/aws/dynamodb-audit.js';
import { awsCall } from '../adapters/aws/errors.js';
import { incidentContext } from '../report/context.js';

/** An incident as its first audit record tells it. */
export interface IncidentSummary {
  incidentId: string;
  app: string | null;
  /** When its first record was written. */
  at: string;
}

/**
 * Which incidents the audit table holds, and of which app: the first record of each (seq 1, which
 * carries the request) found by a Scan filtered on `seq = 1`. The table is keyed by incident, so
 * there is no cheaper way to ask "the latest incident of this app"; `lifeboat status` pays it once
 * per run, reading only the few attributes it needs.
 */
export class IncidentIndex {
  private cached?: Promise<IncidentSummary[]>;

  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /** Every incident, newest first. */
  all(): Promise<IncidentSummary[]> {
    this.cached ??= this.scan();
    return this.cached;
  }

  async latest(app: string): Promise<IncidentSummary | undefined> {
    return (await this.all()).find((incident) => incident.app === app);
  }

  private async scan(): Promise<IncidentSummary[]> {
    const found: IncidentSummary[] = [];
    let startKey: ScanCommandInput['ExclusiveStartKey'];
    do {
      const page = await awsCall(`dynamodb:Scan ${this.tableName} (first records)`, () =>
        this.client.send(
          new ScanCommand({
            TableName: this.tableName,
            FilterExpression: '#seq = :one',
            ProjectionExpression: ['incidentId', '#seq', '#at', 'step', 'intent', 'actor', ...PAYLOAD_ATTRIBUTES].join(', '),
            ExpressionAttributeNames: { '#seq': 'seq', '#at': 'at' },
            ExpressionAttributeValues: { ':one': { N: '1' } },
            ExclusiveStartKey: startKey,
          }),
        ),
      );
      for (const item of page.Items ?? []) {
        const record = fromItem(item);
        if (typeof record.incidentId !== 'string') continue;
        found.push({ incidentId: record.incidentId, app: incidentContext(record.incidentId, [record]).app, at: String(record.at ?? '') });
      }
      startKey = page.LastEvaluatedKey;
    } while (startKey);
    return found.sort((a, b) => b.at.localeCompare(a.at) || b.incidentId.localeCompare(a.incidentId));
  }
}
