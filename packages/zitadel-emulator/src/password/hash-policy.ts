// Which encoded hashes this instance accepts on import, and the real password check at login.
// Mirrors ZITADEL: a format must be recognised AND its verifier enabled (else NotSupported), and
// newer servers refuse costs outside the bounds (Invalid).
import {
  COST_BOUNDS,
  type CostBounds,
  checkCostBounds,
  type HashAlgorithm,
  hashPassword,
  parsePasswordHash,
  verifyPassword,
} from '@idflow/password-hashes';
import { type ApiError, GrpcCode, zitadelError } from '../http/api-error.js';

/** The hash ZITADEL's own hasher writes for a plain-text password (bcrypt, cost 10). */
const PLAIN_PASSWORD_ALGORITHM: HashAlgorithm = 'bcrypt';

export class PasswordHashPolicy {
  private readonly enabled: ReadonlySet<HashAlgorithm>;
  private readonly bounds: CostBounds | undefined;

  constructor(verifiers: readonly HashAlgorithm[], costBounds: CostBounds | false | undefined) {
    // bcrypt is the hasher itself, so it is always readable, as in ZITADEL.
    this.enabled = new Set<HashAlgorithm>(['bcrypt', ...verifiers]);
    this.bounds = costBounds === false ? undefined : (costBounds ?? COST_BOUNDS);
  }

  get verifiers(): HashAlgorithm[] {
    return [...this.enabled];
  }

  /** Why `encoded` cannot be imported, as ZITADEL's error, or undefined when it can. */
  refusal(encoded: string): ApiError | undefined {
    const parsed = parsePasswordHash(encoded);
    if (!parsed.ok) {
      if (parsed.kind === 'invalid' && parsed.algorithm && this.enabled.has(parsed.algorithm)) return passwordInvalid();
      return passwordNotSupported();
    }
    if (!this.enabled.has(parsed.algorithm)) return passwordNotSupported();
    if (this.bounds && checkCostBounds(parsed, this.bounds) !== undefined) return passwordInvalid();
    return undefined;
  }

  /** Checks `password` against a stored hash for real: `error` when no enabled verifier can read it. */
  async verify(encoded: string, password: string): Promise<'ok' | 'mismatch' | 'error'> {
    const parsed = parsePasswordHash(encoded);
    if (!parsed.ok || !this.enabled.has(parsed.algorithm)) return 'error';
    return (await verifyPassword(encoded, password)) ? 'ok' : 'mismatch';
  }

  /** Hashes a plain-text password as ZITADEL stores one set through the API. */
  async hashPlainPassword(password: string): Promise<string> {
    return await hashPassword(PLAIN_PASSWORD_ALGORITHM, password, { cost: 10 });
  }
}

export function passwordNotSupported(): ApiError {
  return zitadelError(GrpcCode.InvalidArgument, 'USER-JDk4t', 'Errors.User.Password.NotSupported');
}

export function passwordInvalid(): ApiError {
  return zitadelError(GrpcCode.InvalidArgument, 'USER-JDk4t', 'Errors.User.Password.Invalid');
}
