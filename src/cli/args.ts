import type { AppConfig, LifeboatConfig, RegionConfig } from '../domain/config.js';
import { InputValidationError } from '../domain/errors.js';

/*
 * Command-line arguments checked against the configuration at the edge: each refusal names the
 * argument and the value, and lists what would have been accepted (exit 2, nothing touched).
 */

/** What an incident id looks like: a Step Functions execution name (see failoverRequestSchema). */
export const INCIDENT_ID = /^[A-Za-z0-9_-]{1,80}$/;

function refuse(path: string, message: string): never {
  throw new InputValidationError([{ path, message }], 'arguments');
}

/** The incident id, or exit 2 naming it (quoted and cut, so a hostile argument cannot forge output). */
export function incidentIdArgument(value: string, path = 'INCIDENT'): string {
  if (!INCIDENT_ID.test(value)) {
    refuse(path, `malformed incident id ${JSON.stringify(value.slice(0, 100))}: an execution name of 1-80 letters, digits, '-' or '_'`);
  }
  return value;
}

export function appArgument(config: LifeboatConfig, name: string, path = 'APP'): AppConfig {
  const app = config.apps.find((candidate) => candidate.name === name);
  if (!app) refuse(path, `unknown app ${JSON.stringify(name.slice(0, 100))} (known: ${config.apps.map((a) => a.name).join(', ')})`);
  return app;
}

export function regionArgument(app: AppConfig, name: string, path: string): RegionConfig {
  const region = app.regions.find((candidate) => candidate.name === name);
  if (!region) refuse(path, `${JSON.stringify(name.slice(0, 100))} is not a region of ${app.name} (${app.regions.map((r) => r.name).join(', ')})`);
  return region;
}

/** A region any app of the configuration runs in (`drill --region`). */
export function anyRegionArgument(config: LifeboatConfig, name: string, path = '--region'): string {
  const known = [...new Set(config.apps.flatMap((app) => app.regions.map((r) => r.name)))];
  if (!known.includes(name)) refuse(path, `${JSON.stringify(name.slice(0, 100))} is not a region of any app (${known.join(', ')})`);
  return name;
}

/** Refuses a target that is where the traffic already is. */
export function differentFrom(target: RegionConfig, active: string, app: AppConfig, path = '--to'): void {
  if (target.name === active) refuse(path, `${app.name} is already served from ${active}: the target must be another region (${app.regions.filter((r) => r.name !== active).map((r) => r.name).join(', ')})`);
}
