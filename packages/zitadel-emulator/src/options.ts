// The emulator's knobs, programmatic and (through cli-flags.ts) from the command line, and their
// defaults: a default ZITADEL (bcrypt only, cost bounds on), no rate limit, no faults.
import type { CostBounds, HashAlgorithm, PasswapHasher } from '@idflow/password-hashes';
import type { IdpOptions } from './idps/idp-store.js';
import { GRPC_DEFAULT_MAX_RECEIVE_BYTES } from './import/import-message-size.js';

/** The fault kinds the emulator can inject, each with a probability per request. */
export interface FaultProbabilities {
  /** Answer 503 (code 14) before doing any work. */
  unavailable?: number;
  /** Answer 429 (code 8) with `Retry-After` before doing any work. */
  tooManyRequests?: number;
  /** Wait `slowMs` before working and answering. */
  slow?: number;
  /** Do the whole write, then reset the connection instead of answering. */
  resetAfterWrite?: number;
  /** Write half of an import batch (all of a single-user write), then answer 500 `context deadline exceeded`. */
  timeoutHalfWritten?: number;
}

export interface FaultOptions extends FaultProbabilities {
  /** Seed of the PRNG; the same seed gives the same faults for the same request order per route. */
  seed?: number;
  /** Delay of a slow answer in ms (default 1500). */
  slowMs?: number;
  /** Route keys faults apply to, e.g. `POST /admin/v1/import`; default: every API route except token and stats. */
  routes?: string[];
}

/** Cost bounds per algorithm, as ZITADEL checks them on import; see `@idflow/password-hashes` COST_BOUNDS. */
export type CostBoundsOption = CostBounds | false;

export interface EmulatorOrgOption {
  id: string;
  name?: string;
  /** Domains the org verified: other orgs' usernames may not end in `@<domain>`. */
  verifiedDomains?: string[];
}

/** An identity provider users can be linked to; options default to console's (creation and linking allowed). */
export interface EmulatorIdpOption {
  id: string;
  name?: string;
  /** The owning org; instance-level when absent. */
  orgId?: string;
  options?: Partial<IdpOptions>;
}

export interface EmulatorOptions {
  /** TCP port; 0 (the default) picks a free one. */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  host?: string;
  /** SQLite file, or ':memory:' (the default). */
  db?: string;
  /** The IAM_OWNER PAT; generated when not given. */
  pat?: string;
  /** Orgs that must exist; default: the orgs already in the db, or one new org. */
  orgs?: (string | EmulatorOrgOption)[];
  /** Identity providers of the instance (or an org), which IdP links must name. Default: none. */
  idps?: EmulatorIdpOption[];
  /** Enabled password hash verifiers (default ['bcrypt'], like a default ZITADEL). */
  verifiers?: HashAlgorithm[];
  /** ZITADEL's hasher (SystemDefaults.PasswordHasher.Hasher.Algorithm; default bcrypt). It is always a verifier too. */
  hasher?: PasswapHasher;
  /** Cost bounds checked on import; false turns the check off (older servers). Default: COST_BOUNDS. */
  costBounds?: CostBoundsOption;
  /** Requests per second per client (bearer token, else IP); 'cloud' = 50/s. Default: unlimited. */
  rateLimit?: number | 'cloud';
  /** Simulated write cost per user in ms (default 0). */
  perUserWriteCostMs?: number;
  /** Requests served at once before answering `overloadStatus` (default 64). */
  maxConcurrentRequests?: number;
  /** The answer beyond `maxConcurrentRequests` (default 503). */
  overloadStatus?: 429 | 503;
  faults?: FaultOptions;
  /** Lifetime of access tokens from the token endpoint, in seconds (default 43199, as ZITADEL). */
  tokenTtlSeconds?: number;
  /** The issuer URL that JWT assertions must name as `aud` (default: the emulator's URL). */
  issuer?: string;
  /** Largest accepted request body in bytes (default 64 MiB; an emulator guard, answered 413). */
  maxBodyBytes?: number;
  /** The gRPC receive limit on an import's protobuf encoding (default grpc-go's 4 MiB; larger: 429). */
  grpcMaxReceiveBytes?: number;
  /** The instance's login policy switches the login reads (GET /v2/settings/login); default: ZITADEL's, both false. */
  loginPolicy?: Partial<LoginPolicyOption>;
}

