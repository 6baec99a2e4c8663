import { badRequest } from './k8s-status.js';

export type LabelMatcher = (labels: Readonly<Record<string, string>>) => boolean;

type Requirement =
  | { op: 'eq' | 'neq'; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'exists' | 'notexists'; key: string };

/** Splits on commas outside parentheses: `a=b,c in (d,e)` is two requirements. */
function splitRequirements(selector: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const char of selector) {
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else {
      current += char;
    }
  }
  parts.push(current);
  return parts.map((part) => part.trim());
}

const KEY = '[A-Za-z0-9][-A-Za-z0-9_./]*';
const VALUE = '[-A-Za-z0-9_.]*';

function parseRequirement(text: string): Requirement {
  let match = new RegExp(`^(${KEY})\\s*(==|=|!=)\\s*(${VALUE})$`).exec(text);
  if (match) return { op: match[2] === '!=' ? 'neq' : 'eq', key: match[1]!, value: match[3]! };
  match = new RegExp(`^(${KEY})\\s+(in|notin)\\s*\\(([^)]*)\\)$`).exec(text);
  if (match) {
    const values = match[3]!.split(',').map((value) => value.trim());
    return { op: match[2] === 'in' ? 'in' : 'notin', key: match[1]!, values };
  }
  match = new RegExp(`^(!?)\\s*(${KEY})$`).exec(text);
  if (match) return { op: match[1] ? 'notexists' : 'exists', key: match[2]! };
  throw badRequest(`unable to parse requirement: ${JSON.stringify(text)}`);
}

function matches(requirement: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const value = labels[requirement.key];
  switch (requirement.op) {
    case 'eq':
      return value === requirement.value;
    case 'neq':
      return value !== requirement.value;
    case 'in':
      return value !== undefined && requirement.values.includes(value);
    case 'notin':
      return value === undefined || !requirement.values.includes(value);
    case 'exists':
      return value !== undefined;
    case 'notexists':
      return value === undefined;
  }
}

/**
 * Parses a `labelSelector` query parameter (equality `=`, `==`, `!=`; sets `in`, `notin`;
 * existence `key`, `!key`; comma means AND) into a matcher. An empty selector matches
 * everything. Throws a 400 StatusError for syntax the API server would reject.
 */
export function parseLabelSelector(selector: string | null): LabelMatcher {
  if (selector === null || selector.trim() === '') return () => true;
  const requirements = splitRequirements(selector).map(parseRequirement);
  return (labels) => requirements.every((requirement) => matches(requirement, labels));
}
