// Issue 14: `onExisting: update` through the sinks' public contract against the emulator, proven by
// ZITADEL's own event log (Admin ListEvents): an unchanged user produces no event and no write,
// a changed password exactly one `user.human.password.changed` (and logs in with the new password
// only), a newly blocked user is locked, a newly verified address gets `user.human.email.verified`;
// a user the ledger knows nothing about has its password set once, then never again; `idflow diff`
// (ctx.diffPath) predicts exactly the changes a sync then applies, and writes nothing.
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hashPassword } from '@idflow/password-hashes';
import type { RunningEmulator } from '@idflow/zitadel-emulator';
import type { ZitadelUserRecord } from '@idflow/zitadel-model';
import { describe, expect, it } from 'vitest';
import { useEmulator } from '../emulator.test-helpers.js';
import { createImportSink } from '../import/import-sink.js';
import { envelopes, knownBcryptHash, knownPassword, makeUser, recordingContext } from '../test-support.test-helpers.js';
import { createUsersSink } from '../users/users-sink.js';
import { SyncLedger } from './sync-ledger.js';

interface EmulatorEvent {
  type: { type: string };
  aggregate: { id: string };
}

async function eventsOf(emu: RunningEmulator): Promise<EmulatorEvent[]> {
  const response = await fetch(`${emu.url}/admin/v1/events/_search`, {
    method: 'POST',
    headers: { authorization: `Bearer ${emu.pat}`, 'content-type': 'application/json' },
    body: JSON.stringify({ aggregateTypes: ['user'], asc: true, limit: 100000 }),
  });
  return ((await response.json()) as { events?: EmulatorEvent[] }).events ?? [];
}

/** Events written after the first `since` events, as `userId type`. */
async function newEvents(emu: RunningEmulator, since: number): Promise<string[]> {
  return (await eventsOf(emu)).slice(since).map((event) => `${event.aggregate.id} ${event.type.type}`);
}

async function logsIn(emu: RunningEmulator, userId: string, password: string): Promise<boolean> {
  const response = await fetch(`${emu.url}/v2/sessions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${emu.pat}`, 'content-type': 'application/json' },
    body: JSON.stringify({ checks: { user: { userId }, password: { password } } }),
  });
  return response.status === 200 || response.status === 201;
}

function sinkOf(emu: RunningEmulator, ledgerDir: string, extra: { onExisting?: 'skip' | 'update'; onMissing?: 'list' | 'deactivate'; diffPath?: string } = {}) {
  const ctx = recordingContext();
  if (extra.diffPath) ctx.diffPath = extra.diffPath;
  const sink = createUsersSink(
    {
      url: emu.url,
      orgId: emu.orgId,
      auth: { pat: emu.pat },
      rateLimit: 0,
      concurrency: 4,
      retry: { attempts: 3, initialDelay: 1, maxDelay: 5 },
      syncLedger: join(ledgerDir, 'ledger.sqlite'),
      ...(extra.onExisting ? { onExisting: extra.onExisting } : {}),
      ...(extra.onMissing ? { onMissing: extra.onMissing } : {}),
    },
    ctx,
  );
  return { sink, ctx };
}

const writesOf = (emu: RunningEmulator) =>
  Object.entries(emu.stats().requests)
    .filter(([route]) => route.startsWith('PATCH') || /\/(lock|unlock|deactivate|reactivate|links)$/.test(route))
    .map(([route]) => route);

