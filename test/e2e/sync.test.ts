// Sync before cutover, end to end through the built CLI and the emulator over loopback: export A
// migrated with a shipped pipeline; export B (the fixtures' changed export: 5 % new users, 5 % new
// passwords, 2 % newly blocked, 2 % e-mail newly verified, 1 % removed) first diffed, then synced
// with `onExisting: update`. The emulator must then hold exactly B's mapping, the diff must have
// predicted exactly the changes the events show, unchanged users must have no event, removed users
// are listed and kept, changed passwords open and old ones do not. Then kill -9 while a password
// change has landed but its answer is held back, and a re-run: the same end state, and every
// user's events those of the uninterrupted sync (no change applied twice). And `onMissing:
// deactivate`: removed users deactivated, never deleted.
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type ChangeManifest, type ChangedExport, type GeneratedExport, bcryptCost10, generateAuth0Export, generateChangedExport } from '@idflow/fixtures';
import { type RunningEmulator, startEmulator } from '@idflow/zitadel-emulator';
import type { ZitadelUserRecord } from '@idflow/zitadel-model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, readNdjson, repoRoot, runCli, startCli } from './helpers.js';
import { type HoldingProxy, startHoldingProxy } from './holding-proxy.js';
import { eventTypesByUser, eventsAfter, expectedOf, latestSequence, logsIn, mapExport, partsByUser, readBack } from './sync-support.js';
import { zitadelEnv } from './zitadel-support.js';

const USERS = 2000;
const temp = makeTempDir('idflow-sync-e2e-');
const baseOptions = { dir: join(temp.dir, 'export-a'), users: USERS, seed: 14, formats: ['ndjson' as const] };
let exportA: GeneratedExport;
let exportB: ChangedExport;
let mappedA: Map<string, ZitadelUserRecord>;
let mappedB: Map<string, ZitadelUserRecord>;
const emulators: RunningEmulator[] = [];
/** The shipped pipelines' switch to sync. */
const sync = { ZITADEL_ON_EXISTING: 'update' };

beforeAll(async () => {
  exportA = await generateAuth0Export(baseOptions);
  exportB = await generateChangedExport({ base: baseOptions, dir: join(temp.dir, 'export-b'), seed: 140 });
  mappedA = await mapExport(exportA, join(temp.dir, 'map-a'));
  mappedB = await mapExport(exportB, join(temp.dir, 'map-b'));
}, 300_000);
afterAll(async () => {
  for (const emu of emulators) await emu.close();
  temp.cleanup();
});

interface SyncReport {
  status: string;
  counts: { written: number; present: number; updated: number; unchanged: number; rejected: number; undeliverable: number };
  updatedByPart: Record<string, number>;
  missing?: { count: number; deactivated: number; path?: string };
}

/** The parts each changed user of B must have changed: what the manifest says was done in Auth0. */
function manifestParts(manifest: ChangeManifest = exportB.manifest): Map<string, string[]> {
  return new Map<string, string[]>([
    ...manifest.added.map((user): [string, string[]] => [user.user_id, ['created']]),
    ...manifest.passwordChanged.map((user): [string, string[]] => [user.user_id, ['password']]),
    ...manifest.blocked.map((id): [string, string[]] => [id, ['state']]),
    ...manifest.emailVerified.map((id): [string, string[]] => [id, ['emailVerified']]),
  ]);
}

/** The known plain password of a user of B whose password did not change (from its hash in B). */
function knownPasswordOf(userId: string): string {
  const oid = userId.slice('auth0|'.length);
  // The password file holds malformed lines on purpose: only the user's own line is parsed.
  const line = readFileSync(exportB.passwords, 'utf8').split('\n').find((text) => text.includes(`"$oid":"${oid}"`));
  const record = line === undefined ? undefined : (JSON.parse(line) as { passwordHash: string });
  const known = bcryptCost10.find((hash) => hash.hash === record?.passwordHash);
  if (!known) throw new Error(`no known password for ${userId}`);
  return known.password;
}

/** A line of diff.ndjson (the fields this test reads). */
interface DiffLine {
  id: string;
  action: 'create' | 'update' | 'unchanged' | 'missing';
  changes?: Record<string, { from: unknown; to: unknown }>;
}

/** Per user id, the parts the diff predicted (`created` for a user it would create). */
function predictedParts(lines: readonly DiffLine[]): Map<string, string[]> {
  const predicted = new Map<string, string[]>();
  for (const line of lines) {
    if (line.action === 'create') predicted.set(line.id, ['created']);
    else if (line.action === 'update') predicted.set(line.id, Object.keys(line.changes ?? {}).sort());
  }
  return predicted;
}

