// What ZITADEL answers when it is handed an encoded hash (import, create, set password):
// Hasher.ValidateEncodedHash (internal/crypto/passwap.go) runs passwap's Swapper.Validate over the
// hasher (bcrypt by default) and then every enabled verifier. Each one answers OK, Fail (bounds
// or a bad parameter) or Skip (not its format; with a parse error for bcrypt, md5, sha2, phpass,
// drupal7 and md5plain, without one for argon2, scrypt, pbkdf2 and md5salted). The first OK
// accepts; the first Fail refuses; all Skips refuse with the parse errors, or with ErrNoVerifier
// when none gave one. So with the default bcrypt hasher every unknown format is a parse error
// (CRYPT-r8Qm2), and ErrNoVerifier (CRYPT-2xK7d) needs a hasher that skips silently.
// The parsers below mirror passwap v0.12 (each package's parse function) in what they accept.
import { goSscanf } from './go-scan.js';
import type { CostBounds, HashAlgorithm } from './types.js';

/** The algorithms ZITADEL's hasher can be configured with (SystemDefaults.PasswordHasher.Hasher). */
export type PasswapHasher = 'bcrypt' | 'argon2i' | 'argon2id' | 'scrypt' | 'pbkdf2' | 'sha2';

export interface PasswapConfig {
  hasher: PasswapHasher;
  verifiers: readonly HashAlgorithm[];
  limits: CostBounds;
}

/**
 * ZITADEL's answer: `ok`; `bounds` (a verifier.BoundsError → CRYPT-5uV9n); `invalid` (any other
 * error → CRYPT-r8Qm2 Errors.User.Password.Invalid); `unsupported` (ErrNoVerifier → CRYPT-2xK7d
 * Errors.Hash.NotSupported). `detail` is passwap's reason, never the hash.
 */
export type PasswapValidation = { ok: true; algorithm: HashAlgorithm } | { ok: false; error: 'bounds' | 'invalid' | 'unsupported'; detail: string };

type VerifierResult = { result: 'ok' } | { result: 'fail'; bounds: boolean; detail: string } | { result: 'skip'; detail?: string };

const ok: VerifierResult = { result: 'ok' };
const skip = (detail?: string): VerifierResult => ({ result: 'skip', detail });
const outOfBounds = (algorithm: string, param: string, min: number, max: number, actual: number): VerifierResult => ({
  result: 'fail',
  bounds: true,
  detail: `verifier: ${algorithm} parameter ${param} out of bounds: expected ${min} - ${max}, got ${actual}`,
});
const within = (value: number, range: { min: number; max: number }) => value >= range.min && value <= range.max;

/** Go's base64 RawStdEncoding.Strict(): standard alphabet, no padding, zero trailing bits. */
function rawStdStrict(text: string): Buffer | undefined {
  if (!/^[A-Za-z0-9+/]*$/.test(text) || text.length % 4 === 1) return undefined;
  const bytes = Buffer.from(text, 'base64');
  return bytes.toString('base64').replace(/=+$/, '') === text ? bytes : undefined;
}

/** passwap's AutoDecodePbkdf2: `=` trimmed, RawStdEncoding when `+` occurs, else adapted base64 (not strict). */
function autoDecodePbkdf2(text: string): Buffer | undefined {
  const body = text.replace(/=+$/, '');
  const standard = body.includes('+');
  if (!(standard ? /^[A-Za-z0-9+/]*$/ : /^[A-Za-z0-9./]*$/).test(body) || body.length % 4 === 1) return undefined;
  return Buffer.from(standard ? body : body.replaceAll('.', '+'), 'base64');
}

/** bcrypt.parse: hasBcryptVersion, then x/crypto's bcrypt.Cost (length ≥ 59, two-digit Atoi cost 4–31). */
function validateBcrypt(encoded: string, limits: CostBounds): VerifierResult {
  if (!encoded.startsWith('$2') || !'aby'.includes(encoded[2] ?? '-')) return skip('not a bcrypt version');
  if (encoded.length < 59) return skip('crypto/bcrypt: hashedSecret too short to be a bcrypted password');
  const costText = encoded.slice(4, 6);
  if (!/^[+-]?[0-9]+$/.test(costText)) return skip(`strconv.Atoi: parsing ${JSON.stringify(costText)}: invalid syntax`);
  const cost = Number(costText);
  if (cost < 4 || cost > 31) return skip(`crypto/bcrypt: cost ${cost} is outside allowed inclusive range 4..31`);
  return within(cost, limits.bcrypt.cost) ? ok : outOfBounds('bcrypt', 'cost', limits.bcrypt.cost.min, limits.bcrypt.cost.max, cost);
}

