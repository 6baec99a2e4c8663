/** The EventBridge event `detail-type: "CloudWatch Alarm State Change"`, `source: "aws.cloudwatch"`. */
import * as z from 'zod';
import { alarmDetailSchema, detailFields } from './alarm-detail.js';
import { alarmArnParts, check, fail, isRegionCode, plainText } from './fields.js';
import type { AlarmTransition } from './types.js';

const eventBridgeSchema = z.object({
  source: z.literal('aws.cloudwatch'),
  'detail-type': z.literal('CloudWatch Alarm State Change'),
  account: plainText(64).optional(),
  region: plainText(64).optional(),
  resources: z.array(z.string()).optional(),
  detail: alarmDetailSchema,
});

export function parseEventBridgeEvent(event: unknown): AlarmTransition[] {
  const checked = check(eventBridgeSchema, event, []);
  if (!checked.ok) fail(checked.issues);
  const { data } = checked;
  const read = detailFields(data.detail, ['detail']);
  if (!read.ok) fail(read.issues);

  // The alarm's ARN is the event's resource; the alarm lives where the event was emitted.
  const alarmArn = data.resources?.find((resource) => alarmArnParts(resource).isAlarmArn);
  const arn = alarmArnParts(alarmArn);
  const accountId = data.account ?? arn.accountId;
  const alarmRegion = arn.region ?? (isRegionCode(data.region) ? data.region : undefined);
  return [
    {
      ...read.fields,
      ...(alarmArn !== undefined ? { alarmArn } : {}),
      ...(accountId !== undefined ? { accountId } : {}),
      ...(alarmRegion !== undefined ? { alarmRegion } : {}),
      delivery: 'eventbridge',
    },
  ];
}
