// startEmulator: the HTTP server around the route handlers. Per request, in this order: route,
// rate limit, capacity gate, authentication, drawn fault, handler, then post-write faults and the
// answer. Every outcome is counted per route and status for /debug/stats.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { authenticate, bearerToken } from './auth/permissions.js';
import { createMachineUser, type ServiceUserCredentials, type ServiceUserOptions } from './auth/service-user.js';
import { tokenEndpointRoute } from './auth/token-endpoint.js';
import { ConcurrencyGate } from './capacity/concurrency-gate.js';
import { RateLimiter } from './capacity/rate-limiter.js';
import { CredentialStore, type Principal, secretDigest } from './db/credential-store.js';
import { openEmulatorDatabase } from './db/open-database.js';
import { UserStore } from './db/user-store.js';
import { type EmulatorStatsSnapshot, RequestCounters } from './emulator-stats.js';
import { FaultPlan } from './faults/fault-plan.js';
import { DEFAULT_IDP_OPTIONS, IdpStore } from './idps/idp-store.js';
import { idpRoutes } from './idps/idp-routes.js';
import { ApiError, deadlineExceeded, GrpcCode, isDeadlineExceeded, resourceExhausted, unavailable } from './http/api-error.js';
import { parseJsonMessage, readBody } from './http/read-body.js';
import { type RouteDefinition, type RouteReply, RouteTable, routeKey } from './http/route.js';
import { newSecret, newZitadelId } from './ids.js';
import { type EmulatorOptions, resolveOptions } from './options.js';
import { PasswordHashPolicy } from './password/hash-policy.js';
import { debugStatsRoute } from './routes/debug-stats-route.js';
import { addHumanUserRoute, createUserRoute } from './routes/create-user-routes.js';
import { callerContextRoutes } from './routes/caller-context-routes.js';
import { searchEventsRoute } from './routes/events-route.js';
import { importRoute } from './routes/import-route.js';
import { getUserRoute, listUsersRoute } from './routes/read-user-routes.js';
import { loginSettingsRoute } from './routes/login-settings-route.js';
import { createSessionRoute } from './routes/session-route.js';
import { userStateRoutes } from './routes/user-state-routes.js';
import { addIdpLinkRoute, listIdpLinksRoute } from './routes/idp-link-routes.js';
import { deleteUserMetadataRoute, listUserMetadataRoute, setUserMetadataRoute } from './routes/metadata-routes.js';
import { updateHumanUserRoute, updateUserRoute } from './routes/update-user-routes.js';
import type { EmulatorServices } from './services.js';

export interface RunningEmulator {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  url: string;
  port: number;
  host: string;
  /** The IAM_OWNER PAT. A secret: print it only on purpose. */
  pat: string;
  /** The first ready org. */
  orgId: string;
  orgIds: string[];
  /** The SQLite path (or ':memory:'). */
  db: string;
  /** The issuer URL JWT assertions must name as `aud`. */
  issuer: string;
  /** Counters and database counts, as `GET /debug/stats` returns them. */
  stats(): EmulatorStatsSnapshot;
  /** Creates a machine user with a key JSON (written to `keyFile` when given), client secret and PAT. */
  createServiceUser(options?: ServiceUserOptions): Promise<ServiceUserCredentials>;
  /** Stops listening, waits for requests in work, closes connections and the database. */
  close(): Promise<void>;
}

const ADMIN_MACHINE_USER = 'zitadel-admin-sa';
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

