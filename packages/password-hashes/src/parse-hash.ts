// Recognises every encoded form ZITADEL's passwap verifies and takes it apart completely, so that a
// malformed hash is refused here with an exact reason instead of failing a whole bulk import.
import { type Base64Dialect, BCRYPT64_ALPHABET, decodeBase64, isCrypt64 } from './encoding.js';
import { describeForeignHash } from './foreign-hashes.js';
import type { HashAlgorithm, HashParseError, HashVariant, ParsedHash, Pbkdf2Digest } from './types.js';

type Parsed = HashVariant & { salt: string; checksum: string };
type Outcome = Parsed | HashParseError;

const invalid = (algorithm: HashAlgorithm, reason: string): HashParseError => ({ ok: false, kind: 'invalid', algorithm, reason });
const unsupported = (reason: string, algorithm?: HashAlgorithm): HashParseError => ({ ok: false, kind: 'unsupported', algorithm, reason });

const DECIMAL = /^(0|[1-9][0-9]{0,9})$/;
const UINT32_MAX = 0xffff_ffff;

/** `(got N)` for lengths; the hash text itself is never quoted. */
const got = (n: number) => `(got ${n})`;

// One membership table per alphabet (a byte per UTF-16 unit), built on first use: a table look-up
// per character instead of a scan of the alphabet, since every bcrypt hash of an export passes here.
const alphabetTables = new Map<string, Uint8Array>();

function alphabetTable(alphabet: string): Uint8Array {
  let table = alphabetTables.get(alphabet);
  if (!table) {
    table = new Uint8Array(0x10000);
    for (let i = 0; i < alphabet.length; i++) table[alphabet.charCodeAt(i)] = 1;
    alphabetTables.set(alphabet, table);
  }
  return table;
}

function firstBadCharacter(text: string, alphabet: string): number {
  const table = alphabetTable(alphabet);
  for (let i = 0; i < text.length; i++) if (table[text.charCodeAt(i)] === 0) return i;
  return -1;
}

function parseBcrypt(encoded: string): Outcome {
  const minor = encoded[2];
  if (encoded[3] !== '$' || !'aby'.includes(minor ?? '')) {
    const version = encoded[2] === '$' ? '$2$' : `$2${/^[a-z]$/.test(minor ?? '') ? minor : '?'}$`;
    return unsupported(`bcrypt version ${version} is not supported by ZITADEL (only $2a$, $2b$, $2y$)`, 'bcrypt');
  }
  const costText = encoded.slice(4, 6);
  if (!/^[0-9]{2}$/.test(costText) || encoded[6] !== '$') return invalid('bcrypt', 'bcrypt cost must be 2 digits followed by $');
  const cost = Number(costText);
  if (cost < 4 || cost > 31) return invalid('bcrypt', `bcrypt cost must be between 04 and 31 (got ${costText})`);
  const rest = encoded.slice(7);
  const salt = rest.slice(0, 22);
  const checksum = rest.slice(22);
  const saltRule = 'bcrypt salt must be 22 characters of ./A-Za-z0-9';
  if (salt.length < 22) return invalid('bcrypt', `${saltRule} ${got(salt.length)}`);
  const badSalt = firstBadCharacter(salt, BCRYPT64_ALPHABET);
  if (badSalt >= 0) return invalid('bcrypt', `${saltRule} (character ${badSalt + 1} is not)`);
  const hashRule = 'bcrypt hash must be 31 characters of ./A-Za-z0-9';
  if (checksum.length !== 31) return invalid('bcrypt', `${hashRule} ${got(checksum.length)}`);
  const badHash = firstBadCharacter(checksum, BCRYPT64_ALPHABET);
  if (badHash >= 0) return invalid('bcrypt', `${hashRule} (character ${badHash + 1} is not)`);
  return { algorithm: 'bcrypt', variant: `2${minor}` as '2a' | '2b' | '2y', params: { cost }, salt, checksum };
}

function parseMd5Crypt(encoded: string): Outcome {
  // passwap scans " 1 %s %s": text after the hash is ignored, and the checksum alone is compared.
  const parts = encoded.slice(3).split('$');
  if (parts.length < 2) return invalid('md5', "md5-crypt hash must be $1$<salt>$<hash>");
  const [salt, checksum] = parts;
  if (salt.length < 1 || salt.length > 8 || !isCrypt64(salt)) {
    return invalid('md5', `md5-crypt salt must be 1 to 8 characters of ./0-9A-Za-z ${got(salt.length)}`);
  }
  if (checksum.length !== 22 || !isCrypt64(checksum)) {
    return invalid('md5', `md5-crypt hash must be 22 characters of ./0-9A-Za-z ${got(checksum.length)}`);
  }
  return { algorithm: 'md5', variant: 'md5-crypt', params: {}, salt, checksum };
}

