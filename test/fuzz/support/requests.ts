/** Valid failover requests, built as the triggers build them, from the example configuration. */
import fc from 'fast-check';
import { parseConfig } from '../../../src/domain/config-yaml.js';
import { buildFailoverRequest, type FailoverRequest, type Trigger } from '../../../src/domain/failover-request.js';
import { EXAMPLE_TEXT } from './config-contract.js';

export const config = parseConfig(EXAMPLE_TEXT);

/** The request a trigger builds for a payments failover us-east-1 → us-west-2 (as test/steps/steps.test.ts does). */
export function paymentsRequest(): FailoverRequest {
  const app = config.apps[0]!;
  return buildFailoverRequest({
    app,
    from: app.regions[0]!,
    to: app.regions[1]!,
    mode: 'failover',
    executionName: 'alarm-payments-use1-api-5xx-20260101T000000Z-0123456789',
    requestedAt: new Date('2026-01-01T00:00:00Z'),
    trigger: { kind: 'alarm', alarmName: 'payments-use1-api-5xx', alarmRegion: 'us-east-1', stateChangeTime: '2026-01-01T00:00:00.000Z', reason: 'Threshold Crossed', delivery: 'eventbridge' },
  });
}

/** A fresh JSON copy, as Step Functions hands a Task its input. */
export const asDelivered = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

const trigger: fc.Arbitrary<Trigger> = fc.oneof(
  fc.record(
    {
      kind: fc.constant('alarm' as const),
      alarmName: fc.string({ unit: 'binary', minLength: 1, maxLength: 255 }).filter((s) => s.length <= 255),
      alarmRegion: fc.string({ maxLength: 32 }),
      stateChangeTime: fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString()),
      reason: fc.string({ unit: 'binary', maxLength: 1024 }).filter((s) => s.length <= 1024),
      delivery: fc.constantFrom('eventbridge', 'lambda-action', 'sns'),
    },
    { requiredKeys: ['kind', 'alarmName', 'stateChangeTime', 'reason', 'delivery'] },
  ),
  fc.record({
    kind: fc.constant('manual' as const),
    actor: fc.string({ unit: 'binary', minLength: 1, maxLength: 256 }).filter((s) => s.length <= 256),
    reason: fc.string({ unit: 'binary', minLength: 1, maxLength: 1024 }).filter((s) => s.length >= 1 && s.length <= 1024),
  }),
);

const pairs = config.apps.flatMap((app) => app.regions.flatMap((from) => app.regions.filter((to) => to.name !== from.name).map((to) => ({ app, from, to }))));

/** Any request the triggers could build from the example configuration. */
export const validRequest: fc.Arbitrary<FailoverRequest> = fc
  .record({
    pair: fc.constantFrom(...pairs),
    mode: fc.constantFrom('failover' as const, 'drill' as const),
    executionName: fc.stringMatching(/^[A-Za-z0-9_-]{1,80}$/),
    requestedAt: fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }),
    trigger,
  })
  .map(({ pair, mode, executionName, requestedAt, trigger }) => asDelivered(buildFailoverRequest({ ...pair, mode, executionName, requestedAt, trigger })));