/** Every user of B's mapping is in the emulator with exactly the fields the mapper set. */
async function expectEmulatorEqualsB(emu: RunningEmulator): Promise<void> {
  const different: string[] = [];
  for (const [id, record] of mappedB) {
    const held = await readBack(emu, id);
    if (JSON.stringify(held) !== JSON.stringify(expectedOf(record))) different.push(`${id}: holds ${JSON.stringify(held)}, B maps ${JSON.stringify(expectedOf(record))}`);
  }
  expect(different.slice(0, 3)).toEqual([]);
  expect(different).toHaveLength(0);
}

/**
 * A's migration by `pipeline` into a fresh emulator (reached at `url`, e.g. through a proxy: the
 * sync ledger is keyed by the URL, so every run of a case uses the same); the mark after it.
 */
async function migrateA(pipeline: string, label: string, url?: (emu: RunningEmulator) => Promise<string>, from: GeneratedExport = exportA) {
  const emu = await startEmulator({ port: 0 });
  emulators.push(emu);
  const state = join(temp.dir, `${label}-state`);
  const target = url ? { ZITADEL_URL: await url(emu) } : {};
  const env = (exp: GeneratedExport, out: string, extra: NodeJS.ProcessEnv = {}) =>
    zitadelEnv(emu, exp, join(temp.dir, `${label}-${out}`), { ZITADEL_RATE_LIMIT: '0', ZITADEL_CONCURRENCY: '8', IDFLOW_STATE_DIR: state, ...target, ...extra });
  const migrated = await runCli(['run', pipeline], { env: env(from, 'a') });
  expect(migrated.code, migrated.stderr.slice(-2000)).toBe(0);
  return { emu, env, mark: await latestSequence(emu) };
}

const pipelineV2 = join(repoRoot, 'pipelines', 'auth0-to-zitadel-v2.yaml');

/**
 * A 300-user export without edge cases (every id reaches the sink, so an absence proves a removal),
 * its B, and A migrated through the per-user pipeline (behind a holding proxy when asked).
 */
async function migrateSmallA(label: string, seed: number, proxied = false) {
  const options = { dir: join(temp.dir, `${label}-export-a`), users: 300, seed, formats: ['ndjson' as const], edgeCases: false };
  const a = await generateAuth0Export(options);
  const b = await generateChangedExport({ base: options, dir: join(temp.dir, `${label}-export-b`), seed: seed * 10 });
  let proxy: HoldingProxy | undefined;
  const toProxy = async (emu: RunningEmulator) => {
    proxy = await startHoldingProxy(emu.url);
    return proxy.url;
  };
  const migrated = await migrateA(pipelineV2, label, proxied ? toProxy : undefined, a);
  return { ...migrated, b, proxy };
}

const pipelines = [
  { label: 'per-user v2', slug: 'v2', file: 'auth0-to-zitadel-v2.yaml' },
  { label: 'bulk import', slug: 'bulk', file: 'auth0-to-zitadel.yaml' },
];