function parseShaCrypt(encoded: string): Outcome {
  const variant = encoded[1] === '5' ? 'sha256' : 'sha512';
  const name = `${variant}-crypt`;
  const parts = encoded.slice(3).split('$');
  let rounds = 5000;
  if (parts.length === 3) {
    const match = /^rounds=([0-9]+)$/.exec(parts[0]);
    // passwap imports `rounds=05000` (strconv.Atoi), but its check rebuilds the string as
    // `rounds=5000` and compares it whole, so such a user could never log in: refused here.
    if (!match || !DECIMAL.test(match[1])) return invalid('sha2', `${name} rounds must be written rounds=<number> without leading zeros`);
    rounds = Number(match[1]);
    parts.shift();
  }
  if (parts.length !== 2) return invalid('sha2', `${name} hash must be $${encoded[1]}$[rounds=N$]<salt>$<hash>`);
  const [salt, checksum] = parts;
  if (salt.length > 16 || !isCrypt64(salt)) {
    return invalid('sha2', `${name} salt must be at most 16 characters of ./0-9A-Za-z ${got(salt.length)}`);
  }
  const length = variant === 'sha256' ? 43 : 86;
  if (checksum.length !== length || !isCrypt64(checksum)) {
    return invalid('sha2', `${name} hash must be ${length} characters of ./0-9A-Za-z ${got(checksum.length)}`);
  }
  return { algorithm: 'sha2', variant, params: { rounds }, salt, checksum };
}

function decodePart(algorithm: HashAlgorithm, label: string, text: string, dialect: Base64Dialect): Uint8Array | HashParseError {
  const decoded = decodeBase64(text, dialect);
  return typeof decoded === 'string' ? invalid(algorithm, `${label} ${decoded}`) : decoded;
}

function parseScrypt(encoded: string): Outcome {
  const linux = encoded.startsWith('$7$');
  const parts = encoded.slice(linux ? 3 : 8).split('$');
  // Sscanf's %d into int: leading zeros and a sign are read by value.
  const params = /^ln=([+-]?[0-9]+),r=([+-]?[0-9]+),p=([+-]?[0-9]+)$/.exec(parts[0]);
  if (!params) {
    if (linux) return unsupported('scrypt $7$ in the libxcrypt form is not supported by ZITADEL (only $7$ln=…,r=…,p=…$salt$hash)', 'scrypt');
    return invalid('scrypt', 'scrypt parameters must be ln=<log2 N>,r=<block size>,p=<parallelism>');
  }
  // Anything after the hash is ignored by passwap's Sscanf, and verification uses the parts only.
  if (parts.length < 3) return invalid('scrypt', 'scrypt hash must be $scrypt$ln=…,r=…,p=…$<salt>$<hash>');
  const [ln, r, p] = params.slice(1).map(Number);
  if (ln < 1 || r < 1 || p < 1) return invalid('scrypt', 'scrypt ln, r and p must be at least 1');
  if (r * p >= 2 ** 30) return invalid('scrypt', 'scrypt r*p must be below 2^30');
  const salt = decodePart('scrypt', 'scrypt salt', parts[1], 'standard-raw-strict');
  if (!(salt instanceof Uint8Array)) return salt;
  const hash = decodePart('scrypt', 'scrypt hash', parts[2], 'standard-raw-strict');
  if (!(hash instanceof Uint8Array)) return hash;
  return { algorithm: 'scrypt', variant: linux ? '7' : 'scrypt', params: { ln, r, p, keyLength: hash.length }, salt: parts[1], checksum: parts[2] };
}

const PBKDF2_IDS: { [id: string]: Pbkdf2Digest } = {
  pbkdf2: 'sha1', 'pbkdf2-sha224': 'sha224', 'pbkdf2-sha256': 'sha256', 'pbkdf2-sha384': 'sha384', 'pbkdf2-sha512': 'sha512',
};

