import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { parseConfig } from '../../src/domain/config-yaml.js';
import { buildFailoverRequest } from '../../src/domain/failover-request.js';
import { buildSlackMessage, describeError } from '../../src/domain/slack-message.js';

const app = parseConfig(readFileSync('lifeboat.config.yaml', 'utf8')).apps[0]!;
const request = buildFailoverRequest({
  app,
  from: app.regions[0]!,
  to: app.regions[1]!,
  mode: 'failover',
  executionName: 'alarm-x-20260101T000000Z-0123456789',
  requestedAt: new Date('2026-01-01T00:00:00Z'),
  trigger: { kind: 'alarm', alarmName: 'payments-use1-api-5xx <!channel>', stateChangeTime: '2026-01-01T00:00:00.000Z', reason: 'threshold crossed', delivery: 'eventbridge' },
});

describe('the Slack message', () => {
  it('says what failed over where, why, and how long it took', () => {
    const message = buildSlackMessage('succeeded', { ...request, shift: { changeId: 'C1', before: { 'payments-us-east-1': 100, 'payments-us-west-2': 0 }, after: { 'payments-us-east-1': 0, 'payments-us-west-2': 100 } } }, new Date('2026-01-01T00:05:30Z'));
    expect(message.text).toBe(':white_check_mark: Failover succeeded: payments us-east-1 → us-west-2 (5m 30s)');
    const body = JSON.stringify(message.blocks);
    expect(body).toContain('payments-us-west-2 0→100');
    expect(body).toContain('alarm-x-20260101T000000Z-0123456789');
  });

  it('escapes mrkdwn control characters so an alarm name cannot ping the channel', () => {
    const body = JSON.stringify(buildSlackMessage('started', request, new Date('2026-01-01T00:00:01Z')).blocks);
    expect(body).not.toContain('<!channel>');
    expect(body).toContain('&lt;!channel&gt;');
  });

  it('reports the error of a failed run and that traffic did not move', () => {
    const cause = JSON.stringify({ errorType: 'PreflightRefusedError', errorMessage: 'preflight refused the failover: backup too old' });
    const message = buildSlackMessage('failed', { ...request, error: { Error: 'PreflightRefusedError', Cause: cause } }, new Date('2026-01-01T00:00:10Z'));
    const body = JSON.stringify(message.blocks);
    expect(body).toContain('PreflightRefusedError: preflight refused the failover: backup too old');
    expect(body).toContain('Traffic was not moved.');
  });

  it('keeps a plain-text cause as it is', () => {
    expect(describeError({ Error: 'States.Timeout', Cause: 'timed out' })).toBe('States.Timeout: timed out');
  });
});
