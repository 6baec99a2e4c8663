/**
 * Turns any of the three ways a CloudWatch alarm reaches a Lambda function into one value:
 * the EventBridge "CloudWatch Alarm State Change" event, the payload of a Lambda alarm action, and an
 * SNS event carrying the alarm notification. Pure: no SDK, no clock.
 */
import { describe, fail } from './alarm-event/fields.js';
import { parseEventBridgeEvent } from './alarm-event/eventbridge.js';
import { parseLambdaActionEvent } from './alarm-event/lambda-action.js';
import { parseSnsEvent } from './alarm-event/sns.js';
import type { AlarmTransition } from './alarm-event/types.js';

export type {
  ActionsSuppression,
  AlarmDelivery,
  AlarmKind,
  AlarmMetric,
  AlarmStateValue,
  AlarmTransition,
} from './alarm-event/types.js';

const EXPECTED_SHAPES =
  'an EventBridge "CloudWatch Alarm State Change" event (detail-type, detail), ' +
  'a Lambda alarm action payload (alarmData), or an SNS event (Records[].Sns.Message)';

/**
 * Reads a CloudWatch alarm state change, whichever way it was delivered. Every transition parses,
 * whatever its state: deciding which ones matter (usually `state === 'ALARM'`) is the caller's job.
 *
 * @returns one transition, or one per record of an SNS event, in record order.
 * @throws InputValidationError naming each bad field (`detail.state.value`, `Records[0].Sns.Message`),
 *   or the root when the event matches none of the three shapes.
 */
export function parseAlarmEvent(event: unknown): AlarmTransition[] {
  if (typeof event !== 'object' || event === null || Array.isArray(event)) {
    fail([{ path: '', message: `expected ${EXPECTED_SHAPES}; got ${describe(event)}` }]);
  }
  // Which shape is decided by its distinctive key, so a damaged event is reported against its own shape.
  if ('Records' in event) return parseSnsEvent(event);
  if ('detail-type' in event || 'detail' in event) return parseEventBridgeEvent(event);
  if ('alarmData' in event) return parseLambdaActionEvent(event);
  return fail([{ path: '', message: `matches none of the expected shapes: ${EXPECTED_SHAPES}` }]);
}
