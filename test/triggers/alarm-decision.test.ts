import { describe, expect, it } from '@jest/globals';
import { decideOnAlarm, indexAlarms } from '../../src/domain/alarm-decision.js';
import type { AlarmTransition } from '../../src/domain/alarm-event.js';
import { exampleConfig } from '../support/world.js';

const now = new Date('2026-03-14T09:00:05Z');
const transition = (overrides: Partial<AlarmTransition>): AlarmTransition => ({
  alarmName: 'payments-use1-api-5xx',
  alarmRegion: 'us-east-1',
  state: 'ALARM',
  previousState: 'OK',
  stateChangeTime: '2026-03-14T09:00:00.000Z',
  reason: 'Threshold Crossed',
  kind: 'metric',
  delivery: 'eventbridge',
  ...overrides,
});

describe('deciding what an alarm transition means', () => {
  const config = exampleConfig();
  const index = indexAlarms(config);

  it('fails over the app and region the configuration maps the alarm to, to the next region in priority order', () => {
    const decision = decideOnAlarm(index, transition({}), now);
    expect(decision).toMatchObject({ action: 'start', request: { app: 'payments', from: { name: 'us-east-1' }, to: { name: 'us-west-2' }, mode: 'failover' } });
  });

  it('takes the failing region from the configuration, not from where a Route 53 health-check alarm lives', () => {
    const decision = decideOnAlarm(index, transition({ alarmName: 'catalog-euw1-health', alarmRegion: 'us-east-1', metric: { namespace: 'AWS/Route53', name: 'HealthCheckStatus' } }), now);
    expect(decision).toMatchObject({ action: 'start', request: { app: 'catalog', from: { name: 'eu-west-1' }, to: { name: 'eu-central-1' } } });
  });

  it.each([
    ['a transition to OK', { state: 'OK' as const }, 'transition to OK, not ALARM'],
    ['INSUFFICIENT_DATA', { state: 'INSUFFICIENT_DATA' as const }, 'transition to INSUFFICIENT_DATA, not ALARM'],
    ['ALARM to ALARM', { previousState: 'ALARM' as const }, 'already in ALARM (no new transition)'],
    ['an unknown alarm', { alarmName: 'not-ours' }, 'alarm not configured in us-east-1'],
    ['a configured name in another region', { alarmRegion: 'ap-south-1' }, 'alarm not configured in ap-south-1'],
    ['a suppressed transition', { actionsSuppressed: { cause: 'actions-suppressor' as const, detail: 'WaitPeriod' } }, 'actions suppressed by actions-suppressor WaitPeriod'],
  ])('ignores %s, with the reason', (_what, overrides, reason) => {
    const alarmName = (overrides as Partial<AlarmTransition>).alarmName ?? 'payments-use1-api-5xx';
    expect(decideOnAlarm(index, transition(overrides), now)).toEqual({ action: 'ignore', alarmName, reason, ...(alarmName === 'not-ours' ? {} : { app: 'payments' }) });
  });

  it('ignores alarms of an app whose automatic failover is off', () => {
    const manualOnly = exampleConfig((c) => (c.apps[0]!.policy.automaticFailover = false));
    expect(decideOnAlarm(indexAlarms(manualOnly), transition({}), now)).toMatchObject({ action: 'ignore', reason: expect.stringMatching(/automatic failover is off for payments/) });
  });

  it('gives a duplicate delivery of the same transition the same execution name', () => {
    const a = decideOnAlarm(index, transition({ delivery: 'sns' }), now);
    const b = decideOnAlarm(index, transition({ delivery: 'eventbridge' }), new Date('2026-03-14T09:00:09Z'));
    expect(a.action === 'start' && b.action === 'start' && a.request.executionName === b.request.executionName).toBe(true);
  });
});
