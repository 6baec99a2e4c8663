import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import type { AlarmTriggerResult } from '../../src/triggers/on-alarm.js';

// Every log line, as in production at its most verbose: the logger reads its level when it is made,
// and every invocation resets it to that level, so it is set before the handlers are loaded.
process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
const { TABLES } = await import('../../src/adapters/aws/tables.js');
const { eventBridgeAlarmEvent } = await import('../../src/local/alarm-event-builders.js');
const { invoke, withWorld } = await import('../support/world.js');

/*
 * Secrets (the Slack webhook URL, the Slack signing secret) live in Secrets Manager or SSM and are
 * read at run time. This runs a whole failover, with some Slack posts failing (an HTTP error and a
 * dropped connection, whose client errors carry the request URL), and looks for the recognisable
 * values everywhere the system writes: every log line (Powertools Logger at DEBUG, and anything
 * else written to stdout/stderr or the console), every audit record and receipt, every item of
 * every table, the executions' inputs and outputs, and the Slack messages themselves. The webhook
 * URL may appear in one place only: as the target of the requests the Slack sink received.
 */

const WEBHOOK_TOKEN = 'B0LIFEBOAT/recognisable-webhook-secret-5c1e9a';
const SIGNING_SECRET = 'recognisable-signing-secret-8f3a2c7d';

let captured: string[] = [];
const restore: (() => void)[] = [];

beforeEach(() => {
  captured = [];
  const capture = (chunk: unknown) => captured.push(typeof chunk === 'string' ? chunk : Buffer.isBuffer(chunk) ? chunk.toString('utf8') : JSON.stringify(chunk));
  for (const stream of [process.stdout, process.stderr]) {
    const spy = jest.spyOn(stream, 'write').mockImplementation((chunk: unknown) => (capture(chunk), true));
    restore.push(() => spy.mockRestore());
  }
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    const spy = jest.spyOn(console, method).mockImplementation((...args: unknown[]) => capture(args.map(String).join(' ')));
    restore.push(() => spy.mockRestore());
  }
});

afterEach(() => {
  while (restore.length) restore.pop()!();
});

async function everyTableItem(): Promise<string[]> {
  const client = new DynamoDBClient({ endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB, region: 'local', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } });
  try {
    const items: string[] = [];
    for (const table of Object.values(TABLES)) items.push(...((await client.send(new ScanCommand({ TableName: table.localName }))).Items ?? []).map((item) => JSON.stringify(item)));
    return items;
  } finally {
    client.destroy();
  }
}

describe('secrets', () => {
  it('never reach logs, audit records, tables, executions or messages: the webhook URL is only ever the target of the Slack requests', async () => {
    await withWorld(async (world) => {
      // arrange: recognisable secrets in every region's Secrets Manager (payments) and SSM
      const webhookPath = `/services/T0LIFEBOAT/${WEBHOOK_TOKEN}`;
      const webhookUrl = world.slack.webhookUrl(webhookPath);
      for (const region of world.regions) {
        world.secretsManager.addSecret(region, 'lifeboat/slack/payments-webhook', webhookUrl);
        world.secretsManager.addSecret(region, 'lifeboat/slack/payments-signing-secret', SIGNING_SECRET);
        world.ssm.putParameter(region, '/lifeboat/slack/payments-signing-secret', SIGNING_SECRET, 'SecureString');
      }
      // the first post fails with an HTTP error, the second with a dropped connection
      world.slack.failNext(503);
      world.slack.failNext('hangup');

      // act
      const started = (await invoke('alarmTrigger', eventBridgeAlarmEvent(world.failRegion('payments', 'us-east-1')))) as AlarmTriggerResult;
      const [outcome] = await world.sfn.settle();
      const incidentId = started.started[0]!.executionName;

      // assert: the run did what it should, through the failures
      expect(outcome?.status).toBe('SUCCEEDED');
      expect(world.slack.failed).toBe(2);
      const trail = await world.auditTrail(incidentId);
      expect(trail.filter((r) => r.step === 'Notify' && r.outcome === 'Failed').map((r) => r.error)).toEqual([
        expect.stringContaining('Slack answered HTTP 503'),
        expect.stringContaining('Slack unreachable'),
      ]);
      expect(captured.filter((line) => line.includes('"step":"Notify"')).length).toBeGreaterThan(0); // the logs were captured

      // assert: no secret value anywhere the system writes
      const written = {
        logs: captured,
        audit: [...trail, ...(await world.receipts(incidentId))].map((r) => JSON.stringify(r)),
        tables: await everyTableItem(),
        executions: world.sfn.list().map((e) => JSON.stringify(e)),
        slackMessages: world.slack.messages.map((m) => JSON.stringify({ text: m.text, blocks: m.blocks })),
      };
      for (const [where, texts] of Object.entries(written)) {
        for (const secret of [WEBHOOK_TOKEN, 'recognisable-webhook-secret', SIGNING_SECRET, webhookUrl]) {
          expect({ where, leaks: texts.filter((text) => text.includes(secret)) }).toEqual({ where, leaks: [] });
        }
      }
      // the URL only as the request target of the sink
      expect(world.slack.messages.length).toBeGreaterThan(0);
      expect(world.slack.messages.every((m) => m.path === webhookPath)).toBe(true);
    });
  });
});
