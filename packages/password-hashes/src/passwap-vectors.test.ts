// passwap's own test vectors (test-vectors/passwap.json, from zitadel/passwap's tests): every
// hash parses to its algorithm, verifies with its password and not with another, and ZITADEL's
// import check (Hasher.ValidateEncodedHash: default bcrypt hasher, all verifiers, the default
// Limits of cmd/defaults.yaml) answers as the table says.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COST_BOUNDS } from './cost-bounds.js';
import { parsePasswordHash } from './parse-hash.js';
import { passwapValidate } from './passwap-validate.js';
import { HASH_ALGORITHMS, type HashAlgorithm } from './types.js';
import { verifyPassword, verifyPasswordOutcome } from './verify-password.js';

interface Vector {
  algorithm: HashAlgorithm;
  hash: string;
  password: string;
  zitadelImport: 'ok' | 'bounds';
  origin: string;
}

const table = JSON.parse(readFileSync(new URL('../test-vectors/passwap.json', import.meta.url), 'utf8')) as { vectors: Vector[] };

describe('passwap test vectors', () => {
  it('cover every verifier', () => {
    expect(new Set(table.vectors.map((vector) => vector.algorithm))).toEqual(new Set(HASH_ALGORITHMS));
  });

  it.each(table.vectors.map((vector) => [vector.origin, vector] as const))('%s', async (_, vector) => {
    const parsed = parsePasswordHash(vector.hash);
    expect(parsed.ok && parsed.algorithm).toBe(vector.algorithm);
    expect(await verifyPassword(vector.hash, vector.password)).toBe(true);
    expect(await verifyPasswordOutcome(vector.hash, `${vector.password}x`)).toBe('mismatch');
    const validation = passwapValidate(vector.hash, { hasher: 'bcrypt', verifiers: HASH_ALGORITHMS, limits: COST_BOUNDS });
    expect(validation.ok ? 'ok' : validation.error).toBe(vector.zitadelImport);
  });
});