function parsePbkdf2(encoded: string): Outcome {
  const parts = encoded.slice(1).split('$');
  const id = parts.shift() ?? '';
  const digest = PBKDF2_IDS[id];
  if (!digest) return unsupported(`pbkdf2 digest "${id.replace(/^pbkdf2-?/, '')}" is not supported by ZITADEL (only sha1, sha224, sha256, sha384, sha512)`, 'pbkdf2');
  if (parts[0]?.startsWith('i=')) {
    return unsupported(`pbkdf2 in PHC form (i=…,l=…) is not read by ZITADEL; it needs conversion to $${id}$<rounds>$<salt>$<hash>`, 'pbkdf2');
  }
  if (parts.length < 3) return invalid('pbkdf2', `pbkdf2 hash must be $${id}$<rounds>$<salt>$<hash>`);
  const [roundsText, saltText, hashText] = parts;
  // Sscanf's %d into uint32: leading zeros are fine, a sign is not.
  if (!/^[0-9]+$/.test(roundsText) || Number(roundsText) > UINT32_MAX) return invalid('pbkdf2', 'pbkdf2 rounds must be a decimal number below 2^32');
  // passwap reads standard base64 when a part holds '+', else passlib's adapted base64.
  const dialect = (text: string): Base64Dialect => (text.includes('+') ? 'standard-lenient' : 'adapted');
  const salt = decodePart('pbkdf2', 'pbkdf2 salt', saltText, dialect(saltText));
  if (!(salt instanceof Uint8Array)) return salt;
  const hash = decodePart('pbkdf2', 'pbkdf2 hash', hashText, dialect(hashText));
  if (!(hash instanceof Uint8Array)) return hash;
  return { algorithm: 'pbkdf2', variant: digest, params: { rounds: Number(roundsText), keyLength: hash.length }, salt: saltText, checksum: hashText };
}

function parseArgon2(encoded: string): Outcome {
  const parts = encoded.slice(1).split('$');
  const id = parts.shift() ?? '';
  if (id !== 'argon2i' && id !== 'argon2id') {
    return unsupported(id === 'argon2d' ? 'argon2d is not supported by ZITADEL (only argon2i and argon2id)' : 'unknown argon2 variant (only argon2i and argon2id)', 'argon2');
  }
  const version = /^v=([+-]?[0-9]+)$/.exec(parts[0] ?? '');
  if (!version) return invalid('argon2', `${id} hash must state its version: $${id}$v=19$m=…,t=…,p=…$<salt>$<hash>`);
  const v = Number(version[1]);
  if (v !== 19) return invalid('argon2', `${id} version must be 19 ${got(v)}`);
  const params = /^m=([0-9]+),t=([0-9]+),p=([0-9]+)$/.exec(parts[1] ?? '');
  if (!params) return invalid('argon2', `${id} parameters must be m=<KiB>,t=<passes>,p=<lanes> in that order`);
  if (parts.length < 4) return invalid('argon2', `${id} hash must be $${id}$v=19$m=…,t=…,p=…$<salt>$<hash>`);
  const [m, t, p] = params.slice(1).map(Number);
  if (m > UINT32_MAX || t > UINT32_MAX || t < 1) return invalid('argon2', `${id} m and t must be between 1 and 2^32-1`);
  if (p < 1 || p > 255) return invalid('argon2', `${id} parallelism p must be between 1 and 255 ${got(p)}`);
  if (m < 8 * p) return invalid('argon2', `${id} memory m must be at least 8*p KiB ${got(m)}`);
  const salt = decodePart('argon2', `${id} salt`, parts[2], 'standard-raw-strict');
  if (!(salt instanceof Uint8Array)) return salt;
  if (salt.length < 8) return invalid('argon2', `${id} salt must be at least 8 bytes ${got(salt.length)}`);
  const hash = decodePart('argon2', `${id} hash`, parts[3], 'standard-raw-strict');
  if (!(hash instanceof Uint8Array)) return hash;
  if (hash.length < 4) return invalid('argon2', `${id} hash must be at least 4 bytes ${got(hash.length)}`);
  return { algorithm: 'argon2', variant: id, params: { v, m, t, p, keyLength: hash.length }, salt: parts[2], checksum: parts[3] };
}

