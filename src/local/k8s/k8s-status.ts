/**
 * Kubernetes `Status` error bodies, shaped like the API server's (`metav1.Status`), so that
 * clients (and our adapter's error mapping) see what a real cluster would send.
 */

export type StatusReason =
  | 'BadRequest'
  | 'Unauthorized'
  | 'Forbidden'
  | 'NotFound'
  | 'MethodNotAllowed'
  | 'AlreadyExists'
  | 'Conflict'
  | 'UnsupportedMediaType'
  | 'Invalid'
  | 'TooManyRequests'
  | 'InternalError';

/** A `metav1.StatusCause`: `field` uses the API server's path syntax (`spec.items[0].name`). */
export interface StatusCause {
  reason: string;
  message: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

export interface K8sStatus {
  kind: 'Status';
  apiVersion: 'v1';
  metadata: Record<string, never>;
  status: 'Failure';
  message: string;
  reason: StatusReason;
  details?: StatusDetails;
  code: number;
}

/** Thrown by handlers; the server turns it into the HTTP response. */
export class StatusError extends Error {
  override readonly name = 'StatusError';
  constructor(readonly status: K8sStatus) {
    super(status.message);
  }
}

/** A resource type as the API server names it in messages: `deployments.apps`, `restores.velero.io`. */
export interface ResourceRef {
  group: string;
  plural: string;
}

const CODES: Record<StatusReason, number> = {
  BadRequest: 400,
  Unauthorized: 401,
  Forbidden: 403,
  NotFound: 404,
  MethodNotAllowed: 405,
  AlreadyExists: 409,
  Conflict: 409,
  UnsupportedMediaType: 415,
  Invalid: 422,
  TooManyRequests: 429,
  InternalError: 500,
};

export function statusBody(reason: StatusReason, message: string, details?: StatusDetails): K8sStatus {
  return {
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    ...(details ? { details } : {}),
    code: CODES[reason],
  };
}

function qualified(resource: ResourceRef): string {
  return resource.group ? `${resource.plural}.${resource.group}` : resource.plural;
}

export function notFound(resource: ResourceRef, name: string): StatusError {
  return new StatusError(
    statusBody('NotFound', `${qualified(resource)} "${name}" not found`, { name, group: resource.group, kind: resource.plural }),
  );
}

export function alreadyExists(resource: ResourceRef, name: string): StatusError {
  return new StatusError(
    statusBody('AlreadyExists', `${qualified(resource)} "${name}" already exists`, { name, group: resource.group, kind: resource.plural }),
  );
}

/** The optimistic-concurrency failure an update with a stale `metadata.resourceVersion` gets. */
export function conflict(resource: ResourceRef, name: string): StatusError {
  return new StatusError(
    statusBody(
      'Conflict',
      `Operation cannot be fulfilled on ${qualified(resource)} "${name}": the object has been modified; please apply your changes to the latest version and try again`,
      { name, group: resource.group, kind: resource.plural },
    ),
  );
}

/** 422 with every cause listed, worded as the API server words it. */
export function invalid(kind: { group: string; kind: string }, name: string, causes: StatusCause[]): StatusError {
  const parts = causes.map((cause) => cause.message);
  const list = parts.length === 1 ? parts[0] : `[${parts.join(', ')}]`;
  const qualifiedKind = kind.group ? `${kind.kind}.${kind.group}` : kind.kind;
  return new StatusError(
    statusBody('Invalid', `${qualifiedKind} "${name}" is invalid: ${list}`, { name, group: kind.group, kind: kind.kind, causes }),
  );
}

export function badRequest(message: string): StatusError {
  return new StatusError(statusBody('BadRequest', message));
}

export function methodNotAllowed(method: string): StatusError {
  return new StatusError(statusBody('MethodNotAllowed', `the server does not allow this method on the requested resource (${method})`));
}

export function unsupportedMediaType(contentType: string): StatusError {
  return new StatusError(statusBody('UnsupportedMediaType', `the body of the request was in an unknown format - accepted media types include: application/json, application/merge-patch+json, application/strategic-merge-patch+json (got ${contentType || 'none'})`));
}

/** What the API server answers for a path no API group serves. */
export function pathNotFound(): StatusError {
  return new StatusError(statusBody('NotFound', 'the server could not find the requested resource', {}));
}

export function unauthorized(): StatusError {
  return new StatusError(statusBody('Unauthorized', 'Unauthorized'));
}

/** Kubernetes `metav1.Time`: RFC 3339, whole seconds, UTC. */
export function rfc3339(at: Date): string {
  return new Date(Math.floor(at.getTime() / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
