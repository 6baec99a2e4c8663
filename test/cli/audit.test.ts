import { join } from 'node:path';
import { DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from '@jest/globals';
import { TABLES } from '../../src/adapters/aws/tables.js';
import { main } from '../../src/cli/main.js';
import { startDynalite } from '../../src/local/dynalite.js';

async function run(...args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await main(['node', 'lifeboat', ...args], (t) => void (stdout += t), (t) => void (stderr += t));
  return { code, stdout, stderr };
}

/** The embedded default keeps its tables in LIFEBOAT_STATE_DIR (`.lifeboat/` by default): test/setup-env.ts makes it a scratch folder. */
const stateDir = process.env.LIFEBOAT_STATE_DIR!;

describe('lifeboat audit on the embedded default', () => {
  let incidentId = '';

  it('finds the trail of an incident after `simulate` has exited, and verifies its chain', async () => {
    const simulated = await run('simulate', '--reset', '--json');
    incidentId = JSON.parse(simulated.stdout).incidentId;
    const { code, stdout } = await run('audit', incidentId, '--local', '--verify');
    expect(code).toBe(0);
    expect(stdout).toMatch(/#\s+1 .* AcquireLock\s+LockAcquired\s+alarm:payments-use1-api-5xx/);
    expect(stdout).toMatch(/ShiftTraffic\s+ChangeRequested/);
    expect(stdout).toMatch(/^chain intact: \d+ records, last hash [0-9a-f]{64}$/m);
  });

  it('starts the next simulation after the last one, as a new incident', async () => {
    const next = JSON.parse((await run('simulate', '--json')).stdout);
    expect(next.outcome).toBe('succeeded');
    expect(next.incidentId).not.toBe(incidentId);
  });

  it('names the record when the stored trail was edited, and exits 1', async () => {
    // arrange: edit record 3 behind Lifeboat's back
    const dynamo = await startDynalite({ path: join(stateDir, 'dynalite') });
    const client = new DynamoDBClient({ endpoint: dynamo.endpoint, region: 'local', credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    await client.send(
      new UpdateItemCommand({
        TableName: TABLES.audit.localName,
        Key: { incidentId: { S: incidentId }, seq: { N: '3' } },
        UpdateExpression: 'SET actor = :who',
        ExpressionAttributeValues: { ':who': { S: 'user:mallory' } },
      }),
    );
    client.destroy();
    await dynamo.close();

    // act
    const { code, stdout } = await run('audit', incidentId, '--local', '--verify');

    // assert
    expect(code).toBe(1);
    expect(stdout).toContain('chain broken: record 3: content does not match its hash (edited)');
    // main returns its exit code; setting process.exitCode would outlive the call and fail the test run
    // that hosts it (Jest leaves the exit code alone when every test passes).
    expect(process.exitCode).toBeUndefined();
  });

  it('answers in JSON for scripts', async () => {
    const { stdout } = await run('audit', incidentId, '--local', '--verify', '--json');
    expect(JSON.parse(stdout)).toMatchObject({ incidentId, intact: false, breaks: [{ seq: 3 }] });
  });
});

describe('lifeboat simulate --inject', () => {
  it('crashes the named step and still reaches the same result', async () => {
    const report = JSON.parse((await run('simulate', '--reset', '--inject', 'crash:ShiftTraffic:after', 'route53:Throttling:2', '--json')).stdout);
    expect(report).toMatchObject({ outcome: 'succeeded', sideEffects: { route53Changes: 1, slackMessages: 2 } });
  });

  it('rejects a fault it does not know with exit code 2', async () => {
    const { code, stderr } = await run('simulate', '--inject', 'meteor:strike');
    expect(code).toBe(2);
    expect(stderr).toMatch(/--inject: "meteor:strike": unknown kind of fault/);
  });
});
