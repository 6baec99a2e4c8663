import { GetItemCommand, PutItemCommand, UpdateItemCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { Approval, Approvals } from '../../ports/approvals.js';
import { awsCall } from './errors.js';

/*
 * Approvals of gated runs in the locks table (TABLES.locks), one item each: `approval#<incidentId>`.
 * The table already holds the per-app coordination state (locks, cooldowns), has a TTL, and every
 * function that needs an approval can be granted it item by item; a table of its own would add a
 * global table for a handful of items. Each operation is one single-item conditional write or one
 * strongly consistent read (dynalite has no transactions): the condition on `status` decides who
 * answers first. The plain client with util-dynamodb's marshalling, as the locks adapter does: the
 * runtime's one DynamoDB client has `cacheMiddleware`, which lib-dynamodb's document client refuses.
 */

/** How long a closed approval stays for whoever investigates, after its deadline. */
const TTL_MARGIN_SECONDS = 7 * 24 * 60 * 60;

type ApprovalItem = Approval & { pk: string; expiresAt: number };

/** The approvals store through the AWS SDK (port `Approvals`). */
export class DynamoDbApprovals implements Approvals {
  private readonly client: DynamoDBClient;
  private readonly tableName: string;

  constructor(options: { client: DynamoDBClient; tableName: string }) {
    this.client = options.client;
    this.tableName = options.tableName;
  }

  async open(approval: Omit<Approval, 'status' | 'delivered' | 'taskToken'>): Promise<Approval> {
    const pk = key(approval.incidentId);
    const item: ApprovalItem = { ...approval, pk, status: 'pending', delivered: false, expiresAt: Math.ceil(Date.parse(approval.deadline) / 1000) + TTL_MARGIN_SECONDS };
    const written = await this.conditional(`dynamodb:PutItem ${this.tableName} ${pk}`, () =>
      this.client.send(new PutItemCommand({ TableName: this.tableName, Item: toItem(item), ConditionExpression: 'attribute_not_exists(pk)' })),
    );
    if (written) return withoutStorageFields(item);
    return (await this.get(approval.incidentId))!;
  }

  async attachToken(incidentId: string, taskToken: string): Promise<Approval> {
    const pk = key(incidentId);
    const output = await awsCall(`dynamodb:UpdateItem ${this.tableName} ${pk}`, () =>
      this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: keyOf(pk),
          UpdateExpression: 'SET taskToken = :token',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: values({ ':token': taskToken }),
          ReturnValues: 'ALL_NEW',
        }),
      ),
    );
    return strip(output.Attributes!);
  }

  async get(incidentId: string): Promise<Approval | undefined> {
    const pk = key(incidentId);
    const output = await awsCall(`dynamodb:GetItem ${this.tableName} ${pk}`, () => this.client.send(new GetItemCommand({ TableName: this.tableName, Key: keyOf(pk), ConsistentRead: true })));
    return output.Item ? strip(output.Item) : undefined;
  }

  async decide(incidentId: string, status: 'approved' | 'denied', actor: string, at: Date): Promise<{ won: boolean; current: Approval | undefined }> {
    const pk = key(incidentId);
    const won = await this.conditional(`dynamodb:UpdateItem ${this.tableName} ${pk}`, () =>
      this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: keyOf(pk),
          UpdateExpression: 'SET #status = :status, decidedBy = :actor, decidedAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND #status = :pending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: values({ ':status': status, ':actor': actor, ':at': at.toISOString(), ':pending': 'pending' }),
        }),
      ),
    );
    return { won, current: await this.get(incidentId) };
  }

  async markDelivered(incidentId: string): Promise<void> {
    const pk = key(incidentId);
    await awsCall(`dynamodb:UpdateItem ${this.tableName} ${pk}`, () =>
      this.client.send(new UpdateItemCommand({ TableName: this.tableName, Key: keyOf(pk), UpdateExpression: 'SET delivered = :true', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: values({ ':true': true }) })),
    );
  }

  async expire(incidentId: string, at: Date): Promise<{ won: boolean; current: Approval | undefined }> {
    const pk = key(incidentId);
    const won = await this.conditional(`dynamodb:UpdateItem ${this.tableName} ${pk}`, () =>
      this.client.send(
        new UpdateItemCommand({
          TableName: this.tableName,
          Key: keyOf(pk),
          UpdateExpression: 'SET #status = :timedOut, delivered = :true, decidedBy = :gate, decidedAt = :at',
          ConditionExpression: 'attribute_exists(pk) AND (#status = :pending OR delivered = :false)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: values({ ':timedOut': 'timedOut', ':true': true, ':false': false, ':gate': 'lifeboat:timeout', ':at': at.toISOString(), ':pending': 'pending' }),
        }),
      ),
    );
    return { won, current: await this.get(incidentId) };
  }

  /** A conditional write: false when the condition failed (an answer, not an error). */
  private conditional(call: string, send: () => Promise<unknown>): Promise<boolean> {
    return awsCall(call, async () => {
      try {
        await send();
        return true;
      } catch (error) {
        // By name rather than instanceof: a bundle may hold two copies of the SDK's error classes.
        if ((error as { name?: string }).name === 'ConditionalCheckFailedException') return false;
        throw error;
      }
    });
  }
}

function key(incidentId: string): string {
  return `approval#${incidentId}`;
}

function keyOf(pk: string): Record<string, AttributeValue> {
  return { pk: { S: pk } };
}

/** The item as DynamoDB attributes; optional fields left undefined are not written. */
function toItem(item: ApprovalItem): Record<string, AttributeValue> {
  return marshall(item, { removeUndefinedValues: true });
}

function values(named: Record<string, string | boolean>): Record<string, AttributeValue> {
  return marshall(named);
}

/** A stored item as the approval it holds. */
function strip(attributes: Record<string, AttributeValue>): Approval {
  return withoutStorageFields(unmarshall(attributes) as ApprovalItem);
}

function withoutStorageFields(item: ApprovalItem): Approval {
  const { pk: _pk, expiresAt: _ttl, ...approval } = item;
  return approval;
}
