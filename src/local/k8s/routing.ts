import { methodNotAllowed, pathNotFound } from './k8s-status.js';

/** A parsed request, as handlers see it. */
export interface ApiRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  contentType: string;
  /** Parsed JSON, or undefined for an empty body. */
  body: unknown;
}

export interface ApiResponse {
  status: number;
  body: unknown;
  /** `Warning` header values. */
  warnings?: string[];
}

export type Handler = (request: ApiRequest, params: string[]) => ApiResponse;

/** A path pattern (capture groups become `params`) and a handler per method. */
export interface Route {
  pattern: RegExp;
  methods: Partial<Record<string, Handler>>;
}

/** Runs the route for the request: 404 Status for an unknown path, 405 for a method the path does not serve. */
export function dispatch(routes: readonly Route[], request: ApiRequest): ApiResponse {
  for (const route of routes) {
    const match = route.pattern.exec(request.path);
    if (!match) continue;
    const handler = route.methods[request.method];
    if (!handler) throw methodNotAllowed(request.method);
    return handler(request, match.slice(1).map(decodeURIComponent));
  }
  throw pathNotFound();
}

/** A name segment: anything but a slash. */
export const SEGMENT = '([^/]+)';
