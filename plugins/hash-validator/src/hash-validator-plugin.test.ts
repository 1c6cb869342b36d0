// Through the plugin contract (plugin.create(config, ctx) → apply/close), with hashes computed by
// the real algorithms of @idflow/password-hashes and node:crypto.
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import type { Transform, TransformResult } from '@idflow/engine';
import { HASH_ALGORITHMS, type HashAlgorithm, type HashPasswordParams, hashPassword, verifyPassword } from '@idflow/password-hashes';
import type { ZitadelUserRecord } from '@idflow/zitadel-model';
import { beforeAll, describe, expect, it } from 'vitest';
import type { HashValidatorConfig } from './config.js';
import plugin from './index.js';
import { type RecordingContext, recordingContext, userEnvelope } from './test-context.test-helpers.js';

const PASSWORD = 'Password1!';
const ALL: HashAlgorithm[] = [...HASH_ALGORITHMS];

/** Cheapest parameters inside ZITADEL's default cost bounds. */
const IN_BOUNDS: [label: string, algorithm: HashAlgorithm, params: HashPasswordParams][] = [
  ['bcrypt 2b', 'bcrypt', { cost: 10 }],
  ['bcrypt 2a', 'bcrypt', { cost: 10, variant: '2a' }],
  ['bcrypt 2y', 'bcrypt', { cost: 10, variant: '2y' }],
  ['md5-crypt', 'md5', {}],
  ['sha256-crypt', 'sha2', { variant: 'sha256' }],
  ['sha512-crypt rounds=1000', 'sha2', { variant: 'sha512', rounds: 1000 }],
  ['scrypt', 'scrypt', { ln: 14, r: 8, p: 1 }],
  ['scrypt $7$', 'scrypt', { ln: 14, r: 8, p: 1, variant: '7' }],
  ['pbkdf2-sha1', 'pbkdf2', { variant: 'sha1', rounds: 1000 }],
  ['pbkdf2-sha224', 'pbkdf2', { variant: 'sha224', rounds: 1000 }],
  ['pbkdf2-sha256', 'pbkdf2', { variant: 'sha256', rounds: 1000 }],
  ['pbkdf2-sha384', 'pbkdf2', { variant: 'sha384', rounds: 1000 }],
  ['pbkdf2-sha512', 'pbkdf2', { variant: 'sha512', rounds: 1000 }],
  ['argon2i', 'argon2', { variant: 'argon2i', m: 8192, t: 1, p: 1 }],
  ['argon2id', 'argon2', { variant: 'argon2id', m: 8192, t: 1, p: 1 }],
  ['md5salted-suffix', 'md5salted', { variant: 'suffix' }],
  ['md5salted-prefix', 'md5salted', { variant: 'prefix' }],
  ['phpass $P$', 'phpass', { variant: 'P', rounds: 7 }],
  ['phpass $H$', 'phpass', { variant: 'H', rounds: 7 }],
  ['drupal7', 'drupal7', { iterations: 1024 }],
  ['md5plain', 'md5plain', {}],
];

const hashes = new Map<string, string>();

/** Auth0's PHC pbkdf2 form, computed with node:crypto. */
function auth0Pbkdf2(password: string, rounds: number): string {
  const salt = randomBytes(16);
  const hash = pbkdf2Sync(password, salt, rounds, 64, 'sha512');
  return `$pbkdf2-sha512$i=${rounds},l=64$${salt.toString('base64')}$${hash.toString('base64')}`;
}

beforeAll(async () => {
  for (const [label, algorithm, params] of IN_BOUNDS) hashes.set(label, await hashPassword(algorithm, PASSWORD, params));
  hashes.set('bcrypt cost 4', await hashPassword('bcrypt', PASSWORD, { cost: 4 }));
  hashes.set('pbkdf2 rounds 999', await hashPassword('pbkdf2', PASSWORD, { rounds: 999 }));
  hashes.set('argon2id m=4096', await hashPassword('argon2', PASSWORD, { m: 4096, t: 1 }));
  hashes.set('auth0 pbkdf2', auth0Pbkdf2(PASSWORD, 10_000));
});

