// The bulk import sink against a real emulator over 127.0.0.1.
import { FatalError, type SinkOutcome } from '@idflow/engine';
import { describe, expect, it } from 'vitest';
import { type Emulator, useEmulator } from '../emulator.test-helpers.js';
import { envelopes, makeUser, recordingContext } from '../test-support.test-helpers.js';
import { type ImportSinkConfig, createImportSink } from './import-sink.js';

function sinkFor(emu: Emulator, overrides: Partial<ImportSinkConfig> = {}, ctx = recordingContext()) {
  const config: ImportSinkConfig = {
    url: emu.url,
    orgId: emu.orgId,
    auth: { pat: emu.pat },
    retry: { attempts: 12, initialDelay: 5, maxDelay: 50, maxElapsed: '60s' },
    ...overrides,
  };
  return { sink: createImportSink(config, ctx), ctx };
}

const statuses = (outcomes: SinkOutcome[]) => outcomes.map((o) => o.status);

describe('zitadel-import sink', () => {
  it('imports users with metadata, and a re-run finds them present', async () => {
    const emu = await useEmulator();
    const users = [1, 2, 3].map((n) => makeUser(n));
    const { sink } = sinkFor(emu);
    expect(statuses(await sink.write(envelopes(users)))).toEqual(['written', 'written', 'written']);
    expect(statuses(await sink.write(envelopes(users)))).toEqual(['present', 'present', 'present']);
    await sink.close();
    const stats = await emu.stats();
    expect(stats.users).toBe(3);
    expect(stats.metadata).toBe(3);
  });

  it('maps per-user errors: username taken, hash refused', async () => {
    const emu = await useEmulator();
    const { sink } = sinkFor(emu);
    await sink.write(envelopes([makeUser(1)]));
    const taken = makeUser(2, { userName: 'user1@example.com' });
    const md5Crypt = makeUser(3, { hashedPassword: { value: '$1$saltsalt$qjXMvbEw8oaL.CzflDugX/' } });
    const outcomes = await sink.write(envelopes([taken, md5Crypt, makeUser(4)]));
    await sink.close();
    expect(outcomes[0]).toMatchObject({ status: 'rejected', reason: 'userName already taken in ZITADEL' });
    // The default bcrypt hasher reports "not a bcrypt version", so ZITADEL answers CRYPT-r8Qm2.
    expect(outcomes[1]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/^ZITADEL refused the password hash: no enabled verifier could parse it .*CRYPT-r8Qm2/) });
    expect(outcomes[2]).toEqual({ status: 'written' });
    expect((await emu.stats()).users).toBe(2);
  });

  it('bisects a batch ZITADEL refuses as a whole, dead-lettering only the offending users', async () => {
    const emu = await useEmulator();
    const users = Array.from({ length: 40 }, (_, i) => makeUser(i + 1));
    // Passes the sink but breaks ZITADEL's field rule (preferredLanguage ≤ 10 runes): the
    // validator would have caught it; here it is sent on purpose.
    users[5] = makeUser(6, { profile: { firstName: 'A', lastName: 'B', preferredLanguage: 'x'.repeat(11) } });
    users[31] = makeUser(32, { profile: { firstName: '', lastName: 'B' } });
    const { sink, ctx } = sinkFor(emu);
    const outcomes = await sink.write(envelopes(users));
    await sink.close();
    expect(outcomes[5]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/PreferredLanguage/i) });
    expect(outcomes[31]).toMatchObject({ status: 'rejected', reason: expect.stringMatching(/FirstName/i) });
    expect(outcomes.filter((o) => o.status === 'written')).toHaveLength(38);
    expect(ctx.counts.get('bisections')).toBeGreaterThan(0);
    expect((await emu.stats()).users).toBe(38);
  });

  it('retries 429, 503, resets and timeouts until every user is in exactly once', async () => {
    const emu = await useEmulator({
      faults: { seed: 7, unavailable: 0.1, tooManyRequests: 0.1, resetAfterWrite: 0.1, timeoutHalfWritten: 0.1, slow: 0.05, slowMs: 3000 },
    });
    const users = Array.from({ length: 120 }, (_, i) => makeUser(i + 1));
    // A 1s import timeout makes the client give up on the 3s slow answers (after 1.5 s) and re-send.
    const { sink, ctx } = sinkFor(emu, { batchSize: 10, timeout: '1s' });
    const outcomes: SinkOutcome[] = [];
    for (let i = 0; i < users.length; i += 10) outcomes.push(...(await sink.write(envelopes(users.slice(i, i + 10)))));
    await sink.close();
    expect(outcomes.every((o) => o.status === 'written' || o.status === 'present')).toBe(true);
    const stats = await emu.stats();
    expect(stats.users).toBe(120);
    expect(stats.faults.total).toBeGreaterThan(0);
    expect(ctx.counts.get('retries')).toBeGreaterThanOrEqual(stats.faults.total - (stats.faults.byKind.slow ?? 0));
  });

  it('past the retry budget the users come back retryable (the runner dead-letters them as target unavailable)', async () => {
    const emu = await useEmulator({ faults: { seed: 1, unavailable: 1 } });
    const { sink } = sinkFor(emu, { retry: { attempts: 3, initialDelay: 1, maxDelay: 5 } });
    const outcomes = await sink.write(envelopes([makeUser(1), makeUser(2)]));
    await sink.close();
    expect(outcomes).toEqual([
      { status: 'retryable', reason: expect.stringMatching(/^HTTP 503/) },
      { status: 'retryable', reason: expect.stringMatching(/^HTTP 503/) },
    ]);
  });

  it('a refused token is fatal, with one clear message that does not contain it', async () => {
    const emu = await useEmulator();
    const secret = 'not-the-right-token-4f1c9b';
    const { sink, ctx } = sinkFor(emu, { auth: { pat: secret } });
    const error = await sink.write(envelopes([makeUser(1)])).catch((e: unknown) => e);
    await sink.close();
    expect(error).toBeInstanceOf(FatalError);
    expect((error as Error).message).toMatch(/refused the pat credentials \(401 Unauthenticated\)/);
    expect(JSON.stringify([String(error), ctx.logs, ctx.warnings])).not.toContain(secret);
  });
});

