// What a route handler gets and returns. Handlers are plain async functions; the server does
// routing, rate limiting, capacity, authentication, fault injection and counting around them.
import type { IncomingMessage } from 'node:http';
import type { Principal } from '../db/credential-store.js';
import type { FaultKind } from '../faults/fault-plan.js';
import type { JsonObject } from './protojson.js';
import type { RequestBody } from './read-body.js';

export interface RouteRequest {
  req: IncomingMessage;
  /** Path parameters, e.g. `{ userId }` for `/v2/users/{userId}`. */
  params: Record<string, string>;
  /** The query string: the gateway maps a body-less method's other fields from it (`?keys=a&keys=b`). */
  query: URLSearchParams;
  /** The raw body (already read, size-limited). */
  body: RequestBody;
  /** The body as a camelCased JSON message (throws 400 on bad JSON). */
  json(): JsonObject;
  /** The authenticated caller (routes with `auth: 'bearer'`). */
  principal: Principal;
  /** The fault drawn for this request; routes that write in steps honour `timeoutHalfWritten`. */
  fault?: FaultKind;
}

export interface RouteReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

export interface RouteDefinition {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Path with `{name}` parameters, e.g. `/v2/users/{userId}`; also the key in stats and fault routes. */
  path: string;
  /** `bearer`: a valid token is required; `none`: the handler authenticates itself (token endpoint). */
  auth: 'bearer' | 'none';
  /** Left out of rate limits, capacity and faults (the stats endpoint). */
  internal?: boolean;
  handle(request: RouteRequest): Promise<RouteReply>;
}

/** `POST /admin/v1/import` — the key used in stats and in `faults.routes`. */
export function routeKey(route: Pick<RouteDefinition, 'method' | 'path'>): string {
  return `${route.method} ${route.path}`;
}

/** The routes by method, each pattern split once, so a request's path is split once per request. */
export class RouteTable {
  private readonly entries: { route: RouteDefinition; parts: string[] }[];

  constructor(routes: readonly RouteDefinition[]) {
    this.entries = routes.map((route) => ({ route, parts: route.path.split('/') }));
  }

  /** The first route matching `method` and `path`, with its path parameters. */
  find(method: string | undefined, path: string): { route: RouteDefinition; params: Record<string, string> } | undefined {
    const pathParts = path.split('/');
    for (const { route, parts } of this.entries) {
      if (route.method !== method) continue;
      const params = matchParts(parts, pathParts);
      if (params) return { route, params };
    }
    return undefined;
  }
}

/** Matches a path against a route's pattern; returns the parameters or undefined. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  return matchParts(pattern.split('/'), path.split('/'));
}

/** Matches a split path against a split pattern (`{name}` parts are parameters); the parameters or undefined. */
function matchParts(patternParts: readonly string[], pathParts: readonly string[]): Record<string, string> | undefined {
  if (patternParts.length !== pathParts.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < patternParts.length; i++) {
    const part = patternParts[i];
    if (part.startsWith('{') && part.endsWith('}')) {
      if (pathParts[i] === '') return undefined;
      params[part.slice(1, -1)] = decodeURIComponent(pathParts[i]);
    } else if (part !== pathParts[i]) return undefined;
  }
  return params;
}