const hash = (label: string) => hashes.get(label) ?? '';

interface Opened {
  transform: Transform<ZitadelUserRecord, ZitadelUserRecord>;
  ctx: RecordingContext;
}

async function open(config: HashValidatorConfig): Promise<Opened> {
  const ctx = recordingContext();
  const transform = (await plugin.create(config, ctx)) as Transform<ZitadelUserRecord, ZitadelUserRecord>;
  return { transform, ctx };
}

async function run(config: HashValidatorConfig, email: string, encoded: string | undefined) {
  const opened = await open(config);
  const input = userEnvelope(email, encoded);
  const before = structuredClone(input.data);
  const result = await opened.transform.apply(input);
  await opened.transform.close?.();
  expect(input.data).toEqual(before); // the input record is never changed in place
  return { ...opened, result };
}

function accepted(result: TransformResult<ZitadelUserRecord>): ZitadelUserRecord {
  if (!result.ok) throw new Error(`expected a pass, got: ${(result.rejection ?? result.skip).reason}`);
  return result.value;
}

function rejectedReason(result: TransformResult<ZitadelUserRecord>): string {
  if (result.ok || !result.rejection) throw new Error('expected a rejection');
  return result.rejection.reason;
}

/** Nothing the plugin reports may contain the hash or any 8+ character piece of it. */
function expectNoHashLeak(ctx: RecordingContext, encoded: string, extra: string[] = []) {
  const reported = [...ctx.counts.keys(), ...ctx.warnings.map((w) => w.message), ...extra, JSON.stringify(ctx.logs)].join('\n');
  // The identifier after the first '$' (e.g. `argon2id`) may be named; salts, parameters and digests may not.
  const pieces = [encoded, ...encoded.split('$').slice(2).filter((piece) => piece.length >= 8)];
  for (const piece of pieces) expect(reported).not.toContain(piece);
}

describe('hash-validator accepts every passwap format the target allows', () => {
  it.each(IN_BOUNDS)('%s', async (label, algorithm) => {
    const { result, ctx } = await run({ allow: ALL, verify: { 'alice@example.com': PASSWORD } }, 'alice@example.com', hash(label));
    expect(accepted(result).user.hashedPassword?.value).toBe(hash(label));
    expect(ctx.counts.get(`algorithm.${algorithm}`)).toBe(1);
    expect(ctx.counts.get('verified')).toBe(1);
    expect(ctx.warnings).toEqual([]);
  });

  it.each(IN_BOUNDS.filter(([, algorithm]) => algorithm !== 'bcrypt'))('%s is refused by a default target (bcrypt only)', async (label, algorithm) => {
    const { result, ctx } = await run({}, 'bob@example.com', hash(label));
    const reason = algorithm === 'md5plain'
      ? 'md5-hex hash converts only to md5plain, which the target does not accept (allow: bcrypt)'
      : `${algorithm} hashes are not accepted by the target (allow: bcrypt)`;
    expect(rejectedReason(result)).toBe(reason);
    expect(ctx.counts.get(`rejected: ${reason}`)).toBe(1);
    expectNoHashLeak(ctx, hash(label), [reason]);
  });
});

