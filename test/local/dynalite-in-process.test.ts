import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ConditionalCheckFailedException, DynamoDBClient, GetItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { tableName } from '../../src/adapters/aws/tables.js';
import { createTables, startDynalite, type LocalDynamo } from '../../src/local/dynalite.js';

/*
 * The benchmarks' in-process transport to dynalite: the SDK's requests reach the same emulator
 * (same tables, same validation, same errors) as over loopback HTTP, only without the socket.
 */

const AUDIT = tableName('audit', {});
let dynamo: LocalDynamo;
const clients: DynamoDBClient[] = [];

function client(transport: 'http' | 'in-process', extra: { cacheMiddleware?: boolean } = {}): DynamoDBClient {
  const made = new DynamoDBClient({
    endpoint: dynamo.endpoint,
    region: 'local',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
    ...(transport === 'in-process' ? { requestHandler: dynamo.inProcessHandler() } : {}),
    ...extra,
  });
  clients.push(made);
  return made;
}

beforeAll(async () => {
  dynamo = await startDynalite();
  await createTables(dynamo.endpoint);
});

afterAll(async () => {
  for (const made of clients) made.destroy();
  await dynamo.close();
});

describe('InProcessDynamoHandler', () => {
  it('writes and reads the same tables the HTTP endpoint serves', async () => {
    // arrange
    const direct = client('in-process', { cacheMiddleware: true });
    const overHttp = client('http');
    const item = { incidentId: { S: 'inc-direct-1' }, seq: { N: '1' }, step: { S: 'Preflight' }, tags: { SS: ['a', 'b'] } };

    // act
    await direct.send(new PutItemCommand({ TableName: AUDIT, Item: item }));
    const readOverHttp = await overHttp.send(new GetItemCommand({ TableName: AUDIT, Key: { incidentId: item.incidentId, seq: item.seq }, ConsistentRead: true }));
    await overHttp.send(new PutItemCommand({ TableName: AUDIT, Item: { ...item, seq: { N: '2' } } }));
    const queried = await direct.send(new QueryCommand({ TableName: AUDIT, KeyConditionExpression: 'incidentId = :i', ExpressionAttributeValues: { ':i': item.incidentId }, ConsistentRead: true }));

    // assert
    expect(readOverHttp.Item).toEqual(item);
    expect(queried.Items?.map((i) => i.seq?.N)).toEqual(['1', '2']);
  });

  it('hands back dynalite’s errors as the SDK’s typed exceptions', async () => {
    // arrange
    const direct = client('in-process');
    const item = { incidentId: { S: 'inc-direct-2' }, seq: { N: '1' } };
    await direct.send(new PutItemCommand({ TableName: AUDIT, Item: item }));

    // act / assert
    await expect(direct.send(new PutItemCommand({ TableName: AUDIT, Item: item, ConditionExpression: 'attribute_not_exists(incidentId)' }))).rejects.toBeInstanceOf(ConditionalCheckFailedException);
    await expect(direct.send(new PutItemCommand({ TableName: AUDIT, Item: { incidentId: { S: '' }, seq: { N: '1' } } }))).rejects.toMatchObject({
      name: 'ValidationException',
      message: expect.stringContaining('empty string'),
    });
    await expect(direct.send(new GetItemCommand({ TableName: 'no-such-table', Key: { pk: { S: 'x' } } }))).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });

  it('carries the signature through: dynalite still rejects a request without one', async () => {
    // arrange: an anonymous client sends no Authorization header
    const anonymous = new DynamoDBClient({
      endpoint: dynamo.endpoint,
      region: 'local',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      maxAttempts: 1,
      requestHandler: dynamo.inProcessHandler(),
    });
    clients.push(anonymous);
    anonymous.middlewareStack.add(
      (next) => async (args) => {
        delete (args.request as { headers: Record<string, string> }).headers.authorization;
        return next(args);
      },
      { step: 'finalizeRequest', name: 'dropSignature', priority: 'low' },
    );

    // act / assert
    await expect(anonymous.send(new GetItemCommand({ TableName: AUDIT, Key: { incidentId: { S: 'x' }, seq: { N: '1' } } }))).rejects.toMatchObject({
      name: expect.stringMatching(/MissingAuthenticationToken|IncompleteSignature/),
    });
  });

  it('lets a request under way finish before dynalite closes, and refuses requests after, as a closed socket would', async () => {
    // arrange
    const own = await startDynalite();
    await createTables(own.endpoint);
    const handler = own.inProcessHandler();
    let reached!: () => void;
    const reachedHandler = new Promise<void>((resolve) => (reached = resolve));
    const handle = handler.handle.bind(handler);
    handler.handle = (request) => {
      const answer = handle(request);
      reached();
      return answer;
    };
    const direct = new DynamoDBClient({ endpoint: own.endpoint, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, maxAttempts: 1, requestHandler: handler });
    clients.push(direct);

    // act: close while the PutItem is inside dynalite
    const underWay = direct.send(new PutItemCommand({ TableName: AUDIT, Item: { incidentId: { S: 'inc-closing' }, seq: { N: '1' } } }));
    await reachedHandler;
    const closed = own.close();
    const afterClose = direct.send(new GetItemCommand({ TableName: AUDIT, Key: { incidentId: { S: 'inc-closing' }, seq: { N: '1' } } }));

    // assert
    await expect(underWay).resolves.toMatchObject({ $metadata: { httpStatusCode: 200 } });
    await expect(afterClose).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await closed;
  });
});
