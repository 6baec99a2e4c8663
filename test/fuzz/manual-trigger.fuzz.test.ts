/**
 * Hostile manual requests: whatever body reaches the manual trigger, `resolveManualRequest` returns
 * a FailoverRequest with a valid execution name, or throws InputValidationError naming the field.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parseConfig } from '../../src/domain/config-yaml.js';
import { InputValidationError } from '../../src/domain/errors.js';
import { parseFailoverRequest, type FailoverRequest } from '../../src/domain/failover-request.js';
import { resolveManualRequest } from '../../src/triggers/manual.js';
import { EXAMPLE_TEXT } from './support/config-contract.js';
import { ensure, ensureNamedIssues, ensureRootIssueNamesKeys, outcomeOf, pathPointsInto, prototypeSnapshot, seeded, show } from './support/fuzz.js';
import { anyValue, hostileString, mutate, mutations } from './support/hostile.js';

const config = parseConfig(EXAMPLE_TEXT);
const NOW = new Date('2026-01-01T00:00:00Z');
const deps = { config, clock: { now: () => NOW } };
const ACTOR = 'arn:aws:iam::123456789012:user/fuzz';
const VALID_BODY = { app: 'payments', to: 'us-west-2', mode: 'drill', reason: 'quarterly drill' };
const FIELDS = new Set(['app', 'to', 'from', 'mode', 'reason', 'requestId']);
const EXECUTION_NAME = /^[A-Za-z0-9_-]{1,80}$/;

/** Step Functions' rule for names, which the steps' own validation repeats. */
function ensureWellFormed(request: FailoverRequest, body: Record<string, unknown>, actor: string): void {
  ensure(EXECUTION_NAME.test(request.executionName), () => `executionName ${show(request.executionName)}`);
  ensure(request.incidentId === request.executionName, 'incidentId differs from executionName');
  const app = config.apps.find((a) => a.name === body.app);
  ensure(app !== undefined && request.app === app.name, () => `app ${show(request.app)} for body ${show(body)}`);
  ensure(request.to.name === body.to && request.from.name !== request.to.name, () => `from ${request.from.name} to ${request.to.name}`);
  ensure(body.from === undefined || request.from.name === body.from, 'from is not the one asked for');
  ensure(request.mode === body.mode && request.requestedAt === NOW.toISOString(), 'mode or requestedAt');
  ensure(request.trigger.kind === 'manual' && request.trigger.actor === actor && request.trigger.reason === String(body.reason).trim(), () => `trigger ${show(request.trigger)}`);
}

function ensureContract(body: unknown, actor = ACTOR): void {
  const outcome = outcomeOf(() => resolveManualRequest(deps, body, actor), InputValidationError);
  if (outcome.ok) {
    ensureWellFormed(outcome.value, body as Record<string, unknown>, actor);
    return;
  }
  const bodyIsObject = typeof body === 'object' && body !== null && !Array.isArray(body);
  ensureNamedIssues(outcome.error.issues, (path, issue) =>
    path === '' ? !bodyIsObject || /unrecognized key/i.test(issue.message) : FIELDS.has(path) && pathPointsInto(body, path),
  );
  ensureRootIssueNamesKeys(outcome.error.issues);
}

/** Bodies with the request's own keys, each holding anything at all. */
const keyedBody = fc.record(
  { app: anyValue, to: anyValue, from: anyValue, mode: anyValue, reason: anyValue, requestId: anyValue },
  { requiredKeys: [] },
);

/** Values that are plausible for each field (right type, maybe wrong value), so mutations reach the config checks. */
const plausible = fc.oneof(
  fc.constantFrom('payments', 'catalog', 'us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'failover', 'drill', 'Payments', 'us-west-2 ', 'toString', '__proto__'),
  hostileString,
  anyValue,
);

/** A request the schema and the example configuration allow. */
const validBody = fc
  .record({
    target: fc.constantFrom(...config.apps.flatMap((app) => app.regions.map((region) => ({ app: app.name, to: region.name, others: app.regions.filter((r) => r.name !== region.name).map((r) => r.name) })))),
    mode: fc.constantFrom('failover', 'drill'),
    reason: fc.tuple(fc.constantFrom('', ' ', '\n\t '), fc.string({ unit: 'binary', minLength: 3, maxLength: 1000 }), fc.constantFrom('', ' ', '\u3000')).filter(([, core]) => core.trim().length >= 3 && core.trim() === core).map((parts) => parts.join('')),
    requestId: fc.option(fc.stringMatching(/^[A-Za-z0-9_.:-]{1,128}$/), { nil: undefined }),
    withFrom: fc.boolean(),
  })
  .map(({ target, mode, reason, requestId, withFrom }) => ({
    app: target.app,
    to: target.to,
    ...(withFrom ? { from: target.others[0] } : {}),
    mode,
    reason,
    ...(requestId !== undefined ? { requestId } : {}),
  }));

/** What API Gateway or a direct invocation may pass as the actor (the steps accept at most 256 characters). */
const actor = fc.oneof(fc.constantFrom(ACTOR, 'alice', 'arn:aws:sts::123456789012:assumed-role/Admin/session'), fc.string({ unit: 'binary', minLength: 1, maxLength: 256 }).filter((a) => a.length <= 256));

describe('resolveManualRequest under hostile input', () => {
  let checkPrototypes: () => void;
  beforeAll(() => {
    checkPrototypes = prototypeSnapshot();
  });
  afterAll(() => checkPrototypes());

  it('answers any body at all with a request or InputValidationError naming the field', () => {
    fc.assert(fc.property(fc.oneof(anyValue, keyedBody), (body) => ensureContract(body)), seeded(0x3a17_0001));
  });

  it('answers mutations of a valid body (dropped keys, wrong types, unknown apps and regions, oversized, injected) the same way', () => {
    const damaged = mutations(plausible).map((changes) => mutate(() => ({ ...VALID_BODY }), changes));
    fc.assert(fc.property(damaged, (body) => ensureContract(body)), seeded(0x3a17_0002));
  });
});

describe('resolveManualRequest still accepts valid requests', () => {
  it('resolves any valid body into a request the steps accept, the same one for the same request id', () => {
    fc.assert(
      fc.property(validBody, actor, (body, who) => {
        const request = resolveManualRequest(deps, body, who);
        ensureWellFormed(request, body, who);
        const accepted = outcomeOf(() => parseFailoverRequest(request), InputValidationError);
        ensure(accepted.ok, () => `the steps refuse it: ${show(accepted.ok ? undefined : accepted.error.issues)}`);
        if (body.requestId !== undefined) ensure(resolveManualRequest(deps, body, who).executionName === request.executionName, 'not deterministic');
      }),
      seeded(0x3a17_0003),
    );
  });
});

describe('known bugs found by fuzzing (fix the code, then turn these into `it`)', () => {
  it('fixed: refuses an actor longer than 256 characters at the trigger, naming the field, instead of failing every step', () => {
    const longActor = `arn:aws:iam::123456789012:user/${'team/'.repeat(50)}alice`;
    expect(() => resolveManualRequest(deps, VALID_BODY, longActor)).toThrow(InputValidationError);
    expect(() => resolveManualRequest(deps, VALID_BODY, longActor)).toThrow(/actor: must be 1-256 characters/);
  });
});