describe('conversions', () => {
  it('converts Auth0 PHC pbkdf2 when pbkdf2 is allowed, and the result verifies', async () => {
    const { result, ctx } = await run({ allow: ['bcrypt', 'pbkdf2'], verify: [{ email: 'Carol@Example.com', password: PASSWORD }] }, 'carol@example.com', hash('auth0 pbkdf2'));
    const converted = accepted(result).user.hashedPassword?.value ?? '';
    expect(converted).toMatch(/^\$pbkdf2-sha512\$10000\$[A-Za-z0-9./]+\$[A-Za-z0-9./]+$/);
    expect(await verifyPassword(converted, PASSWORD)).toBe(true);
    expect(await verifyPassword(converted, 'wrong')).toBe(false);
    expect(Object.fromEntries(ctx.counts)).toEqual({ 'converted.pbkdf2-phc→pbkdf2': 1, 'algorithm.pbkdf2': 1, verified: 1 });
    expectNoHashLeak(ctx, hash('auth0 pbkdf2'));
  });

  it('does not convert PHC pbkdf2 when pbkdf2 is not allowed', async () => {
    const { result } = await run({ allow: ['bcrypt'] }, 'dave@example.com', hash('auth0 pbkdf2'));
    expect(rejectedReason(result)).toBe('pbkdf2-phc hash converts only to pbkdf2, which the target does not accept (allow: bcrypt)');
  });

  it('lower-cases an upper-case md5 hex digest into md5plain', async () => {
    const upper = hash('md5plain').toUpperCase();
    const { result, ctx } = await run({ allow: ['md5plain'], verify: { 'erin@example.com': PASSWORD } }, 'erin@example.com', upper);
    expect(accepted(result).user.hashedPassword?.value).toBe(hash('md5plain'));
    expect(ctx.counts.get('converted.md5-hex→md5plain')).toBe(1);
    expect(ctx.counts.get('verified')).toBe(1);
  });

  it('names a malformed PHC hash precisely', async () => {
    const broken = hash('auth0 pbkdf2').replace('l=64', 'l=32');
    const { result } = await run({ allow: ['pbkdf2'] }, 'frank@example.com', broken);
    expect(rejectedReason(result)).toBe('pbkdf2 PHC l=32 does not match the hash length 64');
  });
});

describe('policies', () => {
  const cases: [label: string, config: HashValidatorConfig, input: () => string, reason: string, outcome: 'reject' | 'drop'][] = [
    ['bcrypt cost 4, default', {}, () => hash('bcrypt cost 4'), "bcrypt cost 4 is below ZITADEL's minimum 10", 'reject'],
    ['bcrypt cost 4, drop', { onInvalid: 'drop-password' }, () => hash('bcrypt cost 4'), "bcrypt cost 4 is below ZITADEL's minimum 10", 'drop'],
    ['bcrypt cost 4, only unsupported dropped', { onUnsupported: 'drop-password' }, () => hash('bcrypt cost 4'), "bcrypt cost 4 is below ZITADEL's minimum 10", 'reject'],
    ['pbkdf2 rounds 999', { allow: ['pbkdf2'], onInvalid: 'drop-password' }, () => hash('pbkdf2 rounds 999'), "pbkdf2-sha512 rounds 999 is below ZITADEL's minimum 1000", 'drop'],
    ['argon2 memory', { allow: ['argon2'] }, () => hash('argon2id m=4096'), "argon2id memory m (KiB) 4096 is below ZITADEL's minimum 8192", 'reject'],
    ['truncated bcrypt', { onInvalid: 'drop-password' }, () => hash('bcrypt 2b').slice(0, -1), 'bcrypt hash must be 31 characters of ./A-Za-z0-9 (got 30)', 'drop'],
    ['bcrypt salt', {}, () => hash('bcrypt 2b').slice(0, 28), 'bcrypt salt must be 22 characters of ./A-Za-z0-9 (got 21)', 'reject'],
    ['sha256 hex, default', {}, () => 'ef92b778bafe771e89245b89ecbc08a44a4e166c06659911881f383d4473e94f', 'unsalted sha256 hex is not supported by ZITADEL', 'reject'],
    ['sha256 hex, drop', { onUnsupported: 'drop-password' }, () => 'ef92b778bafe771e89245b89ecbc08a44a4e166c06659911881f383d4473e94f', 'unsalted sha256 hex is not supported by ZITADEL', 'drop'],
    ['sha256 hex, only invalid dropped', { onInvalid: 'drop-password' }, () => 'ef92b778bafe771e89245b89ecbc08a44a4e166c06659911881f383d4473e94f', 'unsalted sha256 hex is not supported by ZITADEL', 'reject'],
    ['argon2d', { allow: ALL, onUnsupported: 'drop-password' }, () => hash('argon2id').replace('$argon2id$', '$argon2d$'), 'argon2d is not supported by ZITADEL (only argon2i and argon2id)', 'drop'],
    ['sha2 not allowed, drop', { onUnsupported: 'drop-password' }, () => hash('sha256-crypt'), 'sha2 hashes are not accepted by the target (allow: bcrypt)', 'drop'],
    ['empty allow list', { allow: [] }, () => hash('bcrypt 2b'), 'bcrypt hashes are not accepted by the target (allow: nothing)', 'reject'],
  ];

  it.each(cases)('%s', async (_label, config, input, reason, outcome) => {
    const encoded = input();
    const { result, ctx } = await run(config, 'grace@example.com', encoded);
    if (outcome === 'reject') {
      expect(rejectedReason(result)).toBe(reason);
      if (!result.ok) expect(result.rejection?.detail).toMatchObject({ userId: expect.stringMatching(/^auth0\|/) });
      expect(ctx.counts.get(`rejected: ${reason}`)).toBe(1);
    } else {
      const value = accepted(result);
      expect(value.user.hashedPassword).toBeUndefined();
      expect('hashedPassword' in value.user).toBe(false);
      expect(value.passwordResetRequired).toBe(true);
      // The sinks count it as written.without-password.hash-refused.
      expect(value.withoutPassword).toBe('hash-refused');
      expect(value.user.email.email).toBe('grace@example.com');
      expect(ctx.counts.get(`password dropped: ${reason}`)).toBe(1);
    }
    expectNoHashLeak(ctx, encoded, [reason]);
  });
});

