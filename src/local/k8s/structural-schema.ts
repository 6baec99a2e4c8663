import type { FieldIssue } from '../../domain/errors.js';

/**
 * A Kubernetes structural schema (the `openAPIV3Schema` of a CRD version): the subset of
 * OpenAPI v3 that the API server accepts for custom resources, plus its `x-kubernetes-*` extensions.
 */
export interface StructuralSchema {
  type?: string;
  description?: string;
  properties?: Record<string, StructuralSchema>;
  additionalProperties?: StructuralSchema | boolean;
  items?: StructuralSchema;
  required?: string[];
  enum?: unknown[];
  nullable?: boolean;
  format?: string;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  'x-kubernetes-list-type'?: string;
  'x-kubernetes-list-map-keys'?: string[];
  'x-kubernetes-map-type'?: string;
}

/** The API server's `StatusCause` types that schema validation produces. */
export type SchemaIssueReason =
  | 'FieldValueRequired'
  | 'FieldValueInvalid'
  | 'FieldValueTypeInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany';

/** One problem; `message` is the full API server wording, starting with the field path. */
export interface SchemaIssue extends FieldIssue {
  reason: SchemaIssueReason;
}

/** What schema governs `key` of an object: a sub-schema, "keep as is", or nothing (unknown field). */
function schemaForKey(schema: StructuralSchema, key: string): StructuralSchema | 'preserve' | undefined {
  const declared = schema.properties?.[key];
  if (declared) return declared;
  if (typeof schema.additionalProperties === 'object') return schema.additionalProperties;
  if (schema.additionalProperties === true || schema['x-kubernetes-preserve-unknown-fields']) return 'preserve';
  return undefined;
}

/** Map values (`additionalProperties`) are addressed `labels[key]`, declared fields `spec.name`. */
function childPath(path: string, schema: StructuralSchema, key: string): string {
  if (!schema.properties?.[key] && schema.additionalProperties) return `${path}[${key}]`;
  return path ? `${path}.${key}` : key;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Every field the schema does not declare (and no `x-kubernetes-preserve-unknown-fields` or
 * `additionalProperties` admits), as API server paths. This is what `fieldValidation=Strict` rejects.
 */
export function unknownFields(value: unknown, schema: StructuralSchema, path = ''): string[] {
  if (Array.isArray(value)) {
    return schema.items ? value.flatMap((item, i) => unknownFields(item, schema.items!, `${path}[${i}]`)) : [];
  }
  if (!isObject(value) || (schema.type !== 'object' && schema.type !== undefined)) return [];
  const found: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const sub = schemaForKey(schema, key);
    const at = childPath(path, schema, key);
    if (sub === undefined) found.push(at);
    else if (sub !== 'preserve') found.push(...unknownFields(child, sub, at));
  }
  return found;
}

/**
 * A copy without unknown fields and without `null`s where the schema does not say `nullable`:
 * the API server prunes both before validating, so neither is an error on its own.
 */
export function prune(value: unknown, schema: StructuralSchema): unknown {
  if (Array.isArray(value)) return schema.items ? value.map((item) => prune(item, schema.items!)) : value;
  if (!isObject(value) || (schema.type !== 'object' && schema.type !== undefined)) return value;
  const kept: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value)) {
    const sub = schemaForKey(schema, key);
    if (sub === undefined) continue;
    if (sub === 'preserve') kept[key] = child;
    else if (child === null && !sub.nullable) continue;
    else kept[key] = prune(child, sub);
  }
  return kept;
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function typeMatches(value: unknown, schema: StructuralSchema): boolean {
  if (schema['x-kubernetes-int-or-string']) return typeof value === 'string' || Number.isInteger(value);
  switch (schema.type) {
    case undefined:
      return true;
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    default:
      return typeof value === schema.type;
  }
}

// RFC 3339 as the API server's `date-time` format checker accepts it.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function quote(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(JSON.stringify(value));
}