describe.each(pipelines)('sync of export B after A, $label pipeline', ({ slug, file }) => {
  const pipeline = join(repoRoot, 'pipelines', file);
  let cleanEvents: Map<string, string[]>;

  it('diff predicts exactly the changes the sync applies; the emulator then holds B; unchanged users get no event; removed users are listed and kept; new passwords open, old ones do not', async () => {
    const { emu, env, mark } = await migrateA(pipeline, slug);

    const diff = await runCli(['diff', pipeline], { env: env(exportB, 'diff', sync) });
    expect(diff.code, diff.stderr.slice(-2000)).toBe(0);
    expect(await eventsAfter(emu, mark)).toEqual([]); // diff wrote nothing
    const diffPath = join(temp.dir, `${slug}-diff`, 'diff.ndjson');
    expect(statSync(diffPath).mode & 0o777).toBe(0o600);
    expect(readFileSync(diffPath, 'utf8')).not.toMatch(/\$2[aby]\$\d\d\$/); // hashes masked
    const diffLines = readNdjson<DiffLine>(diffPath);
    const predicted = predictedParts(diffLines);
    const predictedMissing = diffLines.filter((line) => line.action === 'missing').map((line) => line.id);
    const predictedUnchanged = diffLines.filter((line) => line.action === 'unchanged').length;

    const synced = await runCli(['run', pipeline], { env: env(exportB, 'b', sync) });
    expect(synced.code, synced.stderr.slice(-2000)).toBe(0);
    const events = await eventsAfter(emu, mark);
    const applied = partsByUser(events);
    cleanEvents = eventTypesByUser(events);

    // What was done in Auth0 = what the diff predicted = what the events show, user by user.
    const expected = manifestParts();
    expect(Object.fromEntries(applied)).toEqual(Object.fromEntries(expected));
    expect(Object.fromEntries(predicted)).toEqual(Object.fromEntries(applied));
    // Each change is one event: nothing sent that was not needed.
    for (const [id, types] of cleanEvents) if (!expected.get(id)?.includes('created')) expect(types, id).toHaveLength(1);

    const { counts, updatedByPart, missing } = JSON.parse(readFileSync(join(temp.dir, `${slug}-b`, 'report.json'), 'utf8')) as SyncReport;
    const { manifest } = exportB;
    expect(counts.written).toBe(manifest.counts.added);
    expect(counts.updated).toBe(manifest.counts.passwordChanged + manifest.counts.blocked + manifest.counts.emailVerified);
    expect(updatedByPart).toEqual({ password: manifest.counts.passwordChanged, state: manifest.counts.blocked, emailVerified: manifest.counts.emailVerified });
    expect(counts.unchanged).toBe(mappedB.size - counts.written - counts.updated);
    expect(predictedUnchanged).toBe(counts.unchanged);
    expect(counts.undeliverable).toBe(0);

    // Removed users: listed as missing, never deleted, untouched.
    expect(missing?.count).toBe(manifest.counts.removed);
    expect(missing?.deactivated).toBe(0);
    const listed = readNdjson<{ id: string }>(join(temp.dir, `${slug}-b`, 'missing.ndjson')).map((line) => line.id);
    expect(listed.sort()).toEqual([...manifest.removed].sort());
    expect(predictedMissing.sort()).toEqual(listed);
    for (const id of manifest.removed) expect(await readBack(emu, id), id).toEqual(expectedOf(mappedA.get(id)!));

    await expectEmulatorEqualsB(emu);
    for (const id of manifest.blocked) expect((await readBack(emu, id))?.state, id).toBe('USER_STATE_LOCKED');
    for (const id of manifest.emailVerified) expect((await readBack(emu, id))?.emailVerified, id).toBe(true);

    // Real logins: the new password opens, the old one no longer does; new users log in.
    for (const change of manifest.passwordChanged.slice(0, 8)) {
      expect(await logsIn(emu, change.user_id, change.newPassword), `${change.user_id} with the new password`).toBe(true);
      expect(await logsIn(emu, change.user_id, change.oldPassword), `${change.user_id} with the old password`).toBe(false);
    }
    for (const user of manifest.added.slice(0, 4)) expect(await logsIn(emu, user.user_id, user.password), user.user_id).toBe(true);
    // A blocked user with the right password: it logged in before the sync, it cannot after.
    const blocked = manifest.blocked[0];
    const password = knownPasswordOf(blocked);
    expect(await logsIn(emu, manifest.emailVerified[0], knownPasswordOf(manifest.emailVerified[0]))).toBe(true);
    expect(await logsIn(emu, blocked, password), `${blocked} is locked`).toBe(false);

    // A second sync finds nothing to do: no event at all.
    const before = await latestSequence(emu);
    const again = await runCli(['run', pipeline, '--fresh'], { env: env(exportB, 'b', sync) });
    expect(again.code, again.stderr.slice(-2000)).toBe(0);
    expect(partsByUser(await eventsAfter(emu, before)).size).toBe(0);
  }, 600_000);

  it('kill -9 while a password change has landed but is unanswered, then a re-run: every user equals B, and no change was applied twice', async () => {
    expect(cleanEvents, 'the uninterrupted sync ran first').toBeDefined();
    let proxy: HoldingProxy | undefined;
    const { emu, env, mark } = await migrateA(pipeline, `${slug}-killed`, async (target) => {
      proxy = await startHoldingProxy(target.url);
      return proxy.url;
    });
    try {
      const outDir = join(temp.dir, `${slug}-killed-b`);
      // The first password sent once a checkpoint exists is applied by the emulator and its answer
      // swallowed: the sync waits for it with the hash pending in its ledger, and is killed right
      // then (long before its 30 s request timeout would re-send it) — no timing involved.
      const checkpoint = join(outDir, 'checkpoint.json');
      const held = proxy!.holdNext(({ method, body }) => method === 'PATCH' && body.includes('hashedPassword') && existsSync(checkpoint));
      const running = startCli(['run', pipeline], { env: env(exportB, 'b', sync) });
      const heldPath = await held;
      running.child.kill('SIGKILL');
      expect((await running.done).signal).toBe('SIGKILL');
      const heldUser = decodeURIComponent(heldPath.split('/').pop() ?? '');
      const atKill = await eventsAfter(emu, mark);
      expect(atKill.filter((event) => event.aggregateId === heldUser && event.type === 'user.human.password.changed')).toHaveLength(1);
      expect(partsByUser(atKill).size).toBeLessThan(manifestParts().size);

      const rerun = await runCli(['run', pipeline], { env: env(exportB, 'b', sync) });
      expect(rerun.code, rerun.stderr.slice(-2000)).toBe(0);
      expect(rerun.stderr).toMatch(/resuming after/);
      const events = await eventsAfter(emu, mark);
      expect(Object.fromEntries(partsByUser(events))).toEqual(Object.fromEntries(manifestParts()));
      const sorted = (byUser: Map<string, string[]>) => Object.fromEntries([...byUser].map(([id, types]) => [id, [...types].sort()]));
      expect(sorted(eventTypesByUser(events))).toEqual(sorted(cleanEvents));
      // The held user's hash was settled from ZITADEL's events, not sent again.
      const report = JSON.parse(readFileSync(join(outDir, 'report.json'), 'utf8')) as { metrics: Record<string, Record<string, number>> };
      expect(Object.values(report.metrics).reduce((n, counters) => n + (counters['sync.pendingPasswordConfirmed'] ?? 0), 0)).toBeGreaterThanOrEqual(1);
      await expectEmulatorEqualsB(emu);
    } finally {
      await proxy?.close();
    }
  }, 600_000);
});

