import { describe, expect, it } from '@jest/globals';
import { eventBridgeAlarmEvent } from '../../src/local/alarm-event-builders.js';
import { dynamoDbLocks } from '../../src/runtime/wiring/dynamodb.js';
import type { AlarmTriggerResult } from '../../src/triggers/on-alarm.js';
import { invoke, withWorld } from '../support/world.js';

describe('admission while an incident holds the app', () => {
  it('lets the live lock decide an alarm: collapsed into the holder with one state read and one receipt, no blast-radius or lock write', async () => {
    await withWorld(async (world) => {
      // arrange: an operator's drill holds payments when its us-east-1 alarm fires (the acting stack is us-west-2)
      world.actIn('us-west-2');
      const drill = { incidentId: 'manual-payments-drill-1', executionName: 'manual-payments-drill-1' };
      await dynamoDbLocks().acquire('payments', drill, 600, world.clock.now());
      const event = eventBridgeAlarmEvent(world.failRegion('payments', 'us-east-1'), 'first');

      // act
      const before = world.dynamoCalls.length;
      const result = (await invoke('alarmTrigger', event)) as AlarmTriggerResult;
      const operations = world.dynamoCalls.slice(before).map((call) => call.operation);

      // assert
      expect(result).toEqual({ started: [], ignored: [{ alarmName: 'payments-use1-api-5xx', reason: expect.stringMatching(/^collapsed into incident manual-payments-drill-1, /), incidentId: drill.incidentId }] });
      expect(operations).toEqual(['BatchGetItem', 'PutItem']);
      expect(world.sfn.list()).toHaveLength(0);
      expect((await world.receipts(drill.incidentId)).map((record) => record.outcome)).toEqual(['Collapsed']);
      expect(await dynamoDbLocks().current('payments', world.clock.now())).toMatchObject({ incidentId: drill.incidentId });
    });
  });
});
