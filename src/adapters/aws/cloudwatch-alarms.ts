import {
  DescribeAlarmsCommand,
  type CloudWatchClient,
  type CompositeAlarm,
  type MetricAlarm,
} from '@aws-sdk/client-cloudwatch';
import type { AlarmState, AlarmStateValue, Alarms } from '../../ports/alarms.js';
import { awsCall } from './errors.js';

/** Where the adapter gets the CloudWatch client of a region (the runtime makes one per region). */
export interface CloudWatchClientSource {
  cloudwatch(region: string): CloudWatchClient;
}

/** DescribeAlarms accepts at most 100 AlarmNames per call. */
const NAMES_PER_CALL = 100;

/** CloudWatch metric and composite alarm states (port `Alarms`). */
export class CloudWatchAlarms implements Alarms {
  constructor(private readonly clients: CloudWatchClientSource) {}

  /**
   * States of the named alarms, in the order asked; names CloudWatch does not know are left out.
   * Asks for both alarm types, since DescribeAlarms returns only metric alarms by default, in
   * chunks of 100 names, following NextToken within each chunk.
   */
  async states(region: string, names: string[]): Promise<AlarmState[]> {
    const unique = [...new Set(names)];
    const found = new Map<string, AlarmState>();
    for (let start = 0; start < unique.length; start += NAMES_PER_CALL) {
      const chunk = unique.slice(start, start + NAMES_PER_CALL);
      let nextToken: string | undefined;
      do {
        const page = await awsCall(`cloudwatch:DescribeAlarms ${region} (${chunk.length} names)`, () =>
          this.clients.cloudwatch(region).send(
            new DescribeAlarmsCommand({
              AlarmNames: chunk,
              AlarmTypes: ['MetricAlarm', 'CompositeAlarm'],
              MaxRecords: NAMES_PER_CALL,
              NextToken: nextToken,
            }),
          ),
        );
        for (const alarm of [...(page.MetricAlarms ?? []), ...(page.CompositeAlarms ?? [])]) {
          const state = toAlarmState(alarm);
          if (state) found.set(state.name, state);
        }
        nextToken = page.NextToken;
      } while (nextToken);
    }
    return unique.flatMap((name) => found.get(name) ?? []);
  }
}

function toAlarmState(alarm: MetricAlarm | CompositeAlarm): AlarmState | undefined {
  if (alarm.AlarmName === undefined || alarm.StateValue === undefined) return undefined;
  const state: AlarmState = { name: alarm.AlarmName, state: alarm.StateValue as AlarmStateValue, reason: alarm.StateReason ?? '' };
  if (alarm.StateUpdatedTimestamp !== undefined) state.updatedAt = alarm.StateUpdatedTimestamp;
  return state;
}