describe('zitadel-import: ZITADEL\'s own rules it cannot check before sending', () => {
  it('a userName on a domain another org verified is refused per user with a reason that says what to do (both APIs)', async () => {
    const emu = await useEmulator({ orgs: ['org-main', { id: 'org-acme', verifiedDomains: ['acme.com'] }] });
    const { sink } = sinkFor(emu, { orgId: 'org-main' });
    // User 2 goes through the import, user 3 (unverified e-mail) through v2: both refuse the domain.
    const outcomes = await sink.write(
      envelopes([
        makeUser(1),
        makeUser(2, { userName: 'ada@acme.com' }),
        makeUser(3, { userName: 'bob@acme.com', email: { email: 'bob@acme.com', isEmailVerified: false } }),
      ]),
    );
    await sink.close();
    expect(outcomes[0]).toEqual({ status: 'written' });
    for (const outcome of outcomes.slice(1)) {
      expect(outcome).toMatchObject({
        status: 'rejected',
        reason: expect.stringMatching(/^ZITADEL refused the userName: its domain is verified by another organization \(.*COMMAND-SFd21.*\); use another userName/),
      });
    }
  });
});

describe('zitadel-import: a password change the import would ignore', () => {
  it('goes through AddHumanUser, which keeps it (changeRequired on the hash)', async () => {
    const emu = await useEmulator();
    const { sink, ctx } = sinkFor(emu, { onboarding: 'zitadel' });
    expect(statuses(await sink.write(envelopes([makeUser(1, { passwordChangeRequired: true })])))).toEqual(['written']);
    await sink.close();
    expect(ctx.counts.get('via v2: password change required')).toBe(1);
    const answer = await fetch(`${emu.url}/admin/v1/events/_search`, {
      method: 'POST',
      headers: { authorization: `Bearer ${emu.pat}`, 'content-type': 'application/json' },
      body: JSON.stringify({ aggregateId: makeUser(1).userId, eventTypes: ['user.human.added'] }),
    });
    const events = ((await answer.json()) as { events: { payload: { changeRequired?: boolean } }[] }).events;
    expect(events.map((e) => e.payload.changeRequired)).toEqual([true]);
  });
});

describe('zitadel-import onboarding', () => {
  const batch = () => [
    makeUser(1),
    makeUser(2, { email: { email: 'user2@example.com', isEmailVerified: false } }),
    makeUser(3, { hashedPassword: undefined }, { withoutPassword: 'social' }),
    makeUser(4, {}, { state: 'USER_STATE_LOCKED' }),
  ];

  it('silent (default): users the import would make INITIAL go through AddHumanUser in the same batch, all ACTIVE, nothing sent', async () => {
    const emu = await useEmulator();
    const { sink, ctx } = sinkFor(emu);
    expect(statuses(await sink.write(envelopes(batch())))).toEqual(['written', 'written', 'written', 'written']);
    await sink.close();
    const stats = await emu.stats();
    expect(stats.imports.usersWritten).toBe(2);
    expect(stats.v2UsersCreated).toBe(2);
    expect(ctx.counts.get('via v2: e-mail not verified')).toBe(1);
    expect(ctx.counts.get('via v2: no password')).toBe(1);
    expect(Object.fromEntries([...ctx.counts].filter(([k]) => /^(state|notifications|written)\./.test(k)))).toEqual({
      'state.active': 3,
      'state.locked': 1,
      'written.without-password.social': 1,
    });
    expect(stats.usersByState).toEqual({ USER_STATE_ACTIVE: 3, USER_STATE_LOCKED: 1 });
  });

  it('zitadel: everything through the import, with the INITIAL users and init e-mails ZITADEL makes counted', async () => {
    const emu = await useEmulator();
    const { sink, ctx } = sinkFor(emu, { onboarding: 'zitadel' });
    expect(statuses(await sink.write(envelopes(batch())))).toEqual(['written', 'written', 'written', 'written']);
    await sink.close();
    expect((await emu.stats()).imports.usersWritten).toBe(4);
    expect(ctx.counts.get('state.initial')).toBe(2);
    expect(ctx.counts.get('notifications.init-email')).toBe(2);
  });
});

describe('zitadel-import timeouts', () => {
  it('re-sends a batch that ran out of its timeout in smaller requests', async () => {
    // 40 users at 60 ms each need 2.4 s; the import timeout is 1 s.
    const emu = await useEmulator({ perUserWriteCostMs: 60 });
    const users = Array.from({ length: 40 }, (_, i) => makeUser(i + 1));
    const { sink, ctx } = sinkFor(emu, { timeout: '1s', batchSize: 40 });
    const outcomes = await sink.write(envelopes(users));
    await sink.close();
    expect(outcomes.every((o) => o.status === 'written' || o.status === 'present')).toBe(true);
    expect(ctx.counts.get('timeouts')).toBeGreaterThan(0);
    const stats = await emu.stats();
    expect(stats.users).toBe(40);
    expect(stats.imports.timedOut).toBeGreaterThan(0);
  });
});