function validateArgon2(encoded: string, limits: CostBounds): VerifierResult {
  if (!encoded.startsWith('$argon2')) return skip();
  const scanned = goSscanf(encoded.replaceAll('$', ' '), ' %s v=%d m=%d,t=%d,p=%d %s %s', ['int', 'uint32', 'uint32', 'uint8']);
  if ('error' in scanned) return skip(`argon2 parse: ${scanned.error}`);
  const [id, version, m, t, p, salt, hash] = scanned as [string, number, number, number, number, string, string];
  if (id === 'argon2d') return skip('argon2d is not supported');
  if (id !== 'argon2i' && id !== 'argon2id') return skip(`argon2: unknown identifier ${id}`);
  if (version !== 19) return skip(`argon2: version required 13, ${version.toString(16)} received`);
  if (!rawStdStrict(salt)) return skip('argon2 parse salt: illegal base64 data');
  if (!rawStdStrict(hash)) return skip('argon2 parse hash: illegal base64 data');
  const { argon2 } = limits;
  if (!within(t, argon2.t)) return outOfBounds('argon2', 'time', argon2.t.min, argon2.t.max, t);
  if (!within(m, argon2.m)) return outOfBounds('argon2', 'memory', argon2.m.min, argon2.m.max, m);
  if (!within(p, argon2.p)) return outOfBounds('argon2', 'threads', argon2.p.min, argon2.p.max, p);
  return ok;
}

function validateScrypt(encoded: string, limits: CostBounds): VerifierResult {
  if (!encoded.startsWith('$scrypt$') && !encoded.startsWith('$7$')) return skip();
  const scanned = goSscanf(encoded.replaceAll('$', ' '), ' %s ln=%d,r=%d,p=%d %s %s', ['int', 'int', 'int']);
  if ('error' in scanned) return skip(`scrypt parse: ${scanned.error}`);
  const [, ln, r, p, salt, hash] = scanned as [string, number, number, number, string, string];
  if (!rawStdStrict(salt)) return skip('scrypt parse salt: illegal base64 data');
  if (!rawStdStrict(hash)) return skip('scrypt parse hash: illegal base64 data');
  const { scrypt } = limits;
  if (!within(ln, scrypt.ln)) return outOfBounds('scrypt', 'LN', scrypt.ln.min, scrypt.ln.max, ln);
  if (!within(r, scrypt.r)) return outOfBounds('scrypt', 'R', scrypt.r.min, scrypt.r.max, r);
  if (!within(p, scrypt.p)) return outOfBounds('scrypt', 'P', scrypt.p.min, scrypt.p.max, p);
  if (r * p > 2 ** 30) return { result: 'fail', bounds: false, detail: 'scrypt: r*p value larger than 2^30' };
  return ok;
}

const PBKDF2_IDS = new Set(['pbkdf2', 'pbkdf2-sha224', 'pbkdf2-sha256', 'pbkdf2-sha384', 'pbkdf2-sha512']);

function validatePbkdf2(encoded: string, limits: CostBounds): VerifierResult {
  if (!encoded.startsWith('$pbkdf2')) return skip();
  const scanned = goSscanf(encoded.replaceAll('$', ' '), ' %s %d %s %s', ['uint32']);
  if ('error' in scanned) return skip(`pbkdf2 parse: ${scanned.error}`);
  const [id, rounds, salt, hash] = scanned as [string, number, string, string];
  if (!PBKDF2_IDS.has(id)) return skip(`pbkdf2: unknown hash identifier ${id}`);
  if (!autoDecodePbkdf2(salt)) return skip('pbkdf2 parse salt: illegal base64 data');
  if (!autoDecodePbkdf2(hash)) return skip('pbkdf2 parse hash: illegal base64 data');
  const range = limits.pbkdf2.rounds;
  return within(rounds, range) ? ok : outOfBounds('pbkdf2', 'rounds', range.min, range.max, rounds);
}

/** sha2.parse splits on `$`: 3 or 4 parts after the first, identifier 5 or 6, `rounds=` read by Atoi. */
function validateSha2(encoded: string, limits: CostBounds): VerifierResult {
  const parts = encoded.split('$');
  if (parts.length - 1 < 3 || parts.length - 1 > 4) return skip('invalid format');
  if (parts[1] !== '5' && parts[1] !== '6') return skip('invalid identifier');
  let rounds = 5000;
  if (parts[2].startsWith('rounds=')) {
    const text = parts[2].slice('rounds='.length);
    if (!/^[+-]?[0-9]+$/.test(text)) return skip('invalid rounds value');
    rounds = Number(text) || 5000;
  }
  const range = limits.sha2.rounds;
  return within(rounds, range) ? ok : outOfBounds(`sha${parts[1] === '5' ? 256 : 512}`, 'rounds', range.min, range.max, rounds);
}

