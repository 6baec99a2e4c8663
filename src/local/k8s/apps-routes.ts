import { parseFieldValidation } from './admission.js';
import type { DeploymentStore } from './deployments.js';
import { badRequest, invalid, unsupportedMediaType } from './k8s-status.js';
import { applyMergePatch } from './merge-patch.js';
import { OBJECT_META_SCHEMA } from './object-meta.js';
import { SEGMENT, type ApiRequest, type ApiResponse, type Route } from './routing.js';
import { prune, unknownFields, validate, type StructuralSchema } from './structural-schema.js';

/** autoscaling/v1 Scale, for strict decoding of scale writes. */
const SCALE_SCHEMA: StructuralSchema = {
  type: 'object',
  properties: {
    apiVersion: { type: 'string' },
    kind: { type: 'string' },
    metadata: OBJECT_META_SCHEMA,
    spec: { type: 'object', properties: { replicas: { type: 'integer' } } },
    status: { type: 'object', properties: { replicas: { type: 'integer' }, selector: { type: 'string' } } },
  },
};

const MERGE_PATCH_TYPES = new Set(['application/merge-patch+json', 'application/strategic-merge-patch+json']);

interface ScaleWrite {
  replicas: number;
  resourceVersion?: string;
}

/**
 * Decodes a Scale body the way the API server does for a built-in type: unknown fields fail
 * strict decoding (400), a wrong type is a decoding error (400), a missing `spec.replicas` is
 * Go's zero value (so a PUT without it scales to 0, as on a real cluster), a negative count is
 * 422 Invalid, and name/namespace must match the URL.
 */
function decodeScale(request: ApiRequest, body: unknown, namespace: string, name: string): { write: ScaleWrite; warnings: string[] } {
  const fieldValidation = parseFieldValidation(request.query.get('fieldValidation'));
  const unknown = unknownFields(body, SCALE_SCHEMA);
  if (unknown.length > 0 && fieldValidation === 'Strict') {
    throw badRequest(`Scale in version "v1" cannot be handled as a Scale: strict decoding error: ${unknown.map((field) => `unknown field "${field}"`).join(', ')}`);
  }
  const scale = prune(body, SCALE_SCHEMA);
  const problems = validate(scale, SCALE_SCHEMA);
  if (problems.length > 0) throw badRequest(`Scale in version "v1" cannot be handled as a Scale: ${problems.map((p) => p.message).join('; ')}`);
  const { apiVersion, kind, metadata = {}, spec = {} } = scale as {
    apiVersion?: string;
    kind?: string;
    metadata?: { name?: string; namespace?: string; resourceVersion?: string };
    spec?: { replicas?: number };
  };
  if (apiVersion !== undefined && apiVersion !== 'autoscaling/v1') {
    throw badRequest(`the API version in the data (${apiVersion}) does not match the expected API version (autoscaling/v1)`);
  }
  if (kind !== undefined && kind !== 'Scale') throw badRequest(`the kind in the data (${kind}) does not match the expected kind (Scale)`);
  if (metadata.name !== undefined && metadata.name !== name) {
    throw badRequest(`the name of the object (${metadata.name}) does not match the name on the URL (${name})`);
  }
  if (metadata.namespace !== undefined && metadata.namespace !== namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  const replicas = spec.replicas ?? 0;
  if (replicas < 0) {
    throw invalid({ group: 'autoscaling', kind: 'Scale' }, name, [
      { reason: 'FieldValueInvalid', message: `spec.replicas: Invalid value: ${replicas}: must be greater than or equal to 0`, field: 'spec.replicas' },
    ]);
  }
  const warnings = fieldValidation === 'Warn' ? unknown.map((field) => `unknown field "${field}"`) : [];
  return { write: { replicas, resourceVersion: metadata.resourceVersion || undefined }, warnings };
}

/** Routes of the apps/v1 group: a Deployment and its scale subresource. `onScaleWrite` counts accepted writes. */
export function appsRoutes(deployments: DeploymentStore, onScaleWrite: () => void): Route[] {
  const base = `^/apis/apps/v1/namespaces/${SEGMENT}/deployments/${SEGMENT}`;

  const writeScale = (request: ApiRequest, namespace: string, name: string, body: unknown): ApiResponse => {
    const { write, warnings } = decodeScale(request, body, namespace, name);
    const scale = deployments.setReplicas(namespace, name, write.replicas, write.resourceVersion);
    onScaleWrite();
    return { status: 200, body: scale, warnings };
  };

  return [
    {
      pattern: new RegExp(`${base}$`),
      methods: { GET: (_request, [namespace, name]) => ({ status: 200, body: deployments.get(namespace!, name!) }) },
    },
    {
      pattern: new RegExp(`${base}/scale$`),
      methods: {
        GET: (_request, [namespace, name]) => ({ status: 200, body: deployments.scale(namespace!, name!) }),
        PUT: (request, [namespace, name]) => writeScale(request, namespace!, name!, request.body),
        PATCH: (request, [namespace, name]) => {
          if (!MERGE_PATCH_TYPES.has(request.contentType)) throw unsupportedMediaType(request.contentType);
          // A resourceVersion inside the patch replaces the current one, so it acts as a precondition.
          const merged = applyMergePatch(deployments.scale(namespace!, name!), request.body);
          return writeScale(request, namespace!, name!, merged);
        },
      },
    },
  ];
}
