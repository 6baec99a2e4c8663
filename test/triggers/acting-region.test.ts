import { describe, expect, it } from '@jest/globals';
import { actingRegion } from '../../src/domain/acting-region.js';
import { InputValidationError } from '../../src/domain/errors.js';
import { eventBridgeAlarmEvent } from '../../src/local/alarm-event-builders.js';
import type { AlarmTriggerResult } from '../../src/triggers/on-alarm.js';
import { exampleConfig, invoke, withWorld } from '../support/world.js';

const checkout = exampleConfig().apps.find((app) => app.name === 'checkout')!;
const healthyExcept = (...unhealthy: string[]) => (region: string) => !unhealthy.includes(region);

describe('the acting region: the one stack that acts on a failing region', () => {
  it.each([
    ['the first other region when it is healthy', 'us-east-1', healthyExcept('us-east-1'), 'us-west-2'],
    ['the next one when the first other region is failing too', 'us-east-1', healthyExcept('us-east-1', 'us-west-2'), 'eu-west-1'],
    ['regions in priority order, skipping the failing one', 'us-west-2', healthyExcept('us-west-2'), 'us-east-1'],
    ['a candidate whose health check could not be read (counts as healthy)', 'us-east-1', (region: string) => (region === 'us-west-2' ? undefined : true), 'us-west-2'],
    ['the first other region when none is healthy (preflight then refuses, loudly)', 'us-east-1', () => false, 'us-west-2'],
  ])('is %s', (_what, failing, healthy, expected) => {
    expect(actingRegion(checkout, failing, healthy)?.region).toBe(expected);
  });

  it('ignores the alarm in every other stack, naming the region that acts, and starts it in that one', async () => {
    await withWorld(async (world) => {
      // arrange: checkout's primary and first standby fail at once
      world.failRegion('checkout', 'us-west-2');
      const event = eventBridgeAlarmEvent(world.failRegion('checkout', 'us-east-1'));

      // act: the alarm reaches the stacks of every other region of the app (and a misdirected one)
      const heard: Record<string, AlarmTriggerResult> = {};
      for (const region of ['us-east-1', 'us-west-2', 'eu-west-1']) {
        world.actIn(region);
        heard[region] = (await invoke('alarmTrigger', event)) as AlarmTriggerResult;
      }
      await world.sfn.settle();

      // assert
      for (const region of ['us-east-1', 'us-west-2']) {
        expect(heard[region]!.started).toEqual([]);
        expect(heard[region]!.ignored).toEqual([{ alarmName: 'checkout-use1-errors', reason: expect.stringMatching(new RegExp(`^the eu-west-1 stack acts on checkout failing in us-east-1, not this one \\(${region}\\): .*us-west-2 unhealthy`)) }]);
      }
      expect(heard['eu-west-1']!.started).toEqual([expect.objectContaining({ app: 'checkout', from: 'us-east-1', alreadyStarted: false })]);
      expect(world.sfn.list()).toHaveLength(1);
      expect(world.weights('checkout')).toEqual({ 'checkout-us-east-1': 0, 'checkout-us-west-2': 0, 'checkout-eu-west-1': 100 });
    });
  });

  it('lets a stack that is not the acting one write nothing: no lock, no receipt, no execution', async () => {
    await withWorld(async (world) => {
      world.actIn('eu-west-1');
      const result = (await invoke('alarmTrigger', eventBridgeAlarmEvent(world.failRegion('checkout', 'us-east-1')))) as AlarmTriggerResult;
      expect(result.ignored[0]!.reason).toMatch(/^the us-west-2 stack acts on checkout failing in us-east-1, not this one \(eu-west-1\)/);
      expect(world.sfn.list()).toHaveLength(0);
      world.actIn('us-west-2');
      const acted = (await invoke('alarmTrigger', eventBridgeAlarmEvent(world.lastAlarmChange()!))) as AlarmTriggerResult;
      expect(acted.started).toHaveLength(1);
      await world.sfn.settle();
      // the receipts of the incident: none from the stack that stood down
      expect(await world.receipts(acted.started[0]!.executionName)).toEqual([]);
    });
  });

  it('refuses a manual request sent to a stack outside its target region, naming the region to call', async () => {
    await withWorld(async (world) => {
      world.actIn('eu-west-1');
      const direct = invoke('manualTrigger', { actor: 'alice', app: 'catalog', to: 'eu-central-1', mode: 'drill', reason: 'quarterly drill' });
      await expect(direct).rejects.toThrow(InputValidationError);
      await expect(invoke('manualTrigger', { actor: 'alice', app: 'catalog', to: 'eu-central-1', mode: 'drill', reason: 'quarterly drill' })).rejects.toThrow(
        /to: this is the eu-west-1 stack; a manual request acts only in its target region: send it to the eu-central-1 stack/,
      );
      const api = (await invoke('manualTrigger', { body: JSON.stringify({ app: 'catalog', to: 'eu-central-1', mode: 'drill', reason: 'quarterly drill' }), requestContext: { identity: { userArn: 'arn:aws:iam::000000000000:user/alice' } } })) as { statusCode: number; body: string };
      expect(api.statusCode).toBe(400);
      expect(JSON.parse(api.body).issues[0].message).toContain('send it to the eu-central-1 stack');
      expect(world.sfn.list()).toHaveLength(0);
    });
  });
});
