import { randomBytes } from 'node:crypto';
import { badRequest, invalid } from './k8s-status.js';
import { OBJECT_META_SCHEMA, validateObjectMeta } from './object-meta.js';
import { prune, unknownFields, validate, type StructuralSchema } from './structural-schema.js';
import type { CustomResourceType } from './velero-resources.js';

/** The `fieldValidation` query parameter of POST/PUT/PATCH. */
export type FieldValidation = 'Strict' | 'Warn' | 'Ignore';

/**
 * Reads `fieldValidation`. A real API server (v1.23+) defaults to `Warn`: unknown fields are
 * dropped with a `Warning` header. The stand-in defaults to `Strict` so that a malformed body
 * can never pass here unnoticed; our adapter asks for `Strict` explicitly, so it sees the same
 * thing from a real cluster.
 */
export function parseFieldValidation(raw: string | null): FieldValidation {
  if (raw === null || raw === '') return 'Strict';
  if (raw === 'Strict' || raw === 'Warn' || raw === 'Ignore') return raw;
  throw badRequest(`fieldValidation parameter unsupported: ${raw}`);
}

export interface AdmittedObject {
  object: Record<string, unknown> & { metadata: Record<string, unknown> & { name: string; namespace: string } };
  /** `Warning` header values (one per dropped field) when `fieldValidation=Warn`. */
  warnings: string[];
}

/**
 * A CRD schema as the API server applies it: `metadata` is ObjectMeta, whatever the CRD says
 * (CRDs may only say `type: object` there, which on its own would prune every metadata field).
 */
export function withObjectMeta(schema: StructuralSchema): StructuralSchema {
  return { ...schema, properties: { ...schema.properties, metadata: OBJECT_META_SCHEMA } };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * What the API server does to a custom resource on create, before storing it: check the
 * type, reject (Strict) or drop unknown fields, drop non-nullable nulls, validate against the
 * CRD schema and ObjectMeta rules, and fill in the namespace. Throws a StatusError: 400 for a
 * body that is not an object, a namespace mismatch or (Strict) unknown fields; 422 Invalid with
 * every cause otherwise. Nothing is stored by this function.
 */
export function admitCustomResource(
  type: CustomResourceType,
  namespace: string,
  body: unknown,
  fieldValidation: FieldValidation,
): AdmittedObject {
  if (!isObject(body)) throw badRequest(`${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: the body is not a JSON object`);
  const schema = withObjectMeta(type.schema);

  const unknown = unknownFields(body, schema);
  if (unknown.length > 0 && fieldValidation === 'Strict') {
    // The API server fails strict decoding with 400 BadRequest, not 422, and lists every field.
    throw badRequest(
      `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: strict decoding error: ${unknown.map((field) => `unknown field "${field}"`).join(', ')}`,
    );
  }
  const warnings = fieldValidation === 'Warn' ? unknown.map((field) => `unknown field "${field}"`) : [];

  const object = prune(body, schema) as Record<string, unknown>;
  const metadata = isObject(object.metadata) ? object.metadata : {};
  if (metadata.namespace !== undefined && metadata.namespace !== namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  if (!metadata.name && typeof metadata.generateName === 'string' && metadata.generateName) {
    metadata.name = metadata.generateName + randomBytes(3).toString('hex').slice(0, 5);
  }
  object.metadata = { ...metadata, namespace };

  const issues = validate(object, schema);
  const expectedApiVersion = `${type.group}/${type.version}`;
  if (object.apiVersion !== expectedApiVersion) {
    issues.push({ path: 'apiVersion', reason: 'FieldValueNotSupported', message: `apiVersion: Unsupported value: ${JSON.stringify(object.apiVersion ?? '')}: supported values: "${expectedApiVersion}"` });
  }
  if (object.kind !== type.kind) {
    issues.push({ path: 'kind', reason: 'FieldValueNotSupported', message: `kind: Unsupported value: ${JSON.stringify(object.kind ?? '')}: supported values: "${type.kind}"` });
  }
  issues.push(...validateObjectMeta(object.metadata as Record<string, unknown>));
  if (issues.length > 0) {
    const name = typeof metadata.name === 'string' ? metadata.name : '';
    throw invalid(
      { group: type.group, kind: type.kind },
      name,
      issues.map((issue) => ({ reason: issue.reason, message: issue.message, field: issue.path })),
    );
  }
  return { object: object as AdmittedObject['object'], warnings };
}