describe('onMissing: deactivate', () => {
  it('deactivates the users the export no longer holds, never deletes them, and changes no one else', async () => {
    const { emu, env, mark, b } = await migrateSmallA('deactivate', 15);
    const synced = await runCli(['run', pipelineV2, '--set', 'sink.with.onMissing=deactivate'], { env: env(b, 'b', sync) });
    expect(synced.code, synced.stderr.slice(-2000)).toBe(0);
    const { missing } = JSON.parse(readFileSync(join(temp.dir, 'deactivate-b', 'report.json'), 'utf8')) as SyncReport;
    expect(missing).toMatchObject({ count: b.manifest.counts.removed, deactivated: b.manifest.counts.removed });
    const events = await eventsAfter(emu, mark);
    const deactivations = events.filter((event) => event.type === 'user.deactivated').map((event) => event.aggregateId);
    expect(deactivations.sort()).toEqual([...b.manifest.removed].sort());
    for (const id of b.manifest.removed) expect((await readBack(emu, id))?.state, id).toBe('USER_STATE_INACTIVE');
    // Everyone else got exactly the export's changes, nothing more.
    const expected = manifestParts(b.manifest);
    for (const id of b.manifest.removed) expected.set(id, ['state']);
    expect(Object.fromEntries(partsByUser(events))).toEqual(Object.fromEntries(expected));
    expect(events.some((event) => event.type === 'user.removed')).toBe(false);
  }, 300_000);
});

describe('an answer lost inside one sync run', () => {
  it('re-sends the update without the password that already landed: one password.changed per changed user', async () => {
    const { emu, env, mark, b, proxy } = await migrateSmallA('lost', 16, true);
    try {
      // The first UpdateUser carrying a hash lands, its answer never comes: after 2 s the sink tries again.
      const held = proxy!.holdNext(({ method, body }) => method === 'PATCH' && body.includes('hashedPassword'));
      const synced = await runCli(['run', pipelineV2, '--set', 'sink.with.requestTimeout=2s'], { env: env(b, 'b', sync) });
      expect(synced.code, synced.stderr.slice(-2000)).toBe(0);
      const heldUser = decodeURIComponent((await held).split('/').pop() ?? '');
      const events = await eventsAfter(emu, mark);
      expect(eventTypesByUser(events).get(heldUser)).toEqual(['user.human.password.changed']);
      expect(Object.fromEntries(partsByUser(events))).toEqual(Object.fromEntries(manifestParts(b.manifest)));
    } finally {
      await proxy?.close();
    }
  }, 300_000);
});