describe('users without a password', () => {
  it('passes a user without hashedPassword and counts it', async () => {
    const { result, ctx } = await run({}, 'heidi@example.com', undefined);
    expect(accepted(result).user.hashedPassword).toBeUndefined();
    expect(ctx.counts.get('without password')).toBe(1);
  });

  it('removes an empty hashedPassword', async () => {
    const { result, ctx } = await run({}, 'ivan@example.com', '');
    expect('hashedPassword' in accepted(result).user).toBe(false);
    expect(ctx.counts.get('without password')).toBe(1);
  });

  it('refuses a non-string hash as invalid', async () => {
    const { transform } = await open({});
    const input = userEnvelope('judy@example.com');
    (input.data.user as { hashedPassword?: unknown }).hashedPassword = { value: 42 };
    expect(rejectedReason(await transform.apply(input))).toBe('hashedPassword.value is not a string');
  });

  it('refuses a record that is not a user record', async () => {
    const { transform } = await open({});
    const input = { ...userEnvelope('x@example.com'), data: { nope: true } as unknown as ZitadelUserRecord };
    expect(rejectedReason(await transform.apply(input))).toBe('hash-validator expects a ZITADEL user record (no `user` object)');
  });
});

describe('verify: test accounts', () => {
  it('rejects a test account whose hash does not verify, warns, and never logs the password', async () => {
    const config: HashValidatorConfig = { allow: ALL, verify: [{ email: 'mallory@example.com', password: 'not-the-password' }] };
    const { result, ctx } = await run(config, 'Mallory@Example.com', hash('sha512-crypt rounds=1000'));
    expect(rejectedReason(result)).toBe('verification failed for mallory@example.com');
    expect(ctx.counts.get('verification failed')).toBe(1);
    expect(ctx.warnings).toEqual([
      { message: 'verification failed for mallory@example.com: its sha2 hash does not match the given password', origin: expect.objectContaining({ file: 'users.ndjson' }), kind: 'test login failed' },
    ]);
    expect(JSON.stringify([...ctx.counts, ctx.warnings, ctx.logs])).not.toContain('not-the-password');
    expectNoHashLeak(ctx, hash('sha512-crypt rounds=1000'));
  });

  it.each(IN_BOUNDS)('a wrong test password fails verification for %s', async (label) => {
    const { result } = await run({ allow: ALL, verify: { 'oscar@example.com': `${PASSWORD}?` } }, 'oscar@example.com', hash(label));
    expect(rejectedReason(result)).toBe('verification failed for oscar@example.com');
  });

  it('rejects a test account that has no password', async () => {
    const { result, ctx } = await run({ verify: { 'peggy@example.com': PASSWORD } }, 'peggy@example.com', undefined);
    expect(rejectedReason(result)).toBe('verification failed for peggy@example.com');
    expect(ctx.warnings[0].message).toBe('verification failed for peggy@example.com: the user has no password');
  });

  it('warns when a test account hash was refused before it could be verified', async () => {
    const { result, ctx } = await run({ onInvalid: 'drop-password', verify: { 'rupert@example.com': PASSWORD } }, 'rupert@example.com', hash('bcrypt cost 4'));
    expect(accepted(result).passwordResetRequired).toBe(true);
    expect(ctx.warnings.map((w) => w.message)).toEqual(["verification skipped for rupert@example.com: bcrypt cost 4 is below ZITADEL's minimum 10"]);
  });

  it('warns at close about test accounts never seen, and only about those', async () => {
    const { transform, ctx } = await open({ verify: { 'seen@example.com': PASSWORD, 'ghost@example.com': 'x', 'Phantom@Example.com': 'y' } });
    accepted(await transform.apply(userEnvelope('seen@example.com', hash('bcrypt 2b'))));
    accepted(await transform.apply(userEnvelope('other@example.com', hash('bcrypt 2a'))));
    expect(ctx.warnings).toEqual([]);
    await transform.close?.();
    expect(ctx.warnings.map((w) => w.message)).toEqual([
      'verify account ghost@example.com was never seen in the input',
      'verify account phantom@example.com was never seen in the input',
    ]);
    expect(Object.fromEntries(ctx.counts)).toEqual({ verified: 1, 'algorithm.bcrypt': 2 });
  });
});

