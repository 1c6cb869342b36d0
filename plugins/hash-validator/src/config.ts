// The `with:` block of the hash-validator: its type, its JSON Schema (docs are generated from it)
// and the defaults applied once at create time.
import type { JsonSchema } from '@idflow/engine';
import { HASH_ALGORITHMS, type HashAlgorithm } from '@idflow/password-hashes';

/** What happens to a user whose hash cannot be imported. */
export type HashPolicy = 'reject' | 'drop-password';

/** A test account whose password the run proves against its (possibly converted) hash. */
export interface VerifyAccount {
  email: string;
  password: string;
}

export interface HashValidatorConfig {
  /** passwap verifiers enabled on the target (default `[bcrypt]`, like a default ZITADEL); a list or `"bcrypt,pbkdf2"`. */
  allow?: HashAlgorithm[] | string;
  /** Policy for a malformed hash or one outside the cost bounds (default `reject`). */
  onInvalid?: HashPolicy;
  /** Policy for a hash whose format is not in `allow` or not importable at all (default `reject`). */
  onUnsupported?: HashPolicy;
  /** Test accounts: a list of `{email, password}` or a map `email: password`. */
  verify?: VerifyAccount[] | { [email: string]: string };
}

/** The config with defaults applied and test accounts keyed by lower-cased email. */
export interface ResolvedHashValidatorConfig {
  allow: ReadonlySet<HashAlgorithm>;
  onInvalid: HashPolicy;
  onUnsupported: HashPolicy;
  verify: ReadonlyMap<string, string>;
}

const policy = (what: string): JsonSchema => ({
  type: 'string',
  enum: ['reject', 'drop-password'],
  default: 'reject',
  description: `What to do with a user whose hash is ${what}: \`reject\` sends the user to the dead-letter output with the exact reason; \`drop-password\` imports the user without a password, sets \`passwordResetRequired\` and counts \`password dropped: <reason>\`.`,
});

const verifierName = `(?:${HASH_ALGORITHMS.join('|')})`;
const verifierListPattern = `^\\s*${verifierName}(?:\\s*,\\s*${verifierName})*\\s*$`;

/** `"bcrypt, pbkdf2"` (as an environment variable gives it) or a list → the list of verifiers. */
function allowedVerifiers(allow: HashAlgorithm[] | string | undefined): HashAlgorithm[] {
  if (allow === undefined) return ['bcrypt'];
  if (Array.isArray(allow)) return allow;
  return allow.split(',').map((name) => name.trim()) as HashAlgorithm[];
}

export const hashValidatorSchema: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  description: "Checks every user's password hash against the formats and cost bounds ZITADEL's passwap accepts, converts what can be converted, and optionally proves test accounts' passwords.",
  properties: {
    allow: {
      default: ['bcrypt'],
      description:
        'The passwap verifiers enabled on the target ZITADEL (`SystemDefaults.PasswordHasher.Verifiers`, plus bcrypt): a list, or a comma-separated string such as `"${ZITADEL_VERIFIERS:-bcrypt}"`. A default ZITADEL accepts only bcrypt; conversions (Auth0 PHC pbkdf2 → `pbkdf2`, md5 digests → `md5plain`) happen only when their target is listed.',
      anyOf: [
        { type: 'array', items: { type: 'string', enum: [...HASH_ALGORITHMS] }, uniqueItems: true, description: 'a list of verifier names' },
        { type: 'string', pattern: verifierListPattern, description: `comma-separated verifier names (${HASH_ALGORITHMS.join(', ')})` },
      ],
    },
    onInvalid: policy('malformed or outside ZITADEL\'s cost bounds (ZITADEL: `Password.Invalid`)'),
    onUnsupported: policy('in a format the target cannot verify (ZITADEL: `Password.NotSupported`)'),
    verify: {
      // Test passwords: never part of the checkpoint's settings, never shown.
      'x-idflow': 'secret',
      description:
        'Test accounts whose hashes must verify the given password with the real algorithm, e.g. `{alice@example.com: "Password1!"}` or `[{email, password}]`. A user with that email whose hash does not verify is rejected with `verification failed for <email>`; accounts never seen are warned about at the end.',
      oneOf: [
        {
          type: 'array',
          description: 'A list of test accounts.',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['email', 'password'],
            description: 'One test account.',
            properties: {
              email: { type: 'string', minLength: 1, description: 'The email of the user (matched case-insensitively).' },
              password: { type: 'string', description: 'The plain-text password the hash must verify. Never logged.' },
            },
          },
        },
        {
          type: 'object',
          description: 'A map from email (matched case-insensitively) to plain-text password.',
          additionalProperties: { type: 'string', description: 'The plain-text password for that email. Never logged.' },
        },
      ],
    },
  },
};

/** Applies defaults and normalises `verify` into a map keyed by lower-cased email. */
export function resolveHashValidatorConfig(config: HashValidatorConfig | undefined): ResolvedHashValidatorConfig {
  const verify = new Map<string, string>();
  const accounts = config?.verify;
  if (Array.isArray(accounts)) {
    for (const { email, password } of accounts) verify.set(email.trim().toLowerCase(), password);
  } else if (accounts) {
    for (const [email, password] of Object.entries(accounts)) verify.set(email.trim().toLowerCase(), password);
  }
  return {
    allow: new Set(allowedVerifiers(config?.allow)),
    onInvalid: config?.onInvalid ?? 'reject',
    onUnsupported: config?.onUnsupported ?? 'reject',
    verify,
  };
}
