import { describe, expect, it } from 'vitest';
import { EmulatorFlagError, emulatorOptionsFromFlags, formatStartupBanner } from './cli-flags.js';
import { useEmulator } from './emulator.test-helpers.js';

describe('emulatorOptionsFromFlags', () => {
  it('maps every flag', () => {
    expect(
      emulatorOptionsFromFlags({
        port: 8080,
        host: '0.0.0.0',
        db: 'x.sqlite',
        pat: 'p',
        org: ['o1', 'o2'],
        verifiers: 'bcrypt, argon2,pbkdf2',
        rateLimit: 'cloud',
        faults: '503=0.1,reset=0.05',
        faultSeed: 9,
        overloadStatus: 429,
      }),
    ).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      db: 'x.sqlite',
      pat: 'p',
      orgs: ['o1', 'o2'],
      verifiers: ['bcrypt', 'argon2', 'pbkdf2'],
      rateLimit: 'cloud',
      faults: { unavailable: 0.1, resetAfterWrite: 0.05, seed: 9 },
      overloadStatus: 429,
    });
    expect(emulatorOptionsFromFlags({ rateLimit: '25' }).rateLimit).toBe(25);
  });

  it('reads --idp id[:name[:flags]]: without flags console\'s defaults, with flags exactly those', () => {
    expect(emulatorOptionsFromFlags({ idp: ['google-oauth2:Google', 'corp:Corp:link', 'sso::autocreate,autolink=email', 'x:X:none'] }).idps).toEqual([
      { id: 'google-oauth2', name: 'Google' },
      { id: 'corp', name: 'Corp', options: { isCreationAllowed: false, isLinkingAllowed: true } },
      { id: 'sso', name: undefined, options: { isCreationAllowed: false, isLinkingAllowed: false, isAutoCreation: true, autoLinking: 'AUTO_LINKING_OPTION_EMAIL' } },
      { id: 'x', name: 'X', options: { isCreationAllowed: false, isLinkingAllowed: false } },
    ]);
    expect(() => emulatorOptionsFromFlags({ idp: ['g:G:creat'] })).toThrow(/--idp g:G:creat: unknown flag "creat"/);
  });

  it.each([
    [{ verifiers: 'bcrypt,sha1' }, /--verifiers: unknown verifier "sha1"/],
    [{ rateLimit: 'fast' }, /--rate-limit/],
    [{ faults: 'oops=1' }, /--faults: unknown fault "oops"/],
    [{ port: 70000 }, /--port/],
    [{ overloadStatus: 500 }, /--overload-status/],
  ])('rejects %j naming the flag', (flags, message) => {
    expect(() => emulatorOptionsFromFlags(flags)).toThrow(EmulatorFlagError);
    expect(() => emulatorOptionsFromFlags(flags)).toThrow(message);
  });

  it('rejects impossible fault probabilities when starting', async () => {
    await expect(useEmulator({ faults: { unavailable: 0.8, slow: 0.5 } })).rejects.toThrow(/add up to at most 1/);
  });
});

describe('formatStartupBanner', () => {
  it('shows URL, PAT, orgs and the service user', async () => {
    const emulator = await useEmulator({ orgs: ['org-1', { id: 'org-2', name: 'Second' }], pat: 'the-pat' });
    const user = await emulator.createServiceUser({ name: 'ci-bot' });
    const banner = formatStartupBanner(emulator, { ...user, keyFile: '/tmp/key.json' });
    expect(banner).toContain(`listening on ${emulator.url}`);
    expect(banner).toContain('PAT (IAM_OWNER): the-pat');
    expect(banner).toContain('orgs: org-1, org-2');
    expect(banner).toContain('key file /tmp/key.json');
    expect(banner).toContain('client id: ci-bot');
  });
});
