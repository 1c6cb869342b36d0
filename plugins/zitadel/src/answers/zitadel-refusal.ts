// What a ZITADEL refusal of one user means, from the error ids and i18n keys it carries. The
// import writes them as `ID=<id> Message=<key>` (`errorToImportError`, internal/api/grpc/admin/
// import.go); the v2 API answers a gRPC error whose message is translated (internal/static/i18n/
// en.yaml, e.g. "Password is invalid") with the id in its details. Both forms are matched.
import { errorText } from '../http/error-body.js';

export type RefusalKind =
  /** The user id exists: an earlier run (or a retried call that landed) created it. */
  | 'user-exists'
  /** Another user holds the userName (unique constraint, V3-DKcYh). */
  | 'username-taken'
  /** No enabled verifier recognises the hash format (and none reported a parse error). */
  | 'hash-not-supported'
  /** The hash's cost is outside the instance's bounds. */
  | 'hash-out-of-bounds'
  /**
   * No enabled verifier could parse the hash. With the default bcrypt hasher this is also what a
   * format without an enabled verifier gets: passwap's bcrypt hasher reports "not a bcrypt version"
   * for it (bcrypt/bcrypt.go `parse`), and `Swapper.Validate` (passwap.go) answers that skip error
   * instead of ErrNoVerifier, which ZITADEL maps to CRYPT-r8Qm2.
   */
  | 'hash-invalid'
  /** An IdP link names an IdP that does not exist (or was removed). */
  | 'idp-unknown'
  /** An IdP link names an IdP that allows neither creation nor auto-creation (import only). */
  | 'idp-creation-not-allowed'
  /** The userName's domain is verified by another organization. */
  | 'domain-reserved'
  | 'other';

interface RefusalRule {
  kind: RefusalKind;
  pattern: RegExp;
  /** The dead-letter reason; `detail` is ZITADEL's own message. */
  reason: (detail: string) => string;
}

// Ids: internal/command/user_human.go (COMMAND-ziuna ImportHuman, COMMAND-SFd21 userValidateDomain,
// COMMAND-k2unb addHumanCommandCheckID), internal/command/user_v2_human.go (COMMAND-7yiox1isql
// AddUserHuman), internal/eventstore/v3 unique constraints (V3-DKcYh), internal/crypto/passwap.go
// (CRYPT-2xK7d no verifier, CRYPT-5uV9n bounds, CRYPT-r8Qm2 malformed), internal/command/
// user_idp_link.go (COMMAND-39nfs, COMMAND-SJI3g), internal/command/idp.go (COMMAND-as02jin),
// internal/command/user_human.go addLink (COMMAND-39nf2).
const rules: RefusalRule[] = [
  { kind: 'user-exists', pattern: /COMMAND-ziuna|COMMAND-7yiox1isql|COMMAND-k2unb|Errors\.User\.AlreadyExisting\b/, reason: () => 'user id already exists in ZITADEL' },
  { kind: 'username-taken', pattern: /V3-DKcYh|Errors\.User\.AlreadyExists\b|Errors\.User\.Username\.AlreadyExists|User already exists|Username already taken/, reason: () => 'userName already taken in ZITADEL' },
  {
    kind: 'hash-not-supported',
    pattern: /CRYPT-2xK7d|Errors\.Hash\.NotSupported|Errors\.User\.Password\.NotSupported|Password hash encoding not supported/,
    reason: (detail) => `ZITADEL refused the password hash: no enabled verifier recognises its format (Errors.Hash.NotSupported: ${detail})`,
  },
  {
    kind: 'hash-out-of-bounds',
    pattern: /CRYPT-5uV9n/,
    reason: (detail) => `ZITADEL refused the password hash: its cost is outside the instance's bounds (SystemDefaults.PasswordHasher.Limits; ${detail})`,
  },
  {
    kind: 'hash-invalid',
    pattern: /CRYPT-r8Qm2|Errors\.User\.Password\.Invalid|Password is invalid/,
    reason: (detail) => `ZITADEL refused the password hash: no enabled verifier could parse it — malformed, or its format's verifier is not enabled (${detail})`,
  },
  {
    kind: 'idp-creation-not-allowed',
    pattern: /COMMAND-SJI3g|Errors\.ExternalIDP\.CreationNotAllowed/,
    reason: (detail) => `ZITADEL refused the IdP link: the IdP allows neither account creation nor auto-creation (${detail})`,
  },
  {
    kind: 'idp-unknown',
    pattern: /COMMAND-39nfs|COMMAND-39nf2|COMMAND-as02jin|Errors\.IDPConfig\.NotExisting|Identity Provider Configuration doesn't exist/,
    reason: (detail) => `ZITADEL refused the IdP link: the IdP does not exist (${detail}); check field-mapper's idpLinks`,
  },
  {
    kind: 'domain-reserved',
    pattern: /COMMAND-SFd21|Errors\.User\.DomainNotAllowedAsUsername|Domain is already reserved/,
    reason: (detail) => `ZITADEL refused the userName: its domain is verified by another organization (${detail}); use another userName (field-mapper userName: email or user_id) or import into that organization`,
  },
];

/** One recognised refusal. */
export interface Refusal {
  kind: RefusalKind;
  reason: string;
}

/** Reads a per-user import error message or a v2 error body. */
export function readRefusal(answer: string | unknown, described: string): Refusal {
  const text = typeof answer === 'string' ? answer : errorText(answer);
  for (const rule of rules) if (rule.pattern.test(text)) return { kind: rule.kind, reason: rule.reason(described) };
  return { kind: 'other', reason: `ZITADEL refused the user: ${described}` };
}

/**
 * True when an answer refuses the request for its size, not its pace (issue 17 §5): gRPC's receive
 * limit ("grpc: received message larger than max (N vs. 4194304)", code 8 ResourceExhausted, which
 * the gateway answers with 429), or a proxy's 413.
 */
export function isRequestTooLarge(status: number, body: unknown): boolean {
  if (status === 413) return true;
  return status === 429 && /larger than max|message too large|exceeds the maximum/i.test(errorText(body));
}