function errorReply(error: unknown, log: (message: string) => void): RouteReply {
  if (error instanceof ApiError) return { status: error.httpStatus, body: error.toBody(), headers: error.headers };
  log(`zitadel-emulator: internal error: ${(error as Error)?.stack ?? String(error)}`);
  return { status: 500, body: { code: GrpcCode.Internal, message: 'internal error' } };
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

/** Starts a ZITADEL API emulator; resolves once it listens. Close it with `close()`. */
export async function startEmulator(emulatorOptions: EmulatorOptions = {}): Promise<RunningEmulator> {
  const options = resolveOptions(emulatorOptions);
  const log = (message: string) => process.stderr.write(`${message}\n`);
  const db = openEmulatorDatabase(options.db);
  const store = new UserStore(db);
  const credentials = new CredentialStore(db);
  const idps = new IdpStore(db);
  for (const idp of options.idps) {
    idps.save({ id: idp.id, name: idp.name ?? idp.id, orgId: idp.orgId, options: { ...DEFAULT_IDP_OPTIONS, ...idp.options } });
  }

  for (const org of options.orgs) {
    if (!store.orgExists(org.id)) store.createOrg(org.id, org.name ?? org.id, 'system');
    for (const domain of org.verifiedDomains ?? []) store.addVerifiedOrgDomain(org.id, domain);
  }
  let orgIds = options.orgs.map((org) => org.id);
  if (orgIds.length === 0) orgIds = store.listOrgIds();
  if (orgIds.length === 0) {
    const orgId = newZitadelId();
    store.createOrg(orgId, 'idflow-emulator', 'system');
    orgIds = [orgId];
  }
  const defaultOrgId = orgIds[0];
  let admin = credentials.findMachineUserByName(ADMIN_MACHINE_USER);
  if (!admin) {
    admin = { id: newZitadelId(), orgId: defaultOrgId, name: ADMIN_MACHINE_USER, role: 'IAM_OWNER' };
    credentials.saveMachineUser(admin);
  }
  const pat = options.pat ?? newSecret();
  credentials.savePersonalAccessToken(pat, admin.id);

  const counters = new RequestCounters();
  const gate = new ConcurrencyGate(options.maxConcurrentRequests);
  const rateLimiter = options.rateLimitPerSecond ? new RateLimiter(options.rateLimitPerSecond) : undefined;
  const services: EmulatorServices = {
    store,
    credentials,
    idps,
    hashPolicy: new PasswordHashPolicy(options.verifiers, options.costBounds, options.hasher),
    counters,
    options,
    defaultOrgId,
  };
  const snapshot = (): EmulatorStatsSnapshot => ({
    ...store.counts(),
    notifications: store.notifications(),
    requests: counters.requests,
    imports: counters.imports,
    v2UsersCreated: counters.v2UsersCreated,
    faults: counters.faults,
    rateLimited: counters.rateLimited,
    overloaded: counters.overloaded,
    inFlight: gate.current,
    peakInFlight: gate.highWaterMark,
  });
  let issuer = options.issuer ?? '';
  const routes: RouteDefinition[] = [
    tokenEndpointRoute({ credentials, issuer: () => issuer, tokenTtlSeconds: options.tokenTtlSeconds }),
    importRoute(services),
    searchEventsRoute(services),
    addHumanUserRoute(services),
    createUserRoute(services),
    listUsersRoute(services),
    getUserRoute(services),
    // The calls a sync uses on existing users (ChangeUserHuman, metadata, IdP links).
    updateUserRoute(services),
    updateHumanUserRoute(services),
    setUserMetadataRoute(services),
    deleteUserMetadataRoute(services),
    listUserMetadataRoute(services),
    addIdpLinkRoute(services),
    listIdpLinksRoute(services),
    ...userStateRoutes(services),
    ...idpRoutes(services),
    ...callerContextRoutes(services),
    createSessionRoute(services),
    loginSettingsRoute(services),
    debugStatsRoute(snapshot),
  ];
  const defaultFaultRoutes = routes.filter((route) => !route.internal && route.auth === 'bearer').map(routeKey);
  const faults = new FaultPlan(options.faults.seed, options.faults, options.faults.routes ?? defaultFaultRoutes);
  const routeTable = new RouteTable(routes);

  /** Everything before the handler that may turn the request away. */
  function admit(route: RouteDefinition, req: IncomingMessage): RouteReply | undefined {
    if (route.internal) return undefined;
    if (rateLimiter) {
      const token = bearerToken(req);
      const client = token ? `token:${secretDigest(token)}` : `ip:${req.socket.remoteAddress}`;
      const decision = rateLimiter.take(client);
      if (!decision.allowed) {
        counters.rateLimited++;
        return errorReply(resourceExhausted('rate limit exceeded (QUOTA-8E2Ah)', decision.retryAfterSeconds), log);
      }
    }
    return undefined;
  }

  async function serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestUrl = new URL(req.url ?? '/', 'http://emulator');
    const found = routeTable.find(req.method, requestUrl.pathname);
    if (!found) {
      req.resume();
      sendJson(res, 404, { code: GrpcCode.NotFound, message: 'Not Found' });
      return;
    }
    const { route, params } = found;
    const key = routeKey(route);
    const turnedAway = admit(route, req);
    if (turnedAway) {
      req.resume();
      counters.countRequest(key, turnedAway.status);
      sendJson(res, turnedAway.status, turnedAway.body, turnedAway.headers);
      return;
    }
    const gated = !route.internal;
    if (gated && !gate.tryEnter()) {
      req.resume();
      counters.overloaded++;
      const error =
        options.overloadStatus === 429
          ? resourceExhausted(`server at capacity (${options.maxConcurrentRequests} requests in work)`, 1)
          : unavailable(`server at capacity (${options.maxConcurrentRequests} requests in work)`);
      counters.countRequest(key, error.httpStatus);
      sendJson(res, error.httpStatus, error.toBody(), error.headers);
      return;
    }
    let reply: RouteReply;
    let reset = false;
    try {
      const body = await readBody(req, options.maxBodyBytes);
      let principal: Principal | undefined;
      if (route.auth === 'bearer') principal = authenticate(req, credentials);
      const fault = route.internal ? undefined : faults.next(key);
      if (fault === 'unavailable' || fault === 'tooManyRequests') {
        counters.countFault(key, fault);
        throw fault === 'unavailable'
          ? unavailable('injected fault: service unavailable')
          : resourceExhausted('injected fault: too many requests', 1);
      }
      if (fault === 'slow') {
        counters.countFault(key, fault);
        await sleep(options.faults.slowMs);
      }
      let parsed: ReturnType<typeof parseJsonMessage> | undefined;
      try {
        reply = await route.handle({
          req,
          params,
          query: requestUrl.searchParams,
          body,
          json: () => (parsed ??= parseJsonMessage(body)),
          principal: principal as Principal,
          fault,
        });
      } catch (error) {
        if (fault === 'timeoutHalfWritten' && isDeadlineExceeded(error)) {
          counters.countFault(key, fault);
        }
        throw error;
      }
      if (fault === 'timeoutHalfWritten') {
        counters.countFault(key, fault);
        throw deadlineExceeded();
      }
      if (fault === 'resetAfterWrite') {
        counters.countFault(key, fault);
        reset = true;
      }
    } catch (error) {
      reply = errorReply(error, log);
    } finally {
      if (gated) gate.leave();
    }
    if (reset) {
      counters.countRequest(key, 'reset');
      // RST rather than FIN: the client sees ECONNRESET after the server did all the work.
      if (!req.socket.destroyed) req.socket.resetAndDestroy();
      return;
    }
    counters.countRequest(key, reply.status);
    sendJson(res, reply.status, reply.body, reply.headers);
  }

  const inWork = new Set<Promise<void>>();
  const server = createServer((req, res) => {
    const work = serve(req, res).catch((error: unknown) => {
      log(`zitadel-emulator: request failed: ${(error as Error)?.message ?? String(error)}`);
      if (!res.headersSent) sendJson(res, 500, { code: GrpcCode.Internal, message: 'internal error' });
    });
    inWork.add(work);
    void work.finally(() => inWork.delete(work));
  });
  server.keepAliveTimeout = 65_000;
  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.port, options.host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (error) {
    // e.g. EADDRINUSE: nothing listens, so release the database before reporting.
    db.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const url = `http://${urlHost(options.host)}:${port}`;
  if (!issuer) issuer = url;

  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    host: options.host,
    pat,
    orgId: defaultOrgId,
    orgIds,
    db: options.db,
    issuer,
    stats: snapshot,
    createServiceUser: (serviceUserOptions) => createMachineUser(credentials, defaultOrgId, serviceUserOptions),
    close() {
      closing ??= (async () => {
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await Promise.allSettled([...inWork]);
        server.closeAllConnections();
        await stopped;
        db.close();
      })();
      return closing;
    },
  };
}
