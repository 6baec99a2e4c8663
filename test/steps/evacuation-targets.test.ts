import { describe, expect, it } from '@jest/globals';
import { ThrottledError } from '../../src/domain/errors.js';
import { regionFleetConfig } from '../../src/local/evacuation-config.js';
import { evacuationRequest } from '../../src/domain/evacuation.js';
import type { AlarmState, Alarms } from '../../src/ports/alarms.js';
import type { AuditRecord } from '../../src/ports/audit.js';
import { carriedShift, expandShift } from '../../src/steps/evacuation-carried-shift.js';
import { observeTargets, OBSERVATION_TRUSTED_MS, recentObservation } from '../../src/steps/evacuation-targets.js';

const NOW = new Date('2026-03-14T09:01:00.000Z');
const header = { evacuationId: 'evac-fo-eu-west-1-0123456789', region: 'eu-west-1', mode: 'failover' as const, requestedAt: NOW.toISOString(), trigger: { kind: 'manual' as const, actor: 'test', reason: 'test' } };

function requestsFor(count: number) {
  const config = regionFleetConfig(count, { zones: 1 });
  return config.apps.map((app) => evacuationRequest(config, header, { app: app.name, incidentId: `${header.evacuationId}--${app.name}` }));
}

/** Alarms that exist in every region asked, all OK, with the requests recorded; `throttleFrom` fails that call and later ones. */
function recordingAlarms(throttleFrom = Infinity) {
  const requests: { region: string; names: number }[] = [];
  const alarms: Alarms = {
    states: async (region, names) => {
      requests.push({ region, names: names.length });
      if (requests.length >= throttleFrom) throw new ThrottledError('Rate exceeded');
      return names.map((name): AlarmState => ({ name, state: 'OK', reason: '' }));
    },
  };
  return { alarms, requests };
}

const healthy = { healthCheckStatuses: async (ids: readonly string[]) => new Map(ids.map((id) => [id, true])) };
const clock = { now: () => NOW };

describe('observing every moved app\'s target at once', () => {
  it('reads up to 100 alarm names a request and at most 9 requests a region (one second of DescribeAlarms)', async () => {
    // arrange: 1,000 apps, one alarm each in the target region and in us-east-1
    const { alarms, requests } = recordingAlarms();

    // act
    const observed = await observeTargets({ healthMetrics: healthy, alarms, clock }, requestsFor(1000));

    // assert: 900 names read per region; the last 100 apps' alarms are left to their own Verify
    expect(requests.filter((r) => r.region === 'us-east-1')).toHaveLength(9);
    expect(requests.every((r) => r.names === 100)).toBe(true);
    expect(observed.get('app0')).toEqual({ at: NOW.toISOString(), healthy: true, alarms: [expect.objectContaining({ state: 'OK' }), expect.objectContaining({ state: 'OK' })] });
    expect(observed.get('app999')).toEqual({ at: NOW.toISOString(), healthy: true });
  });

  it('keeps what was read before CloudWatch throttled, and leaves the rest to be read live', async () => {
    const { alarms } = recordingAlarms(2);

    const observed = await observeTargets({ healthMetrics: healthy, alarms, clock }, requestsFor(150));

    const withAlarms = [...observed.values()].filter((o) => o.alarms);
    expect(withAlarms.length).toBeLessThan(150);
    expect(observed.get('app149')).not.toHaveProperty('alarms');
  });
});

describe('the observation a Verify may use', () => {
  const record = (at: string, target: unknown): AuditRecord =>
    ({ incidentId: 'i', step: 'AwaitTrafficSync', actor: 'a', intent: 'i', outcome: 'Converged', after: { changeId: 'c', status: 'INSYNC', target }, at, seq: 1, prevHash: '', hash: '' }) as AuditRecord;

  it('is the trail\'s AwaitTrafficSync reading while it is at most two minutes old', () => {
    const target = { at: new Date(NOW.getTime() - OBSERVATION_TRUSTED_MS).toISOString(), healthy: true };
    expect(recentObservation([record(target.at, target)], NOW)).toEqual(target);
    const stale = { at: new Date(NOW.getTime() - OBSERVATION_TRUSTED_MS - 1).toISOString(), healthy: true };
    expect(recentObservation([record(stale.at, stale)], NOW)).toBeUndefined();
  });

  it('is nothing when the record carries no reading or a malformed one', () => {
    expect(recentObservation([record(NOW.toISOString(), undefined)], NOW)).toBeUndefined();
    expect(recentObservation([record(NOW.toISOString(), { at: NOW.toISOString(), alarms: [{ name: 'x', region: 'r', state: 'ON FIRE' }] })], NOW)).toBeUndefined();
  });
});

describe('the shift as the evacuation carries it', () => {
  it('names each record once and gives back ShiftTraffic\'s before and after', () => {
    const before = { 'payments-eu-west-1': 100, 'payments-eu-central-1': 0 };
    const after = { 'payments-eu-west-1': 0, 'payments-eu-central-1': 100 };

    const carried = carriedShift('/change/C1', before, after);

    expect(carried).toEqual({ changeId: '/change/C1', weights: { 'payments-eu-west-1': [100, 0], 'payments-eu-central-1': [0, 100] } });
    expect(expandShift(carried)).toEqual({ changeId: '/change/C1', before, after });
    expect(expandShift(carriedShift(null, { a: 1 }, { b: 2 }))).toEqual({ changeId: null, before: { a: 1 }, after: { b: 2 } });
  });
});
