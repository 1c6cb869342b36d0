// Hash shapes that appear in Auth0 exports but that no passwap verifier reads. Recognising them lets
// a run say "unsalted sha256 hex is not supported by ZITADEL" instead of "unknown format".

const HEX_DIGESTS: { [hexLength: number]: string } = { 32: 'md5', 40: 'sha1', 64: 'sha256', 128: 'sha512' };
const DIGEST_BYTES: { [bytes: number]: string } = { 16: 'md5', 20: 'sha1', 32: 'sha256', 64: 'sha512' };

/** The digest an unsalted hex string looks like (`sha256` for 64 hex digits), if any. */
export function hexDigestName(text: string): string | undefined {
  return /^[0-9a-fA-F]+$/.test(text) ? HEX_DIGESTS[text.length] : undefined;
}

/** The digest a standard base64 string looks like (`sha1` for 20 decoded bytes), if any. */
export function base64DigestName(text: string): string | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(text) || text.length % 4 !== 0) return undefined;
  return DIGEST_BYTES[Buffer.from(text, 'base64').length];
}

/**
 * Names a non-passwap hash form, e.g. `unsalted sha256 hex is not supported by ZITADEL`;
 * undefined when the shape is not one we know. Never echoes the hash.
 */
export function describeForeignHash(encoded: string): string | undefined {
  const hexName = hexDigestName(encoded);
  if (hexName && hexName !== 'md5') return `unsalted ${hexName} hex is not supported by ZITADEL`;
  const b64Name = base64DigestName(encoded);
  if (b64Name === 'md5') return 'unsalted md5 base64 is not read by ZITADEL (md5plain needs hex)';
  if (b64Name) return `unsalted ${b64Name} base64 is not supported by ZITADEL`;
  const ldap = /^\{([A-Za-z0-9-]+)\}/.exec(encoded);
  if (ldap) return `LDAP {${ldap[1].toUpperCase()}} hashes are not supported by ZITADEL`;
  if (encoded.startsWith('$argon2d$')) return 'argon2d is not supported by ZITADEL (only argon2i and argon2id)';
  if (encoded.startsWith('$U$')) return 'Drupal $U$ (re-hashed md5) is not supported by ZITADEL';
  const modular = /^\$([A-Za-z0-9-]{1,20})\$/.exec(encoded);
  if (modular) return `hash format $${modular[1]}$ is not supported by ZITADEL`;
  return undefined;
}
