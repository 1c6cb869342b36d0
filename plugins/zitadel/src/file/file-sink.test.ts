import { mkdtemp, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ImportDataRequest } from '@idflow/zitadel-model';
import { beforeEach, describe, expect, it } from 'vitest';
import { envelopes, makeUser, recordingContext } from '../test-support.test-helpers.js';
import { buildImportRequest } from '../import/build-import-request.js';
import { createFileSink } from './file-sink.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'zitadel-file-'));
});

async function readBodies(): Promise<Map<string, ImportDataRequest>> {
  const bodies = new Map<string, ImportDataRequest>();
  for (const name of (await readdir(dir)).sort()) bodies.set(name, JSON.parse(await readFile(join(dir, name), 'utf8')));
  return bodies;
}

function userIdsOf(bodies: Map<string, ImportDataRequest>): string[] {
  return [...bodies.values()].flatMap((b) => b.dataOrgs.orgs.flatMap((o) => (o.humanUsers ?? []).map((u) => u.userId)));
}

describe('zitadel-file sink', () => {
  it('writes ImportData bodies of at most batchSize users, mode 0600, in the zitadel-tools shape', async () => {
    const sink = createFileSink({ dir, orgId: 'org-1', batchSize: 2 }, recordingContext());
    await sink.open?.(undefined);
    const users = [1, 2, 3, 4, 5].map((n) => makeUser(n, {}, n === 2 ? { passwordResetRequired: true } : {}));
    expect(await sink.write(envelopes(users))).toEqual(users.map(() => ({ status: 'written' })));
    await sink.close();
    const bodies = await readBodies();
    expect([...bodies.keys()]).toEqual(['importBody-00001.json', 'importBody-00002.json', 'importBody-00003.json']);
    for (const name of bodies.keys()) expect((await stat(join(dir, name))).mode & 0o777).toBe(0o600);
    const first = bodies.get('importBody-00001.json')!;
    expect(first.timeout).toBe('5m0s');
    expect(first.dataOrgs.orgs[0].orgId).toBe('org-1');
    expect(first.dataOrgs.orgs[0].humanUsers).toHaveLength(2);
    expect(first.dataOrgs.orgs[0].humanUsers![0].user.hashedPassword?.value).toMatch(/^\$2b\$10\$/);
    expect(first.dataOrgs.orgs[0].humanUsers![1].user.passwordChangeRequired).toBe(true);
    expect(first.dataOrgs.orgs[0].userMetadata).toEqual([
      { id: 'auth0|u00001', key: 'plan', value: users[0].metadata[0].value },
      { id: 'auth0|u00002', key: 'plan', value: users[1].metadata[0].value },
    ]);
    expect(userIdsOf(bodies)).toEqual(users.map((u) => u.userId));
  });

  it('counts what POSTing the bodies will do: INITIAL users and init e-mails, users without a password by cause, ignored password changes', async () => {
    const ctx = recordingContext();
    const sink = createFileSink({ dir, orgId: 'org-1' }, ctx);
    await sink.open?.(undefined);
    await sink.write(
      envelopes([
        makeUser(1),
        makeUser(2, { email: { email: 'user2@example.com', isEmailVerified: false } }),
        makeUser(3, { hashedPassword: undefined }, { withoutPassword: 'passwordless' }),
        makeUser(4, { passwordChangeRequired: true }),
      ]),
    );
    await sink.close();
    expect(Object.fromEntries([...ctx.counts].filter(([k]) => /^(state|notifications|written)\.|ignored/.test(k)))).toEqual({
      'state.active': 2,
      'state.initial': 2,
      'notifications.init-email': 2,
      'written.without-password.passwordless': 1,
      'passwordChangeRequired ignored by the import (hash given)': 1,
    });
  });

  it('after a crash, resuming from the checkpoint puts every user in exactly one file, files whole', async () => {
    const users = Array.from({ length: 10 }, (_, i) => makeUser(i + 1));
    // First run: 3 users acknowledged and checkpointed (kept in the checkpoint: their file is not
    // full), then 4 more, then a checkpoint that is never recorded, then "kill -9".
    const first = createFileSink({ dir, orgId: 'org-1', batchSize: 4 }, recordingContext());
    await first.open?.(undefined);
    await first.write(envelopes(users.slice(0, 3)));
    const state = JSON.parse(JSON.stringify(await first.checkpointState?.()));
    expect(state.nextFile).toBe(1);
    expect(state.pending.map(([user]: [string]) => JSON.parse(user).userId)).toEqual(users.slice(0, 3).map((u) => u.userId));
    expect(await readdir(dir)).toEqual([]);
    await first.write(envelopes(users.slice(3, 7))); // fills file 1 past the checkpoint, 3 pending
    expect(await first.checkpointState?.()).toMatchObject({ nextFile: 2 }); // never recorded
    await writeFile(join(dir, 'importBody-00003.json.tmp'), '{"torn'); // a torn write
    // Resume from the first checkpoint: the runner re-sends every record after it.
    const second = createFileSink({ dir, orgId: 'org-1', batchSize: 4 }, recordingContext());
    await second.open?.(state);
    await second.write(envelopes(users.slice(3)));
    await second.close();
    const bodies = await readBodies();
    expect([...bodies.keys()]).toEqual(['importBody-00001.json', 'importBody-00002.json', 'importBody-00003.json']);
    expect([...bodies.values()].map((b) => b.dataOrgs.orgs[0].humanUsers?.length)).toEqual([4, 4, 2]);
    expect(userIdsOf(bodies)).toEqual(users.map((u) => u.userId));
    expect(JSON.stringify([...bodies.values()][0])).toBe(JSON.stringify(buildImportRequest(users.slice(0, 4), { orgId: 'org-1' }, '5m0s')));
  });

  it('a dry run neither writes nor removes bodies', async () => {
    await writeFile(join(dir, 'importBody-00001.json'), '{}');
    const sink = createFileSink({ dir, orgId: 'org-1', batchSize: 1 }, { ...recordingContext(), dryRun: true });
    await sink.open?.(undefined);
    await sink.write(envelopes([makeUser(1), makeUser(2)]));
    await sink.close();
    expect(await readdir(dir)).toEqual(['importBody-00001.json']);
    expect(await readFile(join(dir, 'importBody-00001.json'), 'utf8')).toBe('{}');
  });

  it('a fresh run removes bodies left by an earlier run', async () => {
    await writeFile(join(dir, 'importBody-00007.json'), '{}');
    await writeFile(join(dir, 'notes.txt'), 'keep me');
    const sink = createFileSink({ dir, orgId: 'org-1' }, recordingContext());
    await sink.open?.(undefined);
    await sink.close();
    expect(await readdir(dir)).toEqual(['notes.txt']);
  });

  it('writes full bodies in the background, and a failed write fails the next call instead of vanishing', async () => {
    const sink = createFileSink({ dir, orgId: 'org-1', batchSize: 2 }, recordingContext());
    await sink.open?.(undefined);
    const users = [1, 2, 3, 4, 5, 6].map((n) => makeUser(n));
    await sink.write(envelopes(users.slice(0, 4)));
    // Acknowledged users are all on disk once checkpointState() answers.
    expect(await sink.checkpointState?.()).toEqual({ nextFile: 3 });
    expect(userIdsOf(await readBodies())).toEqual(users.slice(0, 4).map((u) => u.userId));
    await rm(dir, { recursive: true });
    await sink.write(envelopes(users.slice(4))); // fills a file: written in the background, and fails
    await expect(sink.checkpointState?.()).rejects.toThrow(/ENOENT/);
    await expect(sink.write(envelopes(users.slice(4)))).rejects.toThrow(/ENOENT/);
    await expect(sink.close()).rejects.toThrow(/ENOENT/);
  });
});
