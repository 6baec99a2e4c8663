import { describe, expect, it } from '@jest/globals';
import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { configureRuntime, decorated, SDK_CLIENT_OPTIONS, SDK_LOGGER_MIDDLEWARE } from '../../src/runtime/runtime-options.js';
import { dynamoDbClient } from '../../src/runtime/wiring/dynamodb.js';

/*
 * What every client the composition root makes goes through: the SDK's logger middleware off (it
 * filters every input and output for a no-op logger), then the runtime's decorate hook.
 */

const named = (client: { middlewareStack: { identify(): string[] } }) => client.middlewareStack.identify().map((entry) => entry.split(' ')[0]);

describe('decorated', () => {
  it('takes the SDK logger middleware off and hands the client to the decorate hook', () => {
    // arrange
    const seen: unknown[] = [];
    configureRuntime({ decorateAwsClient: (client) => seen.push(client) });
    const plain = new DynamoDBClient({ region: 'eu-west-1' });
    expect(named(plain)).toContain(SDK_LOGGER_MIDDLEWARE);

    // act
    const client = decorated(new DynamoDBClient({ region: 'eu-west-1' }));

    // assert
    expect(named(client)).not.toContain(SDK_LOGGER_MIDDLEWARE);
    expect(seen).toEqual([client]);
    configureRuntime({});
  });

  it('leaves a client that still calls and answers (here through a canned transport), with cached middleware', async () => {
    // arrange
    configureRuntime({});
    const requests: string[] = [];
    const client = decorated(
      new CloudWatchClient({
        ...SDK_CLIENT_OPTIONS,
        region: 'eu-west-1',
        credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
        requestHandler: {
          handle: async (request: { headers: Record<string, string>; path: string }) => {
            requests.push(request.headers['content-type'] ?? '');
            const body = Buffer.from(JSON.stringify({ MetricAlarms: [{ AlarmName: 'app-latency', StateValue: 'ALARM' }], CompositeAlarms: [] }));
            return { response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body } };
          },
        } as never,
      }),
    );

    // act
    const first = await client.send(new DescribeAlarmsCommand({ AlarmNames: ['app-latency'] }));
    const second = await client.send(new DescribeAlarmsCommand({ AlarmNames: ['app-latency'] }));

    // assert
    expect([first.MetricAlarms?.[0]?.StateValue, second.MetricAlarms?.[0]?.StateValue]).toEqual(['ALARM', 'ALARM']);
    expect(requests).toHaveLength(2);
  });

  it('makes the runtime’s one DynamoDB client with cached middleware too (no adapter needs the document client)', () => {
    configureRuntime({});
    const client = dynamoDbClient();
    expect(client.config.cacheMiddleware).toBe(true);
    expect(named(client)).not.toContain(SDK_LOGGER_MIDDLEWARE);
  });
});
