import { eventBridgeAlarmEvent, lambdaActionAlarmEvent, snsAlarmEvent } from './alarm-event-builders.js';
import type { AlarmStateChange } from './aws/fake-cloudwatch.js';
import type { SimulatedWorld } from './world.js';

/**
 * The alarm changes of an eu-west-1 outage over apps `app0`…`app{apps-1}` of a
 * `regionFleetConfig` fleet (primary eu-west-1, standby eu-central-1), in the world's CloudWatch:
 * per app both primary alarms fire, the standby's latency alarm flaps (ALARM as the failover's load
 * arrives, then OK), plus an alarm nobody configured. For the alarm-storm test and benchmark.
 */
export function outageAlarmChanges(world: SimulatedWorld, apps: number): AlarmStateChange[] {
  const changes: AlarmStateChange[] = [];
  for (let app = 0; app < apps; app += 1) {
    const first = world.failRegion(`app${app}`, 'eu-west-1');
    changes.push(first);
    world.cloudwatch.transition('us-east-1', `app${app}-euw1-health`, 'ALARM', 'health check failing');
    changes.push(world.lastAlarmChange()!);
    world.cloudwatch.transition('eu-central-1', `app${app}-euc1-latency-p99`, 'ALARM', 'load from the failover');
    changes.push(world.lastAlarmChange()!);
    world.cloudwatch.transition('eu-central-1', `app${app}-euc1-latency-p99`, 'OK', 'settled');
    changes.push(world.lastAlarmChange()!);
    changes.push({ ...first, alarmName: `someone-elses-alarm-${app}`, alarmArn: `${first.alarmArn}-x${app}` });
  }
  return changes;
}

/**
 * Every change in all three delivery shapes (EventBridge, SNS, Lambda alarm action), repeated to
 * `count` events and shuffled by a seeded generator, so a storm is the same on every run.
 */
export function shuffledStorm(changes: readonly AlarmStateChange[], count: number, seed: number): unknown[] {
  const distinct = changes.flatMap((change, i) => [eventBridgeAlarmEvent(change, `id-${i}`), snsAlarmEvent(change), lambdaActionAlarmEvent(change)]);
  const events = Array.from({ length: count }, (_, i) => distinct[i % distinct.length]!);
  const random = seeded(seed);
  for (let i = events.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [events[i], events[j]] = [events[j]!, events[i]!];
  }
  return events;
}

/** A small linear congruential generator: deterministic, which is all a shuffle for tests needs. */
function seeded(seed: number): () => number {
  return () => ((seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31);
}
