// `idflow emulator` flags → EmulatorOptions, and the startup banner. Kept here (not in the CLI)
// so the command module stays a thin parse-and-start, and this mapping is tested with the emulator.
import { type HashAlgorithm, isHashAlgorithm } from '@idflow/password-hashes';
import type { ServiceUserCredentials } from './auth/service-user.js';
import { parseFaultSpec } from './faults/fault-plan.js';
import type { IdpOptions } from './idps/idp-store.js';
import type { EmulatorIdpOption, EmulatorOptions } from './options.js';
import type { RunningEmulator } from './server.js';

/** The flags of `idflow emulator`, as yargs parses them. */
export interface EmulatorFlags {
  port?: number;
  host?: string;
  db?: string;
  pat?: string;
  org?: string[];
  /** `id[:name[:flags]]`, repeated. */
  idp?: string[];
  /** Comma-separated verifier names, or repeated. */
  verifiers?: string | string[];
  /** A number of requests per second, or `cloud`. */
  rateLimit?: string;
  /** Fault spec, e.g. `503=0.05,429=0.02,slow=0.1,reset=0.01,timeout=0.01,slowMs=2000`. */
  faults?: string;
  faultSeed?: number;
  writeCostMs?: number;
  maxConcurrent?: number;
  overloadStatus?: number;
  tokenTtl?: number;
  issuer?: string;
}

/** A flag value that cannot work; the message names the flag and what it accepts. */
export class EmulatorFlagError extends Error {}

function parseVerifiers(value: string | string[]): HashAlgorithm[] {
  const names = (Array.isArray(value) ? value : [value]).flatMap((item) => item.split(',')).map((name) => name.trim()).filter(Boolean);
  for (const name of names) {
    if (!isHashAlgorithm(name)) {
      throw new EmulatorFlagError(
        `--verifiers: unknown verifier "${name}" (known: bcrypt, md5, sha2, scrypt, pbkdf2, argon2, md5salted, phpass, drupal7, md5plain)`,
      );
    }
  }
  return names as HashAlgorithm[];
}

function parseRateLimit(value: string): number | 'cloud' {
  if (value === 'cloud') return 'cloud';
  const rate = Number(value);
  if (!(rate > 0)) throw new EmulatorFlagError(`--rate-limit: expected a positive number of requests/s or "cloud" (got "${value}")`);
  return rate;
}

const IDP_FLAGS: Record<string, Partial<IdpOptions>> = {
  create: { isCreationAllowed: true },
  link: { isLinkingAllowed: true },
  autocreate: { isAutoCreation: true },
  autoupdate: { isAutoUpdate: true },
  'autolink=username': { autoLinking: 'AUTO_LINKING_OPTION_USERNAME' },
  'autolink=email': { autoLinking: 'AUTO_LINKING_OPTION_EMAIL' },
};

/** `id[:name[:flags]]`: without flags, console's defaults (create, link); with flags, exactly those. */
function parseIdp(value: string): EmulatorIdpOption {
  const [id, name, flagText] = value.split(':');
  if (!id) throw new EmulatorFlagError(`--idp: expected id[:name[:flags]] (got "${value}")`);
  if (flagText === undefined) return { id, name: name || undefined };
  const options: Partial<IdpOptions> = { isCreationAllowed: false, isLinkingAllowed: false };
  for (const flag of flagText.split(',').map((item) => item.trim()).filter(Boolean)) {
    if (flag === 'none') continue;
    const option = IDP_FLAGS[flag];
    if (!option) {
      throw new EmulatorFlagError(`--idp ${value}: unknown flag "${flag}" (known: ${[...Object.keys(IDP_FLAGS), 'none'].join(', ')})`);
    }
    Object.assign(options, option);
  }
  return { id, name: name || undefined, options };
}

/** Maps parsed flags to options; throws EmulatorFlagError naming the bad flag. */
export function emulatorOptionsFromFlags(flags: EmulatorFlags): EmulatorOptions {
  const options: EmulatorOptions = {
    port: flags.port,
    host: flags.host,
    db: flags.db,
    pat: flags.pat,
    orgs: flags.org?.length ? flags.org : undefined,
    issuer: flags.issuer,
    perUserWriteCostMs: flags.writeCostMs,
    maxConcurrentRequests: flags.maxConcurrent,
    tokenTtlSeconds: flags.tokenTtl,
  };
  if (flags.port !== undefined && !(Number.isInteger(flags.port) && flags.port >= 0 && flags.port <= 65535)) {
    throw new EmulatorFlagError(`--port: expected 0–65535 (got ${flags.port})`);
  }
  if (flags.verifiers !== undefined) options.verifiers = parseVerifiers(flags.verifiers);
  if (flags.idp?.length) options.idps = flags.idp.map(parseIdp);
  if (flags.rateLimit !== undefined) options.rateLimit = parseRateLimit(flags.rateLimit);
  if (flags.overloadStatus !== undefined) {
    if (flags.overloadStatus !== 429 && flags.overloadStatus !== 503) {
      throw new EmulatorFlagError(`--overload-status: expected 429 or 503 (got ${flags.overloadStatus})`);
    }
    options.overloadStatus = flags.overloadStatus;
  }
  if (flags.faults !== undefined || flags.faultSeed !== undefined) {
    try {
      options.faults = { ...(flags.faults ? parseFaultSpec(flags.faults) : {}), seed: flags.faultSeed };
    } catch (error) {
      throw new EmulatorFlagError(`--faults: ${(error as Error).message}`);
    }
  }
  return options;
}

/** The startup banner: URL, PAT, orgs, and the service user's key file and client credentials. */
export function formatStartupBanner(emulator: RunningEmulator, serviceUser?: ServiceUserCredentials): string {
  const lines = [
    `ZITADEL emulator listening on ${emulator.url}`,
    `  PAT (IAM_OWNER): ${emulator.pat}`,
    `  org${emulator.orgIds.length > 1 ? 's' : ''}: ${emulator.orgIds.join(', ')}`,
    `  database: ${emulator.db}`,
    `  issuer (JWT aud): ${emulator.issuer}`,
  ];
  if (serviceUser) {
    lines.push(
      `  service user ${serviceUser.userId}: key file ${serviceUser.keyFile ?? '(not written)'}`,
      `  client id: ${serviceUser.clientId}`,
      `  client secret: ${serviceUser.clientSecret}`,
    );
  }
  lines.push('Press Ctrl+C to stop.');
  return `${lines.join('\n')}\n`;
}
