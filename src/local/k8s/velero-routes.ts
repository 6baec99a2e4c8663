import { admitCustomResource, parseFieldValidation } from './admission.js';
import { badRequest } from './k8s-status.js';
import { parseLabelSelector } from './label-selector.js';
import { SEGMENT, type ApiRequest, type ApiResponse, type Route } from './routing.js';
import { BACKUPS, RESTORES, type CustomResourceType } from './velero-resources.js';
import type { KubeObject, VeleroStore } from './velero-store.js';

/** `continue` tokens are opaque to clients; here, the last name already returned. */
function encodeContinue(lastName: string): string {
  return Buffer.from(JSON.stringify({ after: lastName })).toString('base64url');
}

function decodeContinue(token: string): string {
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { after?: unknown };
    if (typeof parsed.after === 'string') return parsed.after;
  } catch {
    // fall through
  }
  throw badRequest('continue key is not valid: illegal base64 data');
}

/** A list response, honouring `labelSelector`, `limit` and `continue` like the API server. */
function list(store: VeleroStore, type: CustomResourceType, namespace: string, request: ApiRequest, resourceVersion: () => string): ApiResponse {
  let items = store.list(type, namespace, parseLabelSelector(request.query.get('labelSelector')));
  const token = request.query.get('continue');
  if (token) {
    const after = decodeContinue(token);
    items = items.filter((item) => item.metadata.name > after);
  }
  const limit = Number(request.query.get('limit') ?? 0);
  const metadata: Record<string, unknown> = { resourceVersion: resourceVersion() };
  if (limit > 0 && items.length > limit) {
    metadata.remainingItemCount = items.length - limit;
    items = items.slice(0, limit);
    metadata.continue = encodeContinue(items.at(-1)!.metadata.name);
  }
  return { status: 200, body: { apiVersion: `${type.group}/${type.version}`, kind: type.listKind, metadata, items } };
}

/**
 * Routes of velero.io/v1 Backups and Restores: create (admitted against the embedded CRD
 * schema), get and list. `onCreated` lets the stand-in count what was stored.
 */
export function veleroRoutes(store: VeleroStore, currentResourceVersion: () => string, onCreated: (type: CustomResourceType, object: KubeObject) => void): Route[] {
  return [BACKUPS, RESTORES].flatMap((type): Route[] => {
    const base = `^/apis/${type.group}/${type.version}/namespaces/${SEGMENT}/${type.plural}`;
    return [
      {
        pattern: new RegExp(`${base}$`),
        methods: {
          GET: (request, [namespace]) => list(store, type, namespace!, request, currentResourceVersion),
          POST: (request, [namespace]) => {
            const admitted = admitCustomResource(type, namespace!, request.body, parseFieldValidation(request.query.get('fieldValidation')));
            const created = store.create(type, namespace!, admitted.object);
            onCreated(type, created);
            return { status: 201, body: created, warnings: admitted.warnings };
          },
        },
      },
      {
        pattern: new RegExp(`${base}/${SEGMENT}$`),
        methods: { GET: (_request, [namespace, name]) => ({ status: 200, body: store.get(type, namespace!, name!) }) },
      },
    ];
  });
}