function scalarIssues(value: unknown, schema: StructuralSchema, path: string): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const add = (reason: SchemaIssueReason, detail: string) => issues.push({ path, reason, message: `${path}: ${detail}` });
  if (schema.enum && !schema.enum.some((allowed) => allowed === value)) {
    add('FieldValueNotSupported', `Unsupported value: ${quote(value)}: supported values: ${schema.enum.map(quote).join(', ')}`);
  }
  if (typeof value === 'string') {
    if (schema.format === 'date-time' && !(DATE_TIME.test(value) && !Number.isNaN(Date.parse(value)))) {
      add('FieldValueInvalid', `Invalid value: ${quote(value)}: ${path} in body must be of type date-time: ${quote(value)}`);
    }
    if (schema.maxLength !== undefined && value.length > schema.maxLength) {
      add('FieldValueTooLong', `Too long: may not be longer than ${schema.maxLength}`);
    }
    if (schema.minLength !== undefined && value.length < schema.minLength) {
      add('FieldValueInvalid', `Invalid value: ${quote(value)}: ${path} in body should be at least ${schema.minLength} chars long`);
    }
    if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value)) {
      add('FieldValueInvalid', `Invalid value: ${quote(value)}: ${path} in body should match '${schema.pattern}'`);
    }
  }
  if (typeof value === 'number') {
    if (schema.minimum !== undefined && value < schema.minimum) {
      add('FieldValueInvalid', `Invalid value: ${value}: ${path} in body should be greater than or equal to ${schema.minimum}`);
    }
    if (schema.maximum !== undefined && value > schema.maximum) {
      add('FieldValueInvalid', `Invalid value: ${value}: ${path} in body should be less than or equal to ${schema.maximum}`);
    }
  }
  return issues;
}

/**
 * Every way `value` breaks `schema` (type, required, enum, items, additionalProperties, nullable,
 * date-time, lengths, bounds), each naming its field path. Unknown fields are not reported here:
 * see {@link unknownFields} and {@link prune}, which the API server applies first.
 */
export function validate(value: unknown, schema: StructuralSchema, path = ''): SchemaIssue[] {
  const at = path || '<root>';
  if (value === null) {
    if (schema.nullable) return [];
    // Top-level nulls are pruned before validation; one reaching here is where a value must be.
    return [{ path: at, reason: 'FieldValueTypeInvalid', message: `${at}: Invalid value: "null": ${at} in body must be of type ${schema.type ?? 'object'}: "null"` }];
  }
  if (!typeMatches(value, schema)) {
    const expected = schema['x-kubernetes-int-or-string'] ? 'integer-or-string' : schema.type;
    const actual = jsonType(value);
    return [{ path: at, reason: 'FieldValueTypeInvalid', message: `${at}: Invalid value: "${actual}": ${at} in body must be of type ${expected}: "${actual}"` }];
  }
  if (Array.isArray(value)) {
    const issues: SchemaIssue[] = [];
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      issues.push({ path: at, reason: 'FieldValueInvalid', message: `${at}: Invalid value: ${value.length}: ${at} in body should have at least ${schema.minItems} items` });
    }
    if (schema.maxItems !== undefined && value.length > schema.maxItems) {
      issues.push({ path: at, reason: 'FieldValueTooMany', message: `${at}: Too many: ${value.length}: must have at most ${schema.maxItems} items` });
    }
    if (schema.items) value.forEach((item, i) => issues.push(...validate(item, schema.items!, `${path}[${i}]`)));
    return issues;
  }
  if (isObject(value)) {
    if (schema['x-kubernetes-preserve-unknown-fields'] && !schema.properties && !schema.additionalProperties) return [];
    const issues: SchemaIssue[] = [];
    for (const key of schema.required ?? []) {
      if (value[key] === undefined) {
        const missing = childPath(path, schema, key);
        issues.push({ path: missing, reason: 'FieldValueRequired', message: `${missing}: Required value` });
      }
    }
    for (const [key, child] of Object.entries(value)) {
      const sub = schemaForKey(schema, key);
      if (sub && sub !== 'preserve') issues.push(...validate(child, sub, childPath(path, schema, key)));
    }
    return issues;
  }
  return scalarIssues(value, schema, at);
}
