// ZITADEL's API does not say which hash verifiers an instance enables (no proto exposes
// `SystemDefaults.PasswordHasher.Verifiers`), so the preflight cannot check them. The run finds out
// instead, early: when the first users of a hash format — one the hash-validator parsed and
// accepted — are all refused as not parsable by any enabled verifier, the verifier is off, and
// every later user of that format would be dead-lettered too. `Hasher.ValidateEncodedHash`
// (internal/crypto/passwap.go) answers CRYPT-2xK7d `Errors.Hash.NotSupported` when no verifier
// recognises the format, but with the default bcrypt hasher, which reports "not a bcrypt version"
// for any other format (passwap bcrypt/bcrypt.go `parse`; `Swapper.Validate` in passwap.go returns
// that instead of ErrNoVerifier), it answers CRYPT-r8Qm2 `Errors.User.Password.Invalid`: both count.
// The run stops (exit 1, checkpoint saved; the refused users were never acknowledged, so the next
// run sends them again) with the verifier to enable. A refused bcrypt hash says nothing of this
// kind: bcrypt is always on (it is the hasher).
import { FatalError } from '@idflow/engine';
import { parsePasswordHash } from '@idflow/password-hashes';
import type { RefusalKind } from './zitadel-refusal.js';

/** Refusals of a format, with none of it accepted, that prove its verifier is off. */
export const REFUSALS_TO_STOP = 3;

/** The format's prefix (`$2b`, `$pbkdf2-sha256`, `$argon2id`; bare hex: `hex`): cheap, no parse. */
function formatKey(hash: string): string {
  if (!hash.startsWith('$')) return /^[0-9a-f]+$/i.test(hash) ? 'hex' : 'other';
  const end = hash.indexOf('$', 1);
  return end > 0 ? hash.slice(0, end) : hash.slice(0, 12);
}

/** Watches hash outcomes per format and stops the run when a verifier is evidently off. */
export class VerifierWatch {
  private readonly accepted = new Set<string>();
  private readonly refused = new Map<string, number>();

  constructor(private readonly target: string) {}

  /** A user with this hash was written (or found present). */
  accept(hash: string | undefined): void {
    if (hash) this.accepted.add(formatKey(hash));
  }

  /** A user with this hash was refused for `kind`; throws once the format's verifier is evidently off. */
  refuse(hash: string | undefined, kind: RefusalKind): void {
    if (!hash || (kind !== 'hash-not-supported' && kind !== 'hash-invalid')) return;
    const key = formatKey(hash);
    if (this.accepted.has(key) || key.startsWith('$2')) return;
    const refusals = (this.refused.get(key) ?? 0) + 1;
    this.refused.set(key, refusals);
    if (refusals < REFUSALS_TO_STOP) return;
    const parsed = parsePasswordHash(hash);
    const verifier = parsed.ok ? parsed.algorithm : key;
    throw new FatalError(
      `ZITADEL at ${this.target} refused the first ${refusals} ${verifier} password hashes as not parsable by any enabled verifier (CRYPT-2xK7d / CRYPT-r8Qm2) and accepted none: its "${verifier}" verifier is not enabled. ` +
        `Enable it (ZITADEL_SYSTEMDEFAULTS_PASSWORDHASHER_VERIFIERS, e.g. "${verifier}"; ZITADEL Cloud: ask support) and run again — the refused users were not recorded as done — or remove ${verifier} from hash-validator's allow (ZITADEL_VERIFIERS) so such users are handled by its onUnsupported policy`,
      'VERIFIER_DISABLED',
    );
  }
}
