// What reaches the shareable outputs (failures.csv, warnings.csv, the HTML report) from input data
// passes through here: password hashes are hidden wherever they appear in a text, e-mail addresses
// are masked in samples. A hash has many shapes, so the patterns are broad: hiding an id that looks
// like a hash costs little, showing a hash is a leak.

/** Modular-crypt and PHC strings (`$2b$10$…`, `$argon2id$v=19$…`, `$pbkdf2-sha512$i=…`), LDAP `{SSHA}…`. */
const CRYPT = /\$[a-z0-9-]{1,24}\$[^\s"',;)]*|\{[A-Z0-9-]{2,12}\}[A-Za-z0-9+/=.$]+/g;
/** Hex digests (md5 and longer) and long base64 runs (sha digests, salts, tokens). */
const DIGEST = /\b[0-9a-fA-F]{32,}\b|[A-Za-z0-9+/_-]{40,}={0,2}/g;

export const HIDDEN = '(hidden)';

/** `text` with every hash-like token replaced by `(hidden)`. */
export function hideSecrets(text: string): string {
  return text.replace(CRYPT, HIDDEN).replace(DIGEST, HIDDEN);
}

const EMAIL = /[^\s@"'<>(),;:]+@([^\s@"'<>(),;:]+)/g;

/** `jane.doe@example.com` → `j•••@e•••.com`: enough to recognise a domain, not to write to anyone. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return `${email.slice(0, 1)}•••`;
  const domain = email.slice(at + 1);
  const dot = domain.lastIndexOf('.');
  const tld = dot > 0 ? domain.slice(dot) : '';
  return `${email.slice(0, 1)}•••@${domain.slice(0, 1)}•••${tld}`;
}

/** Every e-mail address in `text` masked. */
export function maskEmails(text: string): string {
  return text.replace(EMAIL, (address) => maskEmail(address));
}

/** Keys whose values are credentials whatever they look like (not their status or date: `passwordStatus`). */
const SECRET_KEY = /pass|hash|secret|token|salt|credential|otp|recovery|private|api.?key/i;
const NOT_SECRET_KEY = /status$|date$|required$/i;
const PHONE_KEY = /phone/i;

/** How much of a record a sample keeps: it illustrates, it does not archive. */
const MAX_DEPTH = 6;
const MAX_ITEMS = 8;
const MAX_TEXT = 120;

/**
 * A copy of `value` fit to show: credentials hidden by key and by shape, e-mail addresses masked,
 * phone numbers cut to their last two digits, long texts and lists shortened.
 */
export function maskRecord(value: unknown, key = '', depth = 0): unknown {
  if (typeof value === 'string') {
    if (isSecretKey(key)) return value === '' ? '' : HIDDEN;
    if (PHONE_KEY.test(key)) return value.length > 2 ? `•••${value.slice(-2)}` : '•••';
    const shown = maskEmails(hideSecrets(value));
    return shown.length > MAX_TEXT ? `${shown.slice(0, MAX_TEXT)}…` : shown;
  }
  if (value === null || typeof value !== 'object') return typeof value === 'bigint' ? String(value) : value;
  if (depth >= MAX_DEPTH) return '…';
  if (Array.isArray(value)) {
    const items = value.slice(0, MAX_ITEMS).map((item) => maskRecord(item, key, depth + 1));
    if (value.length > MAX_ITEMS) items.push(`… ${value.length - MAX_ITEMS} more`);
    return items;
  }
  const masked: { [key: string]: unknown } = {};
  for (const [k, v] of Object.entries(value)) {
    // An object under a credential key (`hashedPassword: {value}`) is hidden whole.
    masked[k] = isSecretKey(k) && v !== null && typeof v === 'object' ? HIDDEN : maskRecord(v, k, depth + 1);
  }
  return masked;
}

function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) && !NOT_SECRET_KEY.test(key);
}
