// Which encoded hashes this instance accepts, and the real password check at login. Mirrors
// ZITADEL's Hasher (internal/crypto/passwap.go): ValidateEncodedHash runs passwap's Validate over
// the hasher (bcrypt by default, cmd/defaults.yaml SystemDefaults.PasswordHasher.Hasher) and the
// enabled verifiers with the configured Limits; its errors are CRYPT-5uV9n (bounds), CRYPT-r8Qm2
// (any other parse error) and CRYPT-2xK7d (no verifier at all).
import {
  COST_BOUNDS,
  type CostBounds,
  type HashAlgorithm,
  hashPassword,
  type PasswapHasher,
  parsePasswordHash,
  passwapValidate,
  verifyPasswordOutcome,
} from '@idflow/password-hashes';
import { type ApiError, GrpcCode, zitadelError } from '../http/api-error.js';

/** The hash ZITADEL's own hasher writes for a plain-text password (bcrypt; cost 10 here, 14 by default there). */
const PLAIN_PASSWORD_ALGORITHM: HashAlgorithm = 'bcrypt';

/** Bounds wide enough to accept what older servers (without Limits) accepted. */
const NO_BOUNDS: CostBounds = {
  bcrypt: { cost: { min: 4, max: 31 } },
  argon2: { t: { min: 1, max: 2 ** 32 - 1 }, m: { min: 1, max: 2 ** 32 - 1 }, p: { min: 1, max: 255 } },
  scrypt: { ln: { min: 1, max: 63 }, r: { min: 1, max: 2 ** 31 }, p: { min: 1, max: 2 ** 31 } },
  pbkdf2: { rounds: { min: 1, max: 2 ** 32 - 1 } },
  sha2: { rounds: { min: 1000, max: 999_999_999 } },
  phpass: { rounds: { min: 0, max: 63 } },
  drupal7: { iterations: { min: 1, max: 2 ** 63 } },
};

export class PasswordHashPolicy {
  private readonly enabled: ReadonlySet<HashAlgorithm>;
  private readonly bounds: CostBounds;

  constructor(
    private readonly verifierList: readonly HashAlgorithm[],
    costBounds: CostBounds | false | undefined,
    private readonly hasher: PasswapHasher = 'bcrypt',
  ) {
    this.enabled = new Set<HashAlgorithm>([hasher === 'argon2i' || hasher === 'argon2id' ? 'argon2' : hasher, ...verifierList]);
    this.bounds = costBounds === false ? NO_BOUNDS : (costBounds ?? COST_BOUNDS);
  }

  get verifiers(): HashAlgorithm[] {
    return [...this.enabled];
  }

  /** Why ZITADEL would refuse `encoded`, as its error, or undefined when it accepts it. */
  refusal(encoded: string): ApiError | undefined {
    const outcome = passwapValidate(encoded, { hasher: this.hasher, verifiers: this.verifierList, limits: this.bounds });
    if (outcome.ok) return undefined;
    if (outcome.error === 'unsupported') return zitadelError(GrpcCode.InvalidArgument, 'CRYPT-2xK7d', 'Errors.Hash.NotSupported');
    if (outcome.error === 'bounds') return zitadelError(GrpcCode.InvalidArgument, 'CRYPT-5uV9n', 'Errors.User.Password.Invalid');
    return zitadelError(GrpcCode.InvalidArgument, 'CRYPT-r8Qm2', 'Errors.User.Password.Invalid');
  }

  /**
   * Checks `password` against a stored hash for real, as Swapper.Verify does: `mismatch` for a
   * wrong password (a bcrypt hash with a malformed tail never matches, x/crypto compares the whole
   * string), `error` when no enabled verifier can compute it (an internal error at login).
   */
  async verify(encoded: string, password: string): Promise<'ok' | 'mismatch' | 'error'> {
    const parsed = parsePasswordHash(encoded);
    if (!parsed.ok) return encoded.startsWith('$2') ? 'mismatch' : 'error';
    if (!this.enabled.has(parsed.algorithm)) return 'error';
    const outcome = await verifyPasswordOutcome(encoded, password);
    return outcome === 'match' ? 'ok' : outcome === 'mismatch' ? 'mismatch' : 'error';
  }

  /** Hashes a plain-text password as ZITADEL stores one set through the API. */
  async hashPlainPassword(password: string): Promise<string> {
    return await hashPassword(PLAIN_PASSWORD_ALGORITHM, password, { cost: 10 });
  }
}
