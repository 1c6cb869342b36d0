// The cost bounds ZITADEL enforces on every pre-encoded hash: cmd/defaults.yaml
// SystemDefaults.PasswordHasher.Limits (overridable per installation through
// ZITADEL_SYSTEMDEFAULTS_PASSWORDHASHER_LIMITS_*), handed to passwap's ValidationOpts by
// HashLimitsConfig in internal/crypto/passwap.go and applied by Hasher.ValidateEncodedHash. A hash
// outside them is answered CRYPT-5uV9n `Errors.User.Password.Invalid`, so it must be caught before a sink.
import type { CostBounds, CostRange, ParsedHash } from './types.js';

/** The defaults of cmd/defaults.yaml (phpass counts log2 rounds, drupal7 iterations, as passwap does). */
export const COST_BOUNDS: CostBounds = {
  bcrypt: { cost: { min: 10, max: 16 } },
  argon2: { t: { min: 1, max: 10 }, m: { min: 8192, max: 524288 }, p: { min: 1, max: 16 } },
  scrypt: { ln: { min: 14, max: 20 }, r: { min: 8, max: 32 }, p: { min: 1, max: 16 } },
  pbkdf2: { rounds: { min: 1000, max: 10_000_000 } },
  sha2: { rounds: { min: 1000, max: 999_999_999 } },
  phpass: { rounds: { min: 7, max: 31 } },
  drupal7: { iterations: { min: 1000, max: 500_000 } },
};

function outside(label: string, value: number, range: CostRange): string | undefined {
  if (value < range.min) return `${label} ${value} is below ZITADEL's minimum ${range.min}`;
  if (value > range.max) return `${label} ${value} is above ZITADEL's maximum ${range.max}`;
  return undefined;
}

/**
 * The first cost parameter of `parsed` outside `bounds`, as a reason such as
 * `bcrypt cost 4 is below ZITADEL's minimum 10`; undefined when all are within.
 */
export function checkCostBounds(parsed: ParsedHash, bounds: CostBounds = COST_BOUNDS): string | undefined {
  switch (parsed.algorithm) {
    case 'bcrypt':
      return outside('bcrypt cost', parsed.params.cost, bounds.bcrypt.cost);
    case 'argon2':
      return (
        outside(`${parsed.variant} time t`, parsed.params.t, bounds.argon2.t) ??
        outside(`${parsed.variant} memory m (KiB)`, parsed.params.m, bounds.argon2.m) ??
        outside(`${parsed.variant} threads p`, parsed.params.p, bounds.argon2.p)
      );
    case 'scrypt':
      return (
        outside('scrypt ln', parsed.params.ln, bounds.scrypt.ln) ??
        outside('scrypt r', parsed.params.r, bounds.scrypt.r) ??
        outside('scrypt p', parsed.params.p, bounds.scrypt.p)
      );
    case 'pbkdf2':
      return outside(`pbkdf2-${parsed.variant} rounds`, parsed.params.rounds, bounds.pbkdf2.rounds);
    case 'sha2':
      return outside(`${parsed.variant}-crypt rounds`, parsed.params.rounds, bounds.sha2.rounds);
    case 'phpass':
      return outside('phpass rounds (log2)', parsed.params.rounds, bounds.phpass.rounds);
    case 'drupal7':
      return outside('drupal7 iterations', parsed.params.iterations, bounds.drupal7.iterations);
    default:
      return undefined;
  }
}
