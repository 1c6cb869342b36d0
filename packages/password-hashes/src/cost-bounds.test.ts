import { describe, expect, it } from 'vitest';
import { COST_BOUNDS, checkCostBounds } from './cost-bounds.js';
import { parsePasswordHash } from './parse-hash.js';
import type { ParsedHash } from './types.js';

const B64_16 = 'cmFuZG9tc2FsdGlzaGFyZA';
const B64_32 = 'Rh+NnJNo1I6nRwaNqbDm6kmADswD1+7FTKZ7Ln9D8nQ';
const BCRYPT_TAIL = 'abcdefghijklmnopqrstuuM1NmTCB1Wc9MzZ0IYiSbJIE3Z1fsbhG';
const SHA256_CHECKSUM = '5B8vYYiY.CVt1RlTTf8KbXBH3hsxY/GNooZaBBGWEc5';

function parsed(encoded: string): ParsedHash {
  const result = parsePasswordHash(encoded);
  if (!result.ok) throw new Error(result.reason);
  return result;
}

const argon = (m: number, t: number, p: number) => `$argon2id$v=19$m=${m},t=${t},p=${p}$${B64_16}$${B64_32}`;
const scrypt = (ln: number, r: number, p: number) => `$scrypt$ln=${ln},r=${r},p=${p}$${B64_16}$${B64_32}`;
const portable = (id: string, log2: string) => `$${id}$${log2}randomsa${'x'.repeat(id === 'S' ? 43 : 22)}`;

describe('checkCostBounds with ZITADEL defaults', () => {
  it.each([
    [`$2b$04$${BCRYPT_TAIL}`, "bcrypt cost 4 is below ZITADEL's minimum 10"],
    [`$2b$09$${BCRYPT_TAIL}`, "bcrypt cost 9 is below ZITADEL's minimum 10"],
    [`$2b$10$${BCRYPT_TAIL}`, undefined],
    [`$2b$16$${BCRYPT_TAIL}`, undefined],
    [`$2b$17$${BCRYPT_TAIL}`, "bcrypt cost 17 is above ZITADEL's maximum 16"],
    [argon(8192, 1, 1), undefined],
    [argon(524288, 10, 16), undefined],
    [argon(8192, 11, 1), "argon2id time t 11 is above ZITADEL's maximum 10"],
    [argon(4096, 3, 1), "argon2id memory m (KiB) 4096 is below ZITADEL's minimum 8192"],
    [argon(524289, 3, 1), "argon2id memory m (KiB) 524289 is above ZITADEL's maximum 524288"],
    [argon(65536, 3, 17), "argon2id threads p 17 is above ZITADEL's maximum 16"],
    [scrypt(14, 8, 1), undefined],
    [scrypt(13, 8, 1), "scrypt ln 13 is below ZITADEL's minimum 14"],
    [scrypt(21, 8, 1), "scrypt ln 21 is above ZITADEL's maximum 20"],
    [scrypt(16, 7, 1), "scrypt r 7 is below ZITADEL's minimum 8"],
    [scrypt(16, 33, 1), "scrypt r 33 is above ZITADEL's maximum 32"],
    [scrypt(16, 8, 17), "scrypt p 17 is above ZITADEL's maximum 16"],
    [`$pbkdf2-sha512$999$${B64_16}$${B64_16}`, "pbkdf2-sha512 rounds 999 is below ZITADEL's minimum 1000"],
    [`$pbkdf2$1000$${B64_16}$${B64_16}`, undefined],
    [`$pbkdf2-sha256$10000001$${B64_16}$${B64_16}`, "pbkdf2-sha256 rounds 10000001 is above ZITADEL's maximum 10000000"],
    [`$5$saltstring$${SHA256_CHECKSUM}`, undefined],
    [`$5$rounds=999$saltstring$${SHA256_CHECKSUM}`, "sha256-crypt rounds 999 is below ZITADEL's minimum 1000"],
    [`$5$rounds=1000000000$saltstring$${SHA256_CHECKSUM}`, "sha256-crypt rounds 1000000000 is above ZITADEL's maximum 999999999"],
    [portable('P', '5'), "phpass rounds (log2) 7 is within"],
    [portable('P', '4'), "phpass rounds (log2) 6 is below ZITADEL's minimum 7"],
    [portable('H', 'T'), "phpass rounds (log2) 31 is within"],
    [portable('H', 'U'), "phpass rounds (log2) 32 is above ZITADEL's maximum 31"],
    [portable('S', '7'), "drupal7 iterations 512 is below ZITADEL's minimum 1000"],
    [portable('S', '8'), undefined],
    [portable('S', 'G'), "drupal7 iterations 262144 is within"],
    [portable('S', 'H'), "drupal7 iterations 524288 is above ZITADEL's maximum 500000"],
    ['5f4dcc3b5aa765d61d8327deb882cf99', undefined],
    ['$1$saltstri$YMyguxXMBpd2TEZ.vS/3q1', undefined],
  ])('%s → %s', (encoded, expected) => {
    const reason = checkCostBounds(parsed(encoded));
    expect(reason).toBe(expected?.endsWith('is within') ? undefined : expected);
  });

  it('accepts custom bounds', () => {
    const bcrypt4 = parsed(`$2b$04$${BCRYPT_TAIL}`);
    expect(checkCostBounds(bcrypt4, { ...COST_BOUNDS, bcrypt: { cost: { min: 4, max: 31 } } })).toBeUndefined();
  });
});