describe('report over a mixed stream', () => {
  it('counts users per algorithm, conversions, rejects per reason and users without password', async () => {
    const { transform, ctx } = await open({ allow: ['bcrypt', 'pbkdf2', 'md5plain'], onUnsupported: 'drop-password' });
    const inputs = [
      hash('bcrypt 2b'), hash('bcrypt 2y'), hash('auth0 pbkdf2'), hash('pbkdf2-sha256'), hash('md5plain'), hash('bcrypt cost 4'),
      hash('bcrypt cost 4'), hash('sha256-crypt'), undefined, 'a'.repeat(64),
    ];
    const outcomes: string[] = [];
    for (const [i, encoded] of inputs.entries()) {
      const result = await transform.apply(userEnvelope(`user${i}@example.com`, encoded));
      outcomes.push(result.ok ? (result.value.passwordResetRequired ? 'dropped' : 'passed') : 'rejected');
    }
    await transform.close?.();
    expect(outcomes).toEqual(['passed', 'passed', 'passed', 'passed', 'passed', 'rejected', 'rejected', 'dropped', 'passed', 'dropped']);
    expect(Object.fromEntries(ctx.counts)).toEqual({
      'algorithm.bcrypt': 2,
      'algorithm.pbkdf2': 2,
      'algorithm.md5plain': 1,
      'converted.pbkdf2-phc→pbkdf2': 1,
      'converted.md5-hex→md5plain': 1,
      "rejected: bcrypt cost 4 is below ZITADEL's minimum 10": 2,
      'password dropped: sha2 hashes are not accepted by the target (allow: bcrypt, pbkdf2, md5plain)': 1,
      'password dropped: unsalted sha256 hex is not supported by ZITADEL': 1,
      'without password': 1,
    });
  });
});