describe('onExisting: update (zitadel-users)', () => {
  it('an unchanged user costs its share of one ListUsers call (plus a metadata read when it has metadata) and writes no event', async () => {
    const emu = await useEmulator();
    const dir = mkdtempSync(join(tmpdir(), 'idflow-sync-'));
    const users = [makeUser(1), makeUser(2, {}, { metadata: [] }), makeUser(3, {}, { metadata: [] })];
    const first = sinkOf(emu, dir);
    // Without sync there is no run id to checkpoint: no checkpointState, so checkpoints never pause writes.
    expect(first.sink.checkpointState).toBeUndefined();
    expect((await first.sink.write(envelopes(users))).map((o) => o.status)).toEqual(['written', 'written', 'written']);
    await first.sink.close();
    const before = (await eventsOf(emu)).length;
    const requestsBefore = structuredClone(emu.stats().requests);

    const again = sinkOf(emu, dir, { onExisting: 'update' });
    await again.sink.open?.(undefined);
    expect(await again.sink.write(envelopes(users))).toEqual([{ status: 'unchanged' }, { status: 'unchanged' }, { status: 'unchanged' }]);
    await again.sink.close();
    expect(await newEvents(emu, before)).toEqual([]);
    const requests = emu.stats().requests;
    const delta = (route: string) => Object.values(requests[route] ?? {}).reduce((a, b) => a + b, 0) - Object.values(requestsBefore[route] ?? {}).reduce((a, b) => a + b, 0);
    expect(delta('POST /v2/users')).toBe(1);
    expect(delta('POST /v2/users/{userId}/metadata/search')).toBe(1);
    expect(writesOf(emu)).toEqual([]);
  });

  it('sends only what differs: one password.changed for a new hash, a lock, a verified address; logins follow the new hash', async () => {
    const emu = await useEmulator();
    const dir = mkdtempSync(join(tmpdir(), 'idflow-sync-'));
    const oldHash = await hashPassword('bcrypt', 'old battery 2');
    const a = [
      makeUser(1, { hashedPassword: { value: oldHash } }),
      makeUser(2),
      makeUser(3, { email: { email: 'user3@example.com', isEmailVerified: false } }),
      makeUser(4),
    ];
    const b = [makeUser(1), makeUser(2, {}, { state: 'USER_STATE_LOCKED' }), makeUser(3), makeUser(4)];
    const first = sinkOf(emu, dir);
    await first.sink.write(envelopes(a));
    await first.sink.close();
    expect(await logsIn(emu, a[0].userId, 'old battery 2')).toBe(true);
    const before = (await eventsOf(emu)).length;

    const diffPath = join(dir, 'diff.ndjson');
    const preview = sinkOf(emu, dir, { onExisting: 'update', diffPath });
    await preview.sink.open?.(undefined);
    const predicted = await preview.sink.write(envelopes(b));
    await preview.sink.close();
    expect(await newEvents(emu, before)).toEqual([]);
    expect(statSync(diffPath).mode & 0o777).toBe(0o600);
    const lines = readFileSync(diffPath, 'utf8').trim().split('\n').map((line) => JSON.parse(line));
    expect(lines.map((l) => [l.id, l.action, Object.keys(l.changes ?? {})])).toEqual([
      [b[0].userId, 'update', ['password']],
      [b[1].userId, 'update', ['state']],
      [b[2].userId, 'update', ['emailVerified']],
      [b[3].userId, 'unchanged', []],
    ]);
    expect(lines[0].changes.password).toEqual({ from: 'set', to: 'set (changed)' });
    expect(readFileSync(diffPath, 'utf8')).not.toContain('$2b$');

    const sync = sinkOf(emu, dir, { onExisting: 'update' });
    await sync.sink.open?.(undefined);
    const applied = await sync.sink.write(envelopes(b));
    await sync.sink.close();
    expect(applied).toEqual([
      { status: 'updated', changes: ['password'] },
      { status: 'updated', changes: ['state'] },
      { status: 'updated', changes: ['emailVerified'] },
      { status: 'unchanged' },
    ]);
    expect(applied).toEqual(predicted);
    expect((await newEvents(emu, before)).sort()).toEqual(
      [`${b[0].userId} user.human.password.changed`, `${b[1].userId} user.locked`, `${b[2].userId} user.human.email.verified`].sort(),
    );
    expect(await logsIn(emu, b[0].userId, knownPassword)).toBe(true);
    expect(await logsIn(emu, b[0].userId, 'old battery 2')).toBe(false);

    // Run again: converged, nothing written.
    const settled = (await eventsOf(emu)).length;
    const third = sinkOf(emu, dir, { onExisting: 'update' });
    await third.sink.open?.(undefined);
    expect((await third.sink.write(envelopes(b))).map((o) => o.status)).toEqual(['unchanged', 'unchanged', 'unchanged', 'unchanged']);
    await third.sink.close();
    expect(await newEvents(emu, settled)).toEqual([]);
  });

  it('a password the ledger never recorded is set once (counted apart), then known', async () => {
    const emu = await useEmulator();
    const created = sinkOf(emu, mkdtempSync(join(tmpdir(), 'idflow-sync-')));
    await created.sink.write(envelopes([makeUser(1)]));
    await created.sink.close();
    const before = (await eventsOf(emu)).length;
    const dir = mkdtempSync(join(tmpdir(), 'idflow-sync-'));
    const first = sinkOf(emu, dir, { onExisting: 'update' });
    expect(await first.sink.write(envelopes([makeUser(1)]))).toEqual([{ status: 'updated', changes: ['password'] }]);
    await first.sink.close();
    expect(first.ctx.counts.get('sync.passwordUnknownSet')).toBe(1);
    const second = sinkOf(emu, dir, { onExisting: 'update' });
    expect(await second.sink.write(envelopes([makeUser(1)]))).toEqual([{ status: 'unchanged' }]);
    await second.sink.close();
    expect(await newEvents(emu, before)).toEqual([`${makeUser(1).userId} user.human.password.changed`]);
  });

  it('a hash left pending by a crash after UpdateUser landed is settled by the event log, not sent twice', async () => {
    const emu = await useEmulator();
    const dir = mkdtempSync(join(tmpdir(), 'idflow-sync-'));
    const oldHash = await hashPassword('bcrypt', 'old battery 2');
    const first = sinkOf(emu, dir);
    await first.sink.write(envelopes([makeUser(1, { hashedPassword: { value: oldHash } })]));
    await first.sink.close();
    // The crashed run: pending written, UpdateUser landed, no confirmation.
    const ledger = new SyncLedger(join(dir, 'ledger.sqlite'), JSON.stringify({ url: emu.url, orgId: emu.orgId }), false);
    ledger.passwordSending(makeUser(1).userId, knownBcryptHash);
    ledger.close();
    const landed = await fetch(`${emu.url}/v2/users/${encodeURIComponent(makeUser(1).userId)}`, {
      method: 'PATCH',
      headers: { authorization: `Bearer ${emu.pat}`, 'content-type': 'application/json' },
      body: JSON.stringify({ human: { password: { hashedPassword: { hash: knownBcryptHash } } } }),
    });
    expect(landed.status).toBe(200);
    const before = (await eventsOf(emu)).length;
    const rerun = sinkOf(emu, dir, { onExisting: 'update' });
    expect(await rerun.sink.write(envelopes([makeUser(1)]))).toEqual([{ status: 'unchanged' }]);
    await rerun.sink.close();
    expect(rerun.ctx.counts.get('sync.pendingPasswordConfirmed')).toBe(1);
    expect(await newEvents(emu, before)).toEqual([]);
  });

  it('onMissing: users of the pipeline absent from the export are listed, and deactivated only when asked', async () => {
    const emu = await useEmulator();
    const dir = mkdtempSync(join(tmpdir(), 'idflow-sync-'));
    const first = sinkOf(emu, dir);
    await first.sink.write(envelopes([makeUser(1), makeUser(2), makeUser(3)]));
    await first.sink.close();

    const listing = sinkOf(emu, dir, { onExisting: 'update' });
    await listing.sink.open?.(undefined);
    await listing.sink.write(envelopes([makeUser(1), makeUser(3)]));
    const listed = await listing.sink.finish?.({ refusedBeforeSink: 0, outputDir: dir });
    await listing.sink.close();
    expect(listed?.missing).toEqual({ count: 1, deactivated: 0, path: join(dir, 'missing.ndjson') });
    expect(readFileSync(join(dir, 'missing.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l))).toEqual([
      { id: makeUser(2).userId, userName: makeUser(2).user.userName, state: 'USER_STATE_ACTIVE' },
    ]);
    expect(statSync(join(dir, 'missing.ndjson')).mode & 0o777).toBe(0o600);

    const refusedBefore = sinkOf(emu, dir, { onExisting: 'update', onMissing: 'deactivate' });
    await refusedBefore.sink.open?.(undefined);
    await refusedBefore.sink.write(envelopes([makeUser(1), makeUser(3)]));
    expect((await refusedBefore.sink.finish?.({ refusedBeforeSink: 1, outputDir: dir }))?.missing).toMatchObject({ count: 1, deactivated: 0 });
    await refusedBefore.sink.close();

    const deactivating = sinkOf(emu, dir, { onExisting: 'update', onMissing: 'deactivate' });
    await deactivating.sink.open?.(undefined);
    await deactivating.sink.write(envelopes([makeUser(1), makeUser(3)]));
    expect((await deactivating.sink.finish?.({ refusedBeforeSink: 0, outputDir: dir }))?.missing).toMatchObject({ count: 1, deactivated: 1 });
    await deactivating.sink.close();
    const states = await fetch(`${emu.url}/v2/users/${encodeURIComponent(makeUser(2).userId)}`, { headers: { authorization: `Bearer ${emu.pat}` } });
    expect(((await states.json()) as { user: { state: string } }).user.state).toBe('USER_STATE_INACTIVE');
  });
});

describe('a re-sent UpdateUser (its answer lost after it landed)', () => {
  it('does not set the same hash twice: the event log says it landed, the password is left out', async () => {
    const emu = await useEmulator({ faults: { seed: 11, resetAfterWrite: 0.5, routes: ['PATCH /v2/users/{userId}'] } });
    const dir = mkdtempSync(join(tmpdir(), 'idflow-sync-'));
    const oldHash = await hashPassword('bcrypt', 'old battery 2');
    const ids = [1, 2, 3, 4, 5, 6, 7, 8];
    const first = sinkOf(emu, dir);
    await first.sink.write(envelopes(ids.map((n) => makeUser(n, { hashedPassword: { value: oldHash } }, { metadata: [] }))));
    await first.sink.close();
    const before = (await eventsOf(emu)).length;
    const ctx = recordingContext();
    const sync = createUsersSink(
      { url: emu.url, orgId: emu.orgId, auth: { pat: emu.pat }, rateLimit: 0, concurrency: 4, retry: { attempts: 12, initialDelay: 1, maxDelay: 5 }, syncLedger: join(dir, 'ledger.sqlite'), onExisting: 'update' },
      ctx,
    );
    const changed = ids.map((n) => makeUser(n, {}, { metadata: [] }));
    expect((await sync.write(envelopes(changed))).map((o) => o.status)).toEqual(ids.map(() => 'updated'));
    await sync.close();
    expect(emu.stats().faults.total).toBeGreaterThan(0);
    expect(ctx.counts.get('sync.resentPasswordLanded')).toBeGreaterThan(0);
    expect((await newEvents(emu, before)).sort()).toEqual(changed.map((r) => `${r.userId} user.human.password.changed`).sort());
    for (const record of changed) expect(await logsIn(emu, record.userId, knownPassword)).toBe(true);
  });
});

describe('onMissing across a resume', () => {
  it('the users an interrupted run saw still count (its run id travels in the checkpoint); a lost ledger turns the check off', async () => {
    const emu = await useEmulator();
    const dir = mkdtempSync(join(tmpdir(), 'idflow-sync-'));
    const first = sinkOf(emu, dir);
    await first.sink.write(envelopes([makeUser(1), makeUser(2), makeUser(3)]));
    await first.sink.close();

    const interrupted = sinkOf(emu, dir, { onExisting: 'update' });
    await interrupted.sink.open?.(undefined);
    await interrupted.sink.write(envelopes([makeUser(1)]));
    const state = await interrupted.sink.checkpointState?.();
    await interrupted.sink.close();
    expect(state).toEqual({ syncRun: expect.any(String), seen: 1 });

    const resumed = sinkOf(emu, dir, { onExisting: 'update' });
    await resumed.sink.open?.(state);
    await resumed.sink.write(envelopes([makeUser(3)]));
    expect((await resumed.sink.finish?.({ refusedBeforeSink: 0, outputDir: dir }))?.missing).toMatchObject({ count: 1 });
    await resumed.sink.close();
    expect(readFileSync(join(dir, 'missing.ndjson'), 'utf8')).toContain(makeUser(2).userId);

    const elsewhere = mkdtempSync(join(tmpdir(), 'idflow-sync-'));
    const lost = sinkOf(emu, elsewhere, { onExisting: 'update' });
    await lost.sink.open?.(state);
    await lost.sink.write(envelopes([makeUser(3)]));
    expect(await lost.sink.finish?.({ refusedBeforeSink: 0, outputDir: elsewhere })).toBeUndefined();
    await lost.sink.close();
    expect(lost.ctx.warnings.join('\n')).toMatch(/no longer holds the users this run saw/);
  });
});

describe('onExisting: update (zitadel-import)', () => {
  it('imports new users and updates existing ones through v2 in the same batch', async () => {
    const emu = await useEmulator();
    const dir = mkdtempSync(join(tmpdir(), 'idflow-sync-'));
    const config = { url: emu.url, orgId: emu.orgId, auth: { pat: emu.pat }, syncLedger: join(dir, 'ledger.sqlite'), retry: { attempts: 3, initialDelay: 1, maxDelay: 5 } };
    const oldHash = await hashPassword('bcrypt', 'old battery 2');
    const first = createImportSink(config, recordingContext());
    expect((await first.write(envelopes([makeUser(1, { hashedPassword: { value: oldHash } }), makeUser(2)]))).map((o) => o.status)).toEqual(['written', 'written']);
    await first.close();
    const before = (await eventsOf(emu)).length;
    const records: ZitadelUserRecord[] = [makeUser(1), makeUser(2), makeUser(3)];
    const sync = createImportSink({ ...config, onExisting: 'update' }, recordingContext());
    await sync.open?.(undefined);
    expect(await sync.write(envelopes(records))).toEqual([{ status: 'updated', changes: ['password'] }, { status: 'unchanged' }, { status: 'written' }]);
    await sync.close();
    const events = await newEvents(emu, before);
    expect(events.filter((e) => e.startsWith(makeUser(1).userId))).toEqual([`${makeUser(1).userId} user.human.password.changed`]);
    expect(events.filter((e) => e.startsWith(makeUser(2).userId))).toEqual([]);
    expect(await logsIn(emu, makeUser(1).userId, knownPassword)).toBe(true);
  });
});
