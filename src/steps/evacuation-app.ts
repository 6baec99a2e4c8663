import * as z from 'zod';
import type { LifeboatConfig } from '../domain/config.js';
import { InputValidationError } from '../domain/errors.js';
import { evacuationHeaderSchema, evacuationItemSchema, evacuationRequest } from '../domain/evacuation.js';
import type { FailoverRequest } from '../domain/failover-request.js';
import { parseWith } from '../domain/validation.js';
import type { Alarms } from '../ports/alarms.js';
import type { Dns, HealthChecks } from '../ports/dns.js';
import type { StepDeps } from './deps.js';
import { expandShift } from './evacuation-carried-shift.js';
import { asObservations, type HealthSnapshot } from './evacuation-observe.js';
import type { AppSnapshot } from './evacuation-snapshot.js';
import { recentObservation, type TargetObservation } from './evacuation-targets.js';
import { preflight, type PreflightResult } from './preflight.js';
import { verify, type VerifyResult } from './verify.js';

const healthSnapshotSchema = z.object({
  healthy: z.boolean(),
  source: z.enum(['cloudwatch', 'route53']),
  healthyCheckers: z.number().int().min(0).optional(),
  totalCheckers: z.number().int().min(0).optional(),
});

const snapshotSchema = z.object({
  weights: z.record(z.string(), z.number().int().min(0).max(255)),
  health: z.record(z.string(), healthSnapshotSchema),
  observedAt: z.string(),
});

const weightSchema = z.number().int().min(0).max(255).nullable();
const carriedShiftSchema = z.object({ changeId: z.string().nullable(), weights: z.record(z.string(), z.tuple([weightSchema, weightSchema])) });
type Shift = ReturnType<typeof expandShift>;
const errorSchema = z.object({ Error: z.string(), Cause: z.string() });

const resolveInputSchema = z.object({
  evacuation: evacuationHeaderSchema,
  item: evacuationItemSchema.extend({ snapshot: snapshotSchema.optional(), shift: carriedShiftSchema.optional(), shiftError: errorSchema.optional() }),
});

export type ResolveInput = z.output<typeof resolveInputSchema>;

/** What one app's steps run on inside an evacuation: its failover request, plus what the evacuation observed or did for it. */
export type EvacuationAppState = FailoverRequest & {
  evacuationId: string;
  snapshot?: AppSnapshot;
  shift?: Shift;
  error?: z.output<typeof errorSchema>;
};

export function parseResolveInput(event: unknown): ResolveInput {
  const result = parseWith(resolveInputSchema, event);
  if (!result.ok) throw new InputValidationError(result.issues, 'evacuation item');
  return result.value;
}

/**
 * One app of an evacuation as a failover request the single-app steps take unchanged, resolved
 * from the configuration by name (see src/domain/evacuation.ts for why not carried), with the
 * evacuation's snapshot (Prepare) or its shift (Finish). A refused shift becomes the `error` the
 * failure path notifies.
 */
export function resolveEvacuationApp(config: LifeboatConfig, input: ResolveInput): EvacuationAppState {
  const request = evacuationRequest(config, input.evacuation, input.item);
  const { snapshot, shift, shiftError } = input.item;
  return {
    ...request,
    evacuationId: input.evacuation.evacuationId,
    ...(snapshot ? { snapshot } : {}),
    ...(shift ? { shift: expandShift(shift) } : {}),
    ...(shiftError ? { error: shiftError } : {}),
    // Finish with neither: the evacuation's shift stopped before this app (its traffic may or may not have moved).
    ...(input.item.prepared === true && !snapshot && !shift && !shiftError ? { error: { Error: 'NotShifted', Cause: `the evacuation's shift did not complete for ${request.app}` } } : {}),
  };
}

export function parseSnapshotPreflightInput(event: unknown): { request: unknown; snapshot: AppSnapshot } {
  const result = parseWith(z.object({ snapshot: snapshotSchema }), event);
  if (!result.ok) throw new InputValidationError(result.issues, 'evacuation preflight input');
  return { request: event, snapshot: result.value.snapshot };
}

/**
 * The single-app preflight, unchanged, reading Route 53 from the evacuation's snapshot instead of
 * asking it again (two requests per app would be 200 s of Route 53's rate for 500 apps). Every
 * other check (cluster, node groups, backups) is the app's own, live. A health check the snapshot
 * does not have falls back to the live port.
 */
export async function preflightFromSnapshot(deps: StepDeps, request: FailoverRequest, snapshot: AppSnapshot): Promise<PreflightResult> {
  const fromSnapshot: Dns = {
    readWeightedRecords: async (_zone, name, type) => Object.entries(snapshot.weights).map(([setIdentifier, weight]) => ({ name, type, setIdentifier, weight })),
    upsertRecords: () => Promise.reject(new Error('preflight never changes Route 53')),
    changeStatus: () => Promise.reject(new Error('preflight never waits on Route 53')),
    listWeightedRecordsPage: () => Promise.reject(new Error('preflight reads the evacuation snapshot')),
  };
  return preflight({ ...deps, dns: fromSnapshot, healthChecks: observedFirst(deps.healthChecks, snapshot.health) }, request);
}

/**
 * The single-app verification, unchanged, with the target as AwaitSyncAll saw it for every moved
 * app at once (health check and alarms, in this app's trail) where that reading is recent and
 * passes: a Map of hundreds of apps verifying in the same second would otherwise send hundreds of
 * DescribeAlarms and GetMetricData, far over CloudWatch's 9 and 50 a second, and an app whose
 * verification runs out of retries has its traffic moved back. What the reading lacks or found
 * failing is read live, so the grace period's retries see a recovery.
 */
export async function verifyFromEvacuation(deps: StepDeps, request: FailoverRequest): Promise<VerifyResult> {
  const observation = recentObservation(await deps.audit.read(request.incidentId), deps.clock.now());
  const healthy = observation?.healthy === true ? { [request.to.route53.healthCheckId]: { healthy: true, source: 'cloudwatch' as const } } : {};
  const quiet = observation?.alarms?.every((alarm) => alarm.state !== 'ALARM') ? observation.alarms : undefined;
  return verify({ ...deps, healthChecks: observedFirst(deps.healthChecks, healthy), alarms: quiet ? observedAlarms(deps.alarms, quiet) : deps.alarms }, request);
}

/** An Alarms port that answers from states the evacuation already read, and asks `live` for names it does not have. */
function observedAlarms(live: Alarms, observed: NonNullable<TargetObservation['alarms']>): Alarms {
  return {
    states: async (region, names) => {
      const known = new Map(observed.filter((alarm) => alarm.region === region).map((alarm) => [alarm.name, alarm]));
      const unknown = names.filter((name) => !known.has(name));
      const fresh = unknown.length ? await live.states(region, unknown) : [];
      const seen = new Map(fresh.map((state) => [state.name, state]));
      return names.flatMap((name) => {
        const alarm = known.get(name);
        return alarm ? [{ name, state: alarm.state, reason: 'as read by the evacuation after its change was INSYNC' }] : (seen.get(name) ?? []);
      });
    },
  };
}

/** A HealthChecks port that answers from verdicts the evacuation already observed, and asks `live` for the rest. */
function observedFirst(live: HealthChecks, observed: Readonly<Record<string, HealthSnapshot>>): HealthChecks {
  return {
    observe: (id: string) => {
      const verdict = observed[id];
      return verdict ? Promise.resolve(asObservations(verdict)) : live.observe(id);
    },
  };
}
