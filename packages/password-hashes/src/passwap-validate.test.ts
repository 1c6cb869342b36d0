// passwapValidate mirrors Swapper.Validate as ZITADEL's Hasher.ValidateEncodedHash calls it
// (internal/crypto/passwap.go): which outcome, hence which error id, each kind of hash gets.
import { describe, expect, it } from 'vitest';
import { COST_BOUNDS } from './cost-bounds.js';
import { hashPassword } from './hash-password.js';
import { type PasswapConfig, passwapValidate } from './passwap-validate.js';
import { verifyPassword, verifyPasswordOutcome } from './verify-password.js';

const ARGON2ID = '$argon2id$v=19$m=8192,t=1,p=1$cmFuZG9tc2FsdGlzaGFyZA$DYojYpnUWSMmTtrkVXyaNWVGxLmGe1n8VJBPDdFkbjU';
const BCRYPT_12 = '$2b$12$bIRGj4QPPoSUMWsJE.4Pk.T1qTpDWz7HhMnuiQhGzGinKPsx/HQdq';
const defaults: PasswapConfig = { hasher: 'bcrypt', verifiers: [], limits: COST_BOUNDS };

describe('passwapValidate', () => {
  it('with the default bcrypt hasher, an unknown or disabled format is a parse error (CRYPT-r8Qm2), never NotSupported', () => {
    // bcrypt.parse answers Skip with "not a bcrypt version" for anything else, so ErrNoVerifier cannot happen.
    for (const encoded of [ARGON2ID, 'hunter2', '{SSHA}abcdef']) {
      expect(passwapValidate(encoded, defaults)).toEqual({ ok: false, error: 'invalid', detail: 'passwap: not a bcrypt version' });
    }
    expect(passwapValidate(ARGON2ID, { ...defaults, verifiers: ['argon2'] })).toEqual({ ok: true, algorithm: 'argon2' });
  });

  it('answers bounds (CRYPT-5uV9n) outside the Limits of cmd/defaults.yaml, with passwap\'s BoundsError text', async () => {
    const weak = await hashPassword('bcrypt', 'x', { cost: 4 });
    expect(passwapValidate(weak, defaults)).toEqual({
      ok: false,
      error: 'bounds',
      detail: 'passwap: verifier: bcrypt parameter cost out of bounds: expected 10 - 16, got 4',
    });
    expect(passwapValidate(ARGON2ID.replace('t=1', 't=11'), { ...defaults, verifiers: ['argon2'] })).toMatchObject({ error: 'bounds' });
  });

  it('answers NotSupported (CRYPT-2xK7d) only when the hasher and every verifier skip silently', () => {
    const argonHasher: PasswapConfig = { hasher: 'argon2id', verifiers: ['scrypt', 'md5salted'], limits: COST_BOUNDS };
    expect(passwapValidate('hunter2', argonHasher)).toEqual({ ok: false, error: 'unsupported', detail: 'passwap: no verifier found for encoded string' });
    // md5's parse errors even on another format, so enabling it turns the answer into a parse error.
    expect(passwapValidate('hunter2', { ...argonHasher, verifiers: ['md5'] })).toMatchObject({ error: 'invalid' });
  });

  it('accepts what passwap\'s parsers accept: bcrypt reads only the cost, md5plain any even hex, the empty hash', () => {
    // x/crypto's bcrypt.Cost needs 59 characters and a cost; the rest is only compared at login.
    expect(passwapValidate(`${BCRYPT_12}trailing`, defaults)).toEqual({ ok: true, algorithm: 'bcrypt' });
    expect(passwapValidate('abcd', { ...defaults, verifiers: ['md5plain'] })).toEqual({ ok: true, algorithm: 'md5plain' });
    expect(passwapValidate('', defaults)).toEqual({ ok: true, algorithm: 'bcrypt' });
  });
});

describe('verifyPassword never throws', () => {
  it('answers unverifiable (false) for parameters no computation takes, and for non-hashes', async () => {
    const hugeScrypt = '$scrypt$ln=40,r=8,p=1$cmFuZG9tc2FsdGlzaGFyZA$Rh+NnJNo1I6nRwaNqbDm6kmADswD1+7FTKZ7Ln9D8nQ';
    const hugeArgon = ARGON2ID.replace('m=8192', 'm=4294967295');
    const tooManyLanes = '$scrypt$ln=16,r=1073741824,p=2$cmFuZG9tc2FsdGlzaGFyZA$Rh+NnJNo1I6nRwaNqbDm6kmADswD1+7FTKZ7Ln9D8nQ';
    for (const encoded of [hugeScrypt, hugeArgon, tooManyLanes, 'hunter2', '', '$2b$99$x']) {
      expect(await verifyPasswordOutcome(encoded, 'password')).toBe('unverifiable');
      expect(await verifyPassword(encoded, 'password')).toBe(false);
    }
  });

  it('computes pbkdf2 with 0 rounds as x/crypto does (one block)', async () => {
    const oneRound = await hashPassword('pbkdf2', 'password', { variant: 'sha256', rounds: 1, salt: Buffer.from('randomsaltishard') });
    expect(await verifyPassword(oneRound.replace('$1$', '$0$'), 'password')).toBe(true);
  });
});