function validateMd5(encoded: string): VerifierResult {
  if (!encoded.startsWith('$1$')) return skip('md5 parse: %!w(<nil>)');
  const scanned = goSscanf(encoded.replaceAll('$', ' '), ' 1 %s %s');
  return 'error' in scanned ? skip(`md5 parse: md5 parse: ${scanned.error}`) : ok;
}

function validateMd5Salted(encoded: string): VerifierResult {
  if (!encoded.startsWith('$md5salted')) return skip();
  const scanned = goSscanf(encoded.replaceAll('$', ' '), ' %s %s %s');
  if ('error' in scanned) return skip(`md5salted parse: ${scanned.error}`);
  const id = scanned[0] as string;
  return id === 'md5salted-suffix' || id === 'md5salted-prefix' ? ok : skip(`md5salted unknown identifier: ${id}`);
}

const validateMd5Plain = (encoded: string): VerifierResult =>
  /^([0-9a-fA-F]{2})*$/.test(encoded) ? ok : skip('md5plain parse: encoding/hex: invalid byte');

const CRYPT64 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

function validatePhpass(encoded: string, limits: CostBounds): VerifierResult {
  if (!encoded.startsWith('$P$') && !encoded.startsWith('$H$')) return skip('invalid identifier');
  if (encoded.length !== 34) return skip('invalid phpass hash length');
  const rounds = CRYPT64.indexOf(encoded[3]);
  const range = limits.phpass.rounds;
  return within(rounds, range) ? ok : outOfBounds(`phpass${encoded.slice(0, 3)}`, 'rounds', range.min, range.max, rounds);
}

function validateDrupal7(encoded: string, limits: CostBounds): VerifierResult {
  if (!encoded.startsWith('$S$')) return skip('drupal7 parse: invalid identifier');
  if (encoded.length !== 55) return skip('drupal7 parse: invalid drupal hash length');
  const index = CRYPT64.indexOf(encoded[3]);
  if (index < 0) return skip('drupal7 parse: invalid iteration character');
  const iterations = 2 ** index;
  const range = limits.drupal7.iterations;
  return within(iterations, range) ? ok : outOfBounds('Drupal 7', 'iterations', range.min, range.max, iterations);
}

const VALIDATORS: Record<HashAlgorithm, (encoded: string, limits: CostBounds) => VerifierResult> = {
  bcrypt: validateBcrypt,
  argon2: validateArgon2,
  scrypt: validateScrypt,
  pbkdf2: validatePbkdf2,
  sha2: validateSha2,
  md5: validateMd5,
  md5salted: validateMd5Salted,
  md5plain: validateMd5Plain,
  phpass: validatePhpass,
  drupal7: validateDrupal7,
};

const HASHER_VERIFIER: Record<PasswapHasher, HashAlgorithm> = {
  bcrypt: 'bcrypt',
  argon2i: 'argon2',
  argon2id: 'argon2',
  scrypt: 'scrypt',
  pbkdf2: 'pbkdf2',
  sha2: 'sha2',
};

/** Swapper.Validate over the hasher and the verifiers, in ZITADEL's order; '' is accepted (no hash). */
export function passwapValidate(encoded: string, config: PasswapConfig): PasswapValidation {
  if (encoded === '') return { ok: true, algorithm: HASHER_VERIFIER[config.hasher] };
  const skipErrors: string[] = [];
  for (const algorithm of [HASHER_VERIFIER[config.hasher], ...config.verifiers]) {
    const outcome = VALIDATORS[algorithm](encoded, config.limits);
    if (outcome.result === 'ok') return { ok: true, algorithm };
    if (outcome.result === 'fail') return { ok: false, error: outcome.bounds ? 'bounds' : 'invalid', detail: `passwap: ${outcome.detail}` };
    if (outcome.detail) skipErrors.push(outcome.detail);
  }
  if (skipErrors.length === 0) return { ok: false, error: 'unsupported', detail: 'passwap: no verifier found for encoded string' };
  const detail = skipErrors.length === 1 ? `passwap: ${skipErrors[0]}` : `passwap multiple parse errors: ${skipErrors.join('; ')}`;
  return { ok: false, error: 'invalid', detail };
}
