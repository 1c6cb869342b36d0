// Turns the hash forms Auth0 exports into forms passwap reads, where that is lossless:
// PHC pbkdf2 (`$pbkdf2-sha512$i=N,l=L$<b64>$<b64>`) → passwap pbkdf2, and bare md5 digests → md5plain.
import { decodeBase64, encodeBase64 } from './encoding.js';
import { base64DigestName } from './foreign-hashes.js';
import type { ConvertedHash, HashParseError } from './types.js';

const PHC_PBKDF2 = /^\$pbkdf2-([a-z0-9]+)\$([^$]*)\$([^$]*)\$([^$]*)$/;
const PASSWAP_DIGESTS = ['sha1', 'sha224', 'sha256', 'sha384', 'sha512'];

type PhcOutcome = ConvertedHash | HashParseError | undefined;

const problem = (kind: HashParseError['kind'], reason: string): HashParseError => ({ ok: false, kind, algorithm: 'pbkdf2', reason });

function convertPhcPbkdf2(encoded: string): PhcOutcome {
  const match = PHC_PBKDF2.exec(encoded);
  if (!match?.[2].startsWith('i=')) return undefined;
  const [, digest, paramsText, saltText, hashText] = match;
  if (!PASSWAP_DIGESTS.includes(digest)) {
    return problem('unsupported', `pbkdf2 digest "${digest}" is not supported by ZITADEL (only sha1, sha224, sha256, sha384, sha512)`);
  }
  const params = new Map(paramsText.split(',').map((pair) => pair.split('=', 2) as [string, string]));
  const rounds = params.get('i') ?? '';
  if (!/^[1-9][0-9]{0,9}$/.test(rounds) || Number(rounds) > 0xffff_ffff) return problem('invalid', 'pbkdf2 PHC i= must be a positive number below 2^32');
  const salt = decodeBase64(saltText, 'standard-lenient');
  if (typeof salt === 'string') return problem('invalid', `pbkdf2 PHC salt ${salt}`);
  const hash = decodeBase64(hashText, 'standard-lenient');
  if (typeof hash === 'string') return problem('invalid', `pbkdf2 PHC hash ${hash}`);
  const length = params.get('l');
  if (length !== undefined && Number(length) !== hash.length) {
    return problem('invalid', `pbkdf2 PHC l=${length} does not match the hash length ${hash.length}`);
  }
  const id = digest === 'sha1' ? 'pbkdf2' : `pbkdf2-${digest}`;
  return { encoded: `$${id}$${rounds}$${encodeBase64(salt, 'adapted')}$${encodeBase64(hash, 'adapted')}`, from: 'pbkdf2-phc', to: 'pbkdf2' };
}

/**
 * Converts an Auth0 export hash into passwap's encoding when that is possible: PHC pbkdf2 → `pbkdf2`,
 * 32-hex md5 (any case) or base64 md5 → `md5plain`. Undefined when no conversion applies.
 */
export function convertAuth0Hash(encoded: string): ConvertedHash | undefined {
  const phc = convertPhcPbkdf2(encoded);
  if (phc !== undefined) return 'ok' in phc ? undefined : phc;
  if (/^[0-9a-fA-F]{32}$/.test(encoded)) return { encoded: encoded.toLowerCase(), from: 'md5-hex', to: 'md5plain' };
  if (base64DigestName(encoded) === 'md5') {
    return { encoded: Buffer.from(encoded, 'base64').toString('hex'), from: 'md5-base64', to: 'md5plain' };
  }
  return undefined;
}

/** Why an Auth0 hash that looks convertible (PHC pbkdf2) cannot be converted; undefined otherwise. */
export function auth0ConversionProblem(encoded: string): HashParseError | undefined {
  const phc = convertPhcPbkdf2(encoded);
  return phc !== undefined && 'ok' in phc ? phc : undefined;
}
