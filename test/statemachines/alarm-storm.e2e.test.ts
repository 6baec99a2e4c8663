import { describe, expect, it } from '@jest/globals';
import { verifyChain, verifyReceipts } from '../../src/domain/audit-chain.js';
import { outageAlarmChanges, shuffledStorm } from '../../src/local/alarm-storm.js';
import type { AlarmStateChange } from '../../src/local/aws/fake-cloudwatch.js';
import { regionFleetConfig } from '../../src/local/evacuation-config.js';
import type { AlarmTriggerResult } from '../../src/triggers/on-alarm.js';
import { DEFAULT_START } from '../../src/local/world.js';
import { invoke, withWorld } from '../support/world.js';

const APPS = 10;

/** Ten apps, one hosted zone each; `maxShareOfApps` is the blast-radius limit (1: all ten may fail over automatically). */
const tenApps = (maxShareOfApps = 1) => regionFleetConfig(APPS, { zones: APPS, maxShareOfApps });

describe('an alarm storm across ten apps', () => {
  it('turns 1,000 shuffled, duplicated, concurrent alarm events into exactly one execution per app, accounting for every other event', async () => {
    await withWorld(async (world) => {
      // arrange: per app, both primary alarms fire, the standby's alarm flaps, the primary's recovers; plus unknown alarms
      const events = shuffledStorm(outageAlarmChanges(world, APPS), 1000, 7);

      // act
      const results = (await Promise.all(events.map((event) => invoke('alarmTrigger', event)))) as AlarmTriggerResult[];
      const outcomes = await world.sfn.settle();

      // assert: ten executions, all succeeded
      expect(world.sfn.list()).toHaveLength(APPS);
      expect(outcomes.every((o) => o.status === 'SUCCEEDED')).toBe(true);
      const started = results.flatMap((r) => r.started);
      expect(started.filter((s) => !s.alreadyStarted)).toHaveLength(APPS);
      // every event is accounted for: the one that started its app's execution, a receipt in an
      // incident's trail (duplicate, collapsed, suppressed, ignored), or ignored before any incident
      // existed (only ever a recovery, a standby region's alarm or an alarm we do not know)
      const kinds = { started: 0, receipts: 0, ignoredBeforeAnyIncident: 0 };
      const receiptsExpected = new Map<string, number>();
      for (const r of results) {
        for (const s of r.started) {
          if (s.alreadyStarted) receiptsExpected.set(s.executionName, (receiptsExpected.get(s.executionName) ?? 0) + 1);
          else kinds.started += 1;
        }
        for (const i of r.ignored) {
          if (i.incidentId) receiptsExpected.set(i.incidentId, (receiptsExpected.get(i.incidentId) ?? 0) + 1);
          else {
            kinds.ignoredBeforeAnyIncident += 1;
            // (a standby's alarm is acted on by the eu-west-1 stack, so this eu-central-1 stack stands down)
            expect(i.reason).toMatch(/^(transition to OK|alarm not configured|eu-central-1 is not serving|the eu-west-1 stack acts on)/);
          }
        }
      }
      for (const execution of world.sfn.list()) {
        const trail = await world.auditTrail(execution.name);
        const receipts = await world.receipts(execution.name);
        expect(verifyChain(trail)).toEqual([]);
        expect(verifyReceipts(trail, receipts).breaks).toEqual([]);
        expect(receipts).toHaveLength(receiptsExpected.get(execution.name) ?? 0);
        kinds.receipts += receipts.length;
      }
      expect(kinds.started + kinds.receipts + kinds.ignoredBeforeAnyIncident).toBe(1000);
      const outcomesByKind = kinds;
      process.stdout.write(`alarm storm: 1000 events → ${JSON.stringify(outcomesByKind)}\n`);
    }, tenApps());
  }, 120_000);

  it('keeps the triggers of a storm that lasts minutes off Route 53\'s request budget: the failovers it started have all of it', async () => {
    await withWorld(async (world) => {
      // arrange: the outage's alarms keep arriving, a wave every 200 ms of virtual time for two
      // minutes, longer than Preflight's retries of a throttled Route 53 last (about 90 s)
      const events = shuffledStorm(outageAlarmChanges(world, APPS), 1800, 11);
      const WAVE = 3;

      // act: each wave is delivered while time stands still, then the started failovers run
      // for 200 ms of virtual time before the next wave arrives
      for (let at = 0; at < events.length; at += WAVE) {
        await world.scheduler.run(async () => {
          await Promise.all(events.slice(at, at + WAVE).map((event) => invoke('alarmTrigger', event)));
          await world.scheduler.sleep(200);
        });
      }
      const stormEndedAt = world.clock.now();
      const outcomes = await world.sfn.settle();

      // assert: the storm outlasted the failovers' retries, and every failover it started succeeded, once
      expect(stormEndedAt.getTime() - Date.parse(DEFAULT_START)).toBeGreaterThanOrEqual(119_000);
      expect(outcomes.map((o) => `${o.status} ${o.error ?? ''}`.trim())).toEqual(Array(APPS).fill('SUCCEEDED'));
      expect(world.sfn.list()).toHaveLength(APPS);
      for (let app = 0; app < APPS; app += 1) expect(world.weights(`app${app}`)).toEqual({ [`app${app}-eu-west-1`]: 0, [`app${app}-eu-central-1`]: 100 });
      // the triggers asked CloudWatch (within its quota), at most once per health check per 10 s
      // in this container, and never Route 53: every Route 53 call came from a failover's step
      const healthChecks = new Set(world.config.apps.flatMap((app) => app.regions.map((region) => region.route53.healthCheckId)));
      const metricReads = world.cloudwatch.calls.filter((call) => call.operation === 'GetMetricData');
      expect(metricReads.length).toBeGreaterThan(0);
      expect(metricReads.length).toBeLessThanOrEqual(healthChecks.size * 13);
      expect(metricReads.filter((call) => call.error)).toEqual([]);
      expect(world.route53.calls.filter((call) => call.state === undefined)).toEqual([]);
      expect(new Set(world.route53.calls.map((call) => call.state))).toEqual(new Set(['Preflight', 'ShiftTraffic', 'AwaitTrafficSync', 'Verify']));
    }, tenApps());
  }, 120_000);

  it('fails over no more than the blast-radius share of the region\'s apps automatically; the rest are refused, audited and announced once each', async () => {
    await withWorld(async (world) => {
      // arrange: all ten apps lose eu-west-1 at once; the limit is half of them
      const changes: AlarmStateChange[] = [];
      for (let app = 0; app < APPS; app += 1) {
        changes.push(world.failRegion(`app${app}`, 'eu-west-1'));
        world.cloudwatch.transition('us-east-1', `app${app}-euw1-health`, 'ALARM', 'health check failing');
        changes.push(world.lastAlarmChange()!);
      }

      // act
      const results = (await Promise.all(shuffledStorm(changes, 240, 7).map((event) => invoke('alarmTrigger', event)))) as AlarmTriggerResult[];
      const outcomes = await world.sfn.settle();

      // assert: five executions, all succeeded; five apps held back, each refused once in its own trail
      expect(world.sfn.list()).toHaveLength(APPS / 2);
      expect(outcomes.every((o) => o.status === 'SUCCEEDED')).toBe(true);
      const moved = new Set(world.sfn.list().map((e) => (e.input as { app: string }).app));
      const refused = new Map<string, string>();
      for (const ignored of results.flatMap((r) => r.ignored)) {
        if (ignored.reason.startsWith('blast-radius limit')) refused.set(ignored.incidentId!, ignored.alarmName);
      }
      const refusedApps = new Set([...refused.values()].map((alarm) => alarm.split('-')[0]));
      expect(refusedApps.size).toBe(APPS / 2);
      for (const app of refusedApps) expect(moved.has(app!)).toBe(false);
      for (const incidentId of refused.keys()) {
        const trail = await world.auditTrail(incidentId);
        expect(trail.length).toBeLessThanOrEqual(1);
      }
      const refusalRecords = (await Promise.all([...refused.keys()].map((id) => world.auditTrail(id)))).flat();
      // one Refused record per refused app (its two alarms are two incidents: only the first recorded is kept per incident)
      expect(new Set(refusalRecords.map((r) => r.incidentId)).size).toBe(refusalRecords.length);
      expect(refusalRecords.every((r) => r.step === 'Trigger' && r.outcome === 'Refused' && /blast-radius limit: 5 of 10 apps in eu-west-1/.test(r.error ?? ''))).toBe(true);
      expect(new Set(refusalRecords.map((r) => r.incidentId.split('-')[1])).size).toBe(APPS / 2);
      for (const app of refusedApps) {
        expect(world.weights(app!)).toEqual({ [`${app}-eu-west-1`]: 100, [`${app}-eu-central-1`]: 0 });
      }
      const notices = world.slack.messages.filter((m) => /held back/.test(m.text));
      expect(notices).toHaveLength(refused.size);

      // an operator's request is the approval the limit waits for (and the refusal left no lock behind)
      const [held] = [...refusedApps];
      await invoke('manualTrigger', { actor: 'oncall', app: held, to: 'eu-central-1', from: 'eu-west-1', mode: 'failover', reason: 'whole region down, moving the rest' });
      const [manual] = await world.sfn.settle();
      expect(manual?.status).toBe('SUCCEEDED');
      expect(world.weights(held!)).toEqual({ [`${held}-eu-west-1`]: 0, [`${held}-eu-central-1`]: 100 });
    }, tenApps(0.5));
  }, 120_000);
});
