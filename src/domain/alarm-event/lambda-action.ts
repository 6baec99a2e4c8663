/** The payload CloudWatch sends when an alarm action invokes a Lambda function directly. */
import * as z from 'zod';
import { alarmDetailSchema, detailFields } from './alarm-detail.js';
import { alarmArnParts, check, fail, isRegionCode, plainText } from './fields.js';
import type { AlarmTransition } from './types.js';

const lambdaActionSchema = z.object({
  source: z.literal('aws.cloudwatch'),
  alarmArn: plainText(1600).optional(),
  accountId: plainText(64).optional(),
  region: plainText(64).optional(),
  alarmData: alarmDetailSchema,
});

export function parseLambdaActionEvent(event: unknown): AlarmTransition[] {
  const checked = check(lambdaActionSchema, event, []);
  if (!checked.ok) fail(checked.issues);
  const { data } = checked;
  const read = detailFields(data.alarmData, ['alarmData']);
  if (!read.ok) fail(read.issues);

  const arn = alarmArnParts(data.alarmArn);
  const accountId = data.accountId ?? arn.accountId;
  const alarmRegion = arn.region ?? (isRegionCode(data.region) ? data.region : undefined);
  return [
    {
      ...read.fields,
      ...(data.alarmArn !== undefined ? { alarmArn: data.alarmArn } : {}),
      ...(accountId !== undefined ? { accountId } : {}),
      ...(alarmRegion !== undefined ? { alarmRegion } : {}),
      delivery: 'lambda-action',
    },
  ];
}