function parseMd5Salted(encoded: string): Outcome {
  const parts = encoded.slice(1).split('$');
  const id = parts.shift();
  if (id !== 'md5salted-suffix' && id !== 'md5salted-prefix') return invalid('md5salted', 'md5salted must be $md5salted-suffix$ or $md5salted-prefix$');
  if (parts.length < 2) return invalid('md5salted', `md5salted hash must be $${id}$<salt>$<hash>`);
  const [salt, checksum] = parts;
  if (salt.length === 0 || /\s/.test(salt)) return invalid('md5salted', 'md5salted salt must be non-empty without whitespace');
  const hash = decodePart('md5salted', 'md5salted hash', checksum, 'standard-padded');
  if (!(hash instanceof Uint8Array)) return hash;
  if (hash.length !== 16) return invalid('md5salted', `md5salted hash must be base64 of 16 bytes ${got(hash.length)}`);
  return { algorithm: 'md5salted', variant: id === 'md5salted-suffix' ? 'suffix' : 'prefix', params: {}, salt, checksum };
}

/** phpass `$P$`/`$H$` and drupal7 `$S$` share the layout: id, log2 rounds character, 8-char salt, checksum. */
function parsePortable(encoded: string): Outcome {
  const drupal = encoded[1] === 'S';
  const algorithm = drupal ? 'drupal7' : 'phpass';
  const name = drupal ? 'drupal7' : `phpass $${encoded[1]}$`;
  const length = drupal ? 55 : 34;
  if (encoded.length !== length) return invalid(algorithm, `${name} hash must be ${length} characters ${got(encoded.length)}`);
  const log2 = './0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'.indexOf(encoded[3]);
  if (log2 < 0) return invalid(algorithm, `${name} rounds character must be one of ./0-9A-Za-z`);
  const salt = encoded.slice(4, 12);
  const checksum = encoded.slice(12);
  if (!isCrypt64(salt)) return invalid(algorithm, `${name} salt must be 8 characters of ./0-9A-Za-z`);
  if (!isCrypt64(checksum)) return invalid(algorithm, `${name} hash must be ${checksum.length} characters of ./0-9A-Za-z`);
  if (drupal) return { algorithm: 'drupal7', variant: 'S', params: { iterations: 2 ** log2 }, salt, checksum };
  return { algorithm: 'phpass', variant: encoded[1] as 'P' | 'H', params: { rounds: log2 }, salt, checksum };
}

function parseRecognised(encoded: string): Outcome | undefined {
  if (encoded.startsWith('$2')) return parseBcrypt(encoded);
  if (encoded.startsWith('$1$')) return parseMd5Crypt(encoded);
  if (encoded.startsWith('$5$') || encoded.startsWith('$6$')) return parseShaCrypt(encoded);
  if (encoded.startsWith('$scrypt$') || encoded.startsWith('$7$')) return parseScrypt(encoded);
  if (/^\$pbkdf2[$-]/.test(encoded)) return parsePbkdf2(encoded);
  if (/^\$argon2[a-z]*\$/.test(encoded)) return parseArgon2(encoded);
  if (encoded.startsWith('$md5salted')) return parseMd5Salted(encoded);
  if (/^\$[PHS]\$/.test(encoded)) return parsePortable(encoded);
  if (/^[0-9a-fA-F]{32}$/.test(encoded)) return { algorithm: 'md5plain', variant: 'md5', params: {}, salt: '', checksum: encoded };
  return undefined;
}

/**
 * Recognises `encoded` by prefix as one of passwap's formats and parses it fully (parameters,
 * salt, hash, lengths, alphabets); on failure says exactly why, never quoting the hash.
 */
export function parsePasswordHash(encoded: string): ParsedHash | HashParseError {
  if (typeof encoded !== 'string') return { ok: false, kind: 'invalid', reason: 'hash is not a string' };
  if (encoded.length === 0) return { ok: false, kind: 'invalid', reason: 'hash is empty' };
  if (encoded.trim() !== encoded) return { ok: false, kind: 'invalid', reason: 'hash has leading or trailing whitespace' };
  const outcome = parseRecognised(encoded);
  if (!outcome) return unsupported(describeForeignHash(encoded) ?? 'unknown hash format (no ZITADEL verifier recognises it)');
  if ('ok' in outcome) return outcome;
  // The outcome is a fresh object of this call: completing it in place (same keys, same order as a
  // spread copy) spares one object per hash.
  const parsed = outcome as Parsed & { ok?: true; encoded?: string };
  parsed.ok = true;
  parsed.encoded = encoded;
  return parsed as ParsedHash;
}

/** Narrowing helper: true when `parsePasswordHash` answered an error. */
export function isHashParseError(result: ParsedHash | HashParseError): result is HashParseError {
  return !result.ok;
}
