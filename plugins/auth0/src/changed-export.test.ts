// Export B (the fixtures' changed export, for sync tests) reads through the source like any export:
// every container yields the same records, each change of the manifest is visible on the joined
// record, removed users are gone and new users come with their hash.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ChangedExport, type GeneratedExport, bcryptCost10, changedBcryptCost10, generateAuth0Export, generateChangedExport } from '@idflow/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { byUserId, readAll } from './source.test-helpers.js';

const base = { dir: '', users: 400, seed: 21, formats: ['ndjson' as const, 'csv' as const] };
let dir: string;
let exportA: GeneratedExport;
let exportB: ChangedExport;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'auth0-changed-'));
  base.dir = join(dir, 'a');
  exportA = await generateAuth0Export(base);
  exportB = await generateChangedExport({ base, dir: join(dir, 'b'), seed: 4, rates: { added: 0.05, removed: 0.02 } });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('auth0 source on a changed export (B)', () => {
  it('reads B with the same rejects as A plus none of its own, in NDJSON and CSV alike', async () => {
    const a = await readAll(dir, { profiles: exportA.profiles.ndjson!, passwords: exportA.passwords });
    const b = await readAll(dir, { profiles: exportB.profiles.ndjson!, passwords: exportB.passwords });
    const csv = await readAll(dir, { profiles: exportB.profiles.csv!, passwords: exportB.passwords });
    expect(b.records).toHaveLength(exportB.expected.users);
    expect(b.records).toHaveLength(a.records.length - exportB.manifest.counts.removed + exportB.manifest.counts.added);
    expect(csv.records.map((r) => r.data)).toEqual(b.records.map((r) => r.data));
    const reasons = (result: typeof a) => result.rejects.map((reject) => reject.reason).sort();
    expect(reasons(b)).toEqual(reasons(a));
  });

  it('joins every change of the manifest onto the record the mapper will see', async () => {
    const { manifest } = exportB;
    const b = byUserId(await readAll(dir, { profiles: exportB.profiles.ndjson!, passwords: exportB.passwords }));
    for (const id of manifest.removed) expect(b.has(id), id).toBe(false);
    for (const user of manifest.added) {
      expect(b.get(user.user_id)).toMatchObject({ passwordStatus: 'present', password: { hash: bcryptCost10.find((k) => k.password === user.password)?.hash } });
    }
    for (const id of manifest.blocked) expect(b.get(id)?.profile.blocked, id).toBe(true);
    for (const id of manifest.emailVerified) expect(b.get(id)?.profile.email_verified, id).toBe(true);
    for (const change of manifest.passwordChanged) {
      expect(b.get(change.user_id)?.password?.hash).toBe(changedBcryptCost10.find((k) => k.password === change.newPassword)?.hash);
    }
  });
});
