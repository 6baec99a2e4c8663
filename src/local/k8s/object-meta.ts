import type { SchemaIssue, StructuralSchema } from './structural-schema.js';

/**
 * `metadata` of any object. A CRD's schema only says `metadata: {type: object}`; the API server
 * validates ObjectMeta itself (and strict decoding rejects unknown metadata fields), so the
 * stand-in substitutes this schema for it.
 */
export const OBJECT_META_SCHEMA: StructuralSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    generateName: { type: 'string' },
    namespace: { type: 'string' },
    selfLink: { type: 'string' },
    uid: { type: 'string' },
    resourceVersion: { type: 'string' },
    generation: { type: 'integer' },
    // Go clients send `creationTimestamp: null` for a new object.
    creationTimestamp: { type: 'string', format: 'date-time', nullable: true },
    deletionTimestamp: { type: 'string', format: 'date-time', nullable: true },
    deletionGracePeriodSeconds: { type: 'integer' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    ownerReferences: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
    finalizers: { type: 'array', items: { type: 'string' } },
    managedFields: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
  },
};

const DNS1123_LABEL = '[a-z0-9]([-a-z0-9]*[a-z0-9])?';
const DNS1123_SUBDOMAIN = `${DNS1123_LABEL}(\\.${DNS1123_LABEL})*`;
const QUALIFIED_NAME_PART = '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]';
const LABEL_VALUE = `(${QUALIFIED_NAME_PART})?`;

const SUBDOMAIN_MESSAGE =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '" +
  DNS1123_SUBDOMAIN +
  "')";

function full(pattern: string): RegExp {
  return new RegExp(`^${pattern}$`);
}

/** Problems with a name as a DNS-1123 subdomain (what most object names must be), in API server words. */
export function dns1123SubdomainProblems(name: string): string[] {
  const problems: string[] = [];
  if (name.length > 253) problems.push('must be no more than 253 characters');
  if (!full(DNS1123_SUBDOMAIN).test(name)) problems.push(SUBDOMAIN_MESSAGE);
  return problems;
}

function qualifiedNameProblems(key: string): string[] {
  const parts = key.split('/');
  const name = parts.length === 2 ? parts[1]! : parts[0]!;
  const problems: string[] = [];
  if (parts.length > 2) {
    problems.push(
      "a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '" +
        `${QUALIFIED_NAME_PART}') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')`,
    );
    return problems;
  }
  if (parts.length === 2) {
    const prefix = parts[0]!;
    if (prefix.length === 0) problems.push('prefix part must be non-empty');
    else problems.push(...dns1123SubdomainProblems(prefix).map((problem) => `prefix part ${problem}`));
  }
  if (name.length === 0) problems.push('name part must be non-empty');
  else if (name.length > 63) problems.push('name part must be no more than 63 characters');
  if (name.length > 0 && !full(QUALIFIED_NAME_PART).test(name)) {
    problems.push(
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '" +
        `${QUALIFIED_NAME_PART}')`,
    );
  }
  return problems;
}

function labelValueProblems(value: string): string[] {
  const problems: string[] = [];
  if (value.length > 63) problems.push('must be no more than 63 characters');
  if (!full(LABEL_VALUE).test(value)) {
    problems.push(
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '" +
        `${LABEL_VALUE}')`,
    );
  }
  return problems;
}

function asMap(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function invalidValue(path: string, value: string, problem: string): SchemaIssue {
  return { path, reason: 'FieldValueInvalid', message: `${path}: Invalid value: ${JSON.stringify(value)}: ${problem}` };
}

/**
 * The rules ObjectMeta adds beyond its schema: the name is a DNS-1123 subdomain, label keys are
 * qualified names, label values are short and plain, annotation keys are qualified names.
 * Values of the wrong type are left to schema validation.
 */
export function validateObjectMeta(meta: Record<string, unknown>): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const name = meta.name;
  if (name === undefined || name === '') {
    issues.push({ path: 'metadata.name', reason: 'FieldValueRequired', message: 'metadata.name: Required value: name or generateName is required' });
  } else if (typeof name === 'string') {
    for (const problem of dns1123SubdomainProblems(name)) issues.push(invalidValue('metadata.name', name, problem));
  }
  const labels = asMap(meta.labels);
  for (const [key, value] of Object.entries(labels)) {
    for (const problem of qualifiedNameProblems(key)) issues.push(invalidValue('metadata.labels', key, problem));
    if (typeof value !== 'string') continue;
    for (const problem of labelValueProblems(value)) issues.push(invalidValue('metadata.labels', value, problem));
  }
  const annotations = asMap(meta.annotations);
  for (const key of Object.keys(annotations)) {
    for (const problem of qualifiedNameProblems(key)) issues.push(invalidValue('metadata.annotations', key, problem));
  }
  return issues;
}