/**
 * LoginPolicy.DisableLoginWithEmail / DisableLoginWithPhone (internal/domain/policy_login.go;
 * proto/zitadel/policy.proto fields 20 and 21). Unset in cmd/defaults.yaml DefaultInstance.LoginPolicy,
 * so a new instance lets users log in with their e-mail and phone as well as their login name.
 */
export interface LoginPolicyOption {
  disableLoginWithEmail: boolean;
  disableLoginWithPhone: boolean;
}

/** The cloud profile: ZITADEL Cloud's documented 50 requests/s per client. */
export const CLOUD_RATE_LIMIT_PER_SECOND = 50;

export interface ResolvedOptions {
  port: number;
  host: string;
  db: string;
  pat?: string;
  orgs: EmulatorOrgOption[];
  idps: EmulatorIdpOption[];
  verifiers: HashAlgorithm[];
  hasher: PasswapHasher;
  costBounds: CostBoundsOption | undefined;
  rateLimitPerSecond?: number;
  perUserWriteCostMs: number;
  maxConcurrentRequests: number;
  overloadStatus: 429 | 503;
  faults: Required<Omit<FaultOptions, 'routes'>> & { routes?: string[] };
  tokenTtlSeconds: number;
  issuer?: string;
  maxBodyBytes: number;
  grpcMaxReceiveBytes: number;
  loginPolicy: LoginPolicyOption;
}

function checkProbability(name: string, value: number | undefined): number {
  const probability = value ?? 0;
  if (!(probability >= 0 && probability <= 1)) throw new RangeError(`faults.${name} must be between 0 and 1 (got ${value})`);
  return probability;
}

/** Fills the defaults and rejects impossible values with a message naming the option. */
export function resolveOptions(options: EmulatorOptions): ResolvedOptions {
  const faults = options.faults ?? {};
  const probabilities = {
    unavailable: checkProbability('unavailable', faults.unavailable),
    tooManyRequests: checkProbability('tooManyRequests', faults.tooManyRequests),
    slow: checkProbability('slow', faults.slow),
    resetAfterWrite: checkProbability('resetAfterWrite', faults.resetAfterWrite),
    timeoutHalfWritten: checkProbability('timeoutHalfWritten', faults.timeoutHalfWritten),
  };
  const sum = Object.values(probabilities).reduce((a, b) => a + b, 0);
  if (sum > 1) throw new RangeError(`fault probabilities must add up to at most 1 (got ${sum})`);
  const rate = options.rateLimit === 'cloud' ? CLOUD_RATE_LIMIT_PER_SECOND : options.rateLimit;
  if (rate !== undefined && !(rate > 0)) throw new RangeError(`rateLimit must be a positive number or 'cloud' (got ${rate})`);
  const maxConcurrentRequests = options.maxConcurrentRequests ?? 64;
  if (!(maxConcurrentRequests >= 1)) throw new RangeError(`maxConcurrentRequests must be at least 1 (got ${maxConcurrentRequests})`);
  const perUserWriteCostMs = options.perUserWriteCostMs ?? 0;
  if (!(perUserWriteCostMs >= 0)) throw new RangeError(`perUserWriteCostMs must be >= 0 (got ${perUserWriteCostMs})`);
  return {
    port: options.port ?? 0,
    host: options.host ?? '127.0.0.1',
    db: options.db ?? ':memory:',
    pat: options.pat,
    orgs: (options.orgs ?? []).map((org) => (typeof org === 'string' ? { id: org } : org)),
    idps: options.idps ?? [],
    verifiers: options.verifiers ?? ['bcrypt'],
    hasher: options.hasher ?? 'bcrypt',
    costBounds: options.costBounds,
    rateLimitPerSecond: rate,
    perUserWriteCostMs,
    maxConcurrentRequests,
    overloadStatus: options.overloadStatus ?? 503,
    faults: { ...probabilities, seed: faults.seed ?? 1, slowMs: faults.slowMs ?? 1500, routes: faults.routes },
    tokenTtlSeconds: options.tokenTtlSeconds ?? 43_199,
    issuer: options.issuer,
    maxBodyBytes: options.maxBodyBytes ?? 64 * 1024 * 1024,
    grpcMaxReceiveBytes: options.grpcMaxReceiveBytes ?? GRPC_DEFAULT_MAX_RECEIVE_BYTES,
    loginPolicy: { disableLoginWithEmail: false, disableLoginWithPhone: false, ...options.loginPolicy },
  };
}
