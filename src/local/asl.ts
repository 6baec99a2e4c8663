import { readFileSync } from 'node:fs';

/*
 * The ASL files are written for serverless-step-functions, which turns
 * `"Resource": {"Fn::GetAtt": ["preflight", "Arn"]}` into the deployed function's ARN. Locally (and
 * for asl-validator) the same reference becomes a syntactically valid placeholder ARN that is never
 * called: each Task is bound to the real handler by the function name the reference carries.
 */

export type AslDefinition = { States: Record<string, AslState>; StartAt: string } & Record<string, unknown>;
export type AslState = { Type: string; Resource?: unknown; Branches?: AslDefinition[]; ItemProcessor?: AslDefinition; Iterator?: AslDefinition; Retry?: AslRetrier[] } & Record<string, unknown>;
export interface AslRetrier {
  ErrorEquals: string[];
  IntervalSeconds?: number;
  MaxAttempts?: number;
  BackoffRate?: number;
  MaxDelaySeconds?: number;
  JitterStrategy?: 'FULL' | 'NONE';
}

const PLACEHOLDER_ARN_PREFIX = 'arn:aws:lambda:us-east-1:000000000000:function:lifeboat-local-';

function functionRef(resource: unknown): string | undefined {
  if (typeof resource !== 'object' || resource === null) return undefined;
  const ref = (resource as Record<string, unknown>)['Fn::GetAtt'];
  return Array.isArray(ref) && ref.length === 2 && ref[1] === 'Arn' && typeof ref[0] === 'string' ? ref[0] : undefined;
}

/** Every state of a definition, including those inside Parallel branches and Map item processors. */
export function allStates(definition: AslDefinition): [string, AslState][] {
  return Object.entries(definition.States).flatMap(([name, state]) => [
    [name, state] as [string, AslState],
    ...[...(state.Branches ?? []), ...[state.ItemProcessor ?? state.Iterator].filter((d): d is AslDefinition => d !== undefined)].flatMap((branch) => allStates(branch)),
  ]);
}

/** Task state name → the serverless function it invokes. */
export function taskFunctions(definition: AslDefinition): Map<string, string> {
  const bindings = new Map<string, string>();
  for (const [name, state] of allStates(definition)) {
    const fn = state.Type === 'Task' ? functionRef(state.Resource) : undefined;
    if (fn) bindings.set(name, fn);
  }
  return bindings;
}

/** A deep copy of the definition with every function reference replaced by a placeholder ARN. */
export function withPlaceholderArns(definition: AslDefinition): AslDefinition {
  return JSON.parse(JSON.stringify(definition), (key, value) => {
    const fn = key === 'Resource' ? functionRef(value) : undefined;
    return fn ? `${PLACEHOLDER_ARN_PREFIX}${fn}` : value;
  }) as AslDefinition;
}

export function loadDefinition(file: string): AslDefinition {
  return JSON.parse(readFileSync(file, 'utf8')) as AslDefinition;
}
