import type { AppConfig } from '../domain/config.js';
import { InputValidationError } from '../domain/errors.js';
import type { SimulationOutcome } from './simulate.js';

/*
 * The named situations `lifeboat simulate --scenario NAME` plays out in the embedded runtime. Each
 * states the safe end state it must reach; its test asserts exactly that, and the CLI prints it.
 */

export interface ScenarioSpec {
  /** What goes wrong. */
  what: string;
  /** The documented safe end state. */
  safeState: string;
  /** The outcome `--json` reports when the safe end state is reached. */
  outcome: SimulationOutcome;
  /** The app the scenario needs, when it has requirements (three regions). */
  needs?: { regions: number };
}

export const SCENARIO_SPECS = {
  'region-outage': {
    what: "the app's primary region fails: its health check, alarm, EKS, CloudWatch and Kubernetes APIs",
    safeState: 'traffic on the first standby that passes preflight, promoted, restored and verified',
    outcome: 'succeeded',
  },
  'target-degrades': {
    what: "the standby's own alarm fires right after traffic moved to it",
    safeState: 'weights back to the last good state from the audit trail; the promoted cluster left up; loud notification',
    outcome: 'compensated',
  },
  'primary-recovers': {
    what: 'mid-failover the primary flaps: its alarm returns to OK, then to ALARM again, and its health check recovers',
    safeState: 'the failover that started completes once (no second execution, no move back); each flap is recorded in its trail',
    outcome: 'succeeded',
  },
  'slack-down': {
    what: 'the Slack webhook answers 503 for the whole run',
    safeState: 'the failover completes; every notification is retried, then reported as undelivered in the audit trail',
    outcome: 'succeeded',
  },
  'dynamodb-throttled': {
    what: 'DynamoDB throttles the workflow in two bursts of four calls: as it takes the lock, and right after traffic moved (locks, audit trail)',
    safeState: 'the failover completes once, with an intact audit chain: each throttled step is retried by the state machine',
    outcome: 'succeeded',
  },
  'two-regions-fail': {
    what: 'the primary and the first standby of a three-region app fail at once',
    safeState: 'preflight passes over the failing standby; traffic on the third region; the standby\'s alarm starts nothing',
    outcome: 'succeeded',
    needs: { regions: 3 },
  },
  'stale-backup': {
    what: "Velero stopped backing up: every standby's newest Completed backup is older than the RPO limit",
    safeState: 'refused before any change (nothing promoted, restored or moved); loud notification naming the backup and its age',
    outcome: 'refused',
  },
  'all-regions-fail': {
    what: 'every region of the app fails at once',
    safeState: 'nothing moves (no region can take over); loud notification naming each region\'s reasons',
    outcome: 'refused',
    needs: { regions: 3 },
  },
} as const satisfies Record<string, ScenarioSpec>;

export type Scenario = keyof typeof SCENARIO_SPECS;
export const SCENARIOS = Object.keys(SCENARIO_SPECS) as Scenario[];

/** The app a scenario plays on: the one named, else the first app that meets its needs. */
export function scenarioApp(scenario: Scenario, apps: readonly AppConfig[], named?: string): AppConfig {
  const spec: ScenarioSpec = SCENARIO_SPECS[scenario];
  const regions = spec.needs?.regions ?? 2;
  if (named !== undefined) {
    const app = apps.find((a) => a.name === named);
    if (!app) throw new InputValidationError([{ path: '--app', message: `unknown app ${JSON.stringify(named)} (known: ${apps.map((a) => a.name).join(', ')})` }], 'arguments');
    if (app.regions.length < regions) throw new InputValidationError([{ path: '--app', message: `scenario ${scenario} needs an app with at least ${regions} regions; ${named} has ${app.regions.length}` }], 'arguments');
    return app;
  }
  const app = apps.find((a) => a.regions.length >= regions);
  if (!app) throw new InputValidationError([{ path: '--scenario', message: `${scenario} needs an app with at least ${regions} regions; none in the configuration has` }], 'arguments');
  return app;
}
