import * as z from 'zod';
import type { AppConfig, LifeboatConfig, RegionConfig } from './config.js';
import { InputValidationError } from './errors.js';
import { buildFailoverRequest, targetCandidates, triggerSchema, type FailoverRequest } from './failover-request.js';
import { shortHash } from './names.js';
import { parseWith } from './validation.js';

/*
 * A region evacuation: one incident for "region R is failing" (or a drill of it), fanning out to
 * every app whose traffic is in R. The execution carries names, not configuration: Step Functions
 * caps a state's input and output at 256 KiB, and 500 resolved failover requests are several MB,
 * so each per-app step resolves its request from the configuration by name, deterministically.
 */

/**
 * Apps prepared at once (the Prepare and Finish Map states' MaxConcurrency), unless the request says
 * otherwise. Every app of a region at once: the last app's recovery time is then one app's (the
 * 10% target of issue 6); a smaller number makes apps wait for whole rounds of promotion (with 50,
 * the 500th app waits for ten). The limits that remain are the account's (Lambda concurrency, the
 * EKS and CloudWatch request rates), which the per-app steps' Retry on ThrottledError absorbs.
 */
export const DEFAULT_EVACUATION_CONCURRENCY = 1000;

/** Who asked, for what, when: what every per-app request of the evacuation is built from. */
export const evacuationHeaderSchema = z.object({
  evacuationId: z.string().regex(/^[A-Za-z0-9_-]{1,38}$/),
  region: z.string().min(1).max(32),
  mode: z.enum(['failover', 'drill']),
  requestedAt: z.iso.datetime({ offset: true }),
  trigger: triggerSchema,
});

export type EvacuationHeader = z.output<typeof evacuationHeaderSchema>;

/** One app of an evacuation, as the state machine carries it between stages (small on purpose). */
export const evacuationItemSchema = z.object({
  app: z.string().min(1).max(40),
  incidentId: z.string().regex(/^[A-Za-z0-9_-]{1,80}$/),
  /** The region preflight settled on, once it has. */
  to: z.string().max(32).optional(),
  /** false when the app's preparation stopped; `error` names why (the app's own trail has the whole reason). */
  prepared: z.boolean().optional(),
  error: z.string().max(128).optional(),
});

export type EvacuationItem = z.output<typeof evacuationItemSchema>;

/** The execution's input: the header, the apps to move, and the apps of the region left alone with why. */
export interface EvacuationInput {
  evacuation: EvacuationHeader;
  maxConcurrency: number;
  items: EvacuationItem[];
  skipped: { app: string; reason: string }[];
}

function sanitise(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/-+/g, '-').replace(/^-|-$/g, '');
}

/**
 * The execution name (and incident id) of an evacuation: `evac-<mode>-<region>-<hash>`, at most 38
 * characters, so `<evacuation>--<app>` (an app name is at most 40) stays within the 80 that
 * Step Functions and the failover request allow. The same request id always gives the same name.
 */
export function evacuationName(mode: 'failover' | 'drill', region: string, requestId: string): string {
  const hash = shortHash(`evacuate\n${mode}\n${region}\n${requestId}`);
  return `evac-${mode === 'drill' ? 'drill' : 'fo'}-${sanitise(region).slice(0, 16)}-${hash}`;
}

/** The incident of one app inside an evacuation: its own trail, lock, restore name and Slack messages. */
export function appIncidentId(evacuationId: string, app: string): string {
  return `${evacuationId}--${app}`;
}

/** Who takes over from `region` for `app`: its other regions in priority order. */
export function evacuationTargets(app: AppConfig, region: string): { to: RegionConfig; alternatives: RegionConfig[] } | undefined {
  const [to, ...alternatives] = targetCandidates(app, region);
  return to ? { to, alternatives } : undefined;
}

/**
 * Which apps an evacuation of `region` moves: those whose traffic is in it now (their active region,
 * or their first region before any failover) and that have somewhere to go. Apps present in the
 * region whose traffic is elsewhere are listed as skipped, with the reason.
 */
export function planEvacuation(config: LifeboatConfig, region: string, evacuationId: string, activeRegions: ReadonlyMap<string, string | undefined>): Pick<EvacuationInput, 'items' | 'skipped'> {
  const items: EvacuationItem[] = [];
  const skipped: EvacuationInput['skipped'] = [];
  for (const app of config.apps) {
    if (!app.regions.some((r) => r.name === region)) continue;
    const active = activeRegions.get(app.name) ?? app.regions[0]!.name;
    if (active !== region) skipped.push({ app: app.name, reason: `${region} is not serving ${app.name} (its traffic is in ${active})` });
    else if (!evacuationTargets(app, region)) skipped.push({ app: app.name, reason: `${app.name} has no other region to move to` });
    else items.push({ app: app.name, incidentId: appIncidentId(evacuationId, app.name) });
  }
  return { items, skipped };
}

/**
 * The failover request of one app of an evacuation, resolved from the configuration: from the
 * evacuated region to its next region in priority order (preflight may settle on a later one). The
 * same header and configuration always give the same request, so a retried step sees the same input.
 */
export function evacuationRequest(config: LifeboatConfig, header: EvacuationHeader, item: Pick<EvacuationItem, 'app' | 'incidentId' | 'to'>): FailoverRequest {
  const app = config.apps.find((candidate) => candidate.name === item.app);
  if (!app) throw new InputValidationError([{ path: 'app', message: `unknown app ${JSON.stringify(item.app)}` }], 'evacuation item');
  const from = app.regions.find((r) => r.name === header.region);
  if (!from) throw new InputValidationError([{ path: 'region', message: `${header.region} is not a region of ${app.name}` }], 'evacuation item');
  const targets = evacuationTargets(app, header.region);
  if (!targets) throw new InputValidationError([{ path: 'app', message: `${app.name} has no other region to move to` }], 'evacuation item');
  const settled = item.to === undefined ? undefined : app.regions.find((r) => r.name === item.to);
  if (item.to !== undefined && (!settled || settled.name === from.name)) {
    throw new InputValidationError([{ path: 'to', message: `${JSON.stringify(item.to)} is not another region of ${app.name}` }], 'evacuation item');
  }
  return buildFailoverRequest({
    app,
    from,
    to: settled ?? targets.to,
    alternatives: settled ? [] : targets.alternatives,
    trigger: header.trigger,
    mode: header.mode,
    executionName: item.incidentId,
    requestedAt: new Date(header.requestedAt),
  });
}

/** Validates the header and one item handed to an evacuation step. */
export function parseEvacuationItem(event: unknown): { evacuation: EvacuationHeader; item: EvacuationItem } {
  const result = parseWith(z.object({ evacuation: evacuationHeaderSchema, item: evacuationItemSchema }), event);
  if (!result.ok) throw new InputValidationError(result.issues, 'evacuation item');
  return result.value;
}

const evacuationStateSchema = z.looseObject({
  evacuation: evacuationHeaderSchema,
  maxConcurrency: z.number().int().min(1).max(1000),
  items: z.array(evacuationItemSchema.loose()).max(10_000),
  skipped: z.array(z.object({ app: z.string(), reason: z.string() })).max(10_000),
});

/** Validates the state an evacuation-wide step receives (extra fields of the items, such as their snapshot, are kept). */
export function parseEvacuationState(event: unknown): EvacuationInput & Record<string, unknown> {
  const result = parseWith(evacuationStateSchema, event);
  if (!result.ok) throw new InputValidationError(result.issues, 'evacuation state');
  return result.value as EvacuationInput & Record<string, unknown>;
}
