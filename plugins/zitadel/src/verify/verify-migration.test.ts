// verifyMigration against a real emulator: the source is read again through the pipeline's
// plugins; dead-lettered records are not expected; missing and different users are reported.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type LoadedPipeline, type Plugin, definePlugin } from '@idflow/engine';
import type { ZitadelUserRecord } from '@idflow/zitadel-model';
import { describe, expect, it } from 'vitest';
import { useEmulator } from '../emulator.test-helpers.js';
import { createImportSink } from '../import/import-sink.js';
import { envelopes, knownPassword, makeUser, recordingContext } from '../test-support.test-helpers.js';
import { verifyMigration } from './verify-migration.js';

/** A source plugin yielding ready-made records from `source.ndjson` lines 1…n. */
function recordsSource(records: ZitadelUserRecord[]): Plugin {
  return definePlugin({
    name: 'records',
    kind: 'source',
    description: 'test records',
    schema: { type: 'object', additionalProperties: false, properties: {} },
    create: () => ({
      async *read() {
        for (const [i, data] of records.entries()) yield { origin: { file: 'source.ndjson', line: i + 1, offset: i }, data };
      },
      fingerprint: async () => 'fixed',
      close: async () => {},
    }),
  }) as Plugin;
}

/** A pipeline whose source yields `records`, delivered to `emu` by the import sink. */
async function pipelineFor(emu: Awaited<ReturnType<typeof useEmulator>>, records: ZitadelUserRecord[]) {
  const dir = await mkdtemp(join(tmpdir(), 'verify-'));
  const pipeline: LoadedPipeline = {
    file: join(dir, 'pipeline.yaml'),
    baseDir: dir,
    config: {
      version: 1,
      name: 'verify-test',
      source: { use: 'records' },
      sink: { use: 'zitadel-import', with: { url: emu.url, orgId: emu.orgId, auth: { pat: emu.pat } } },
      transforms: [],
    },
  };
  return { pipeline, catalog: { list: () => [recordsSource(records)] } };
}

describe('verifyMigration', () => {
  it('reports every user\'s state and the messages ZITADEL sends; fails on a migrated hash INITIAL and a blocked user that can log in', async () => {
    const emu = await useEmulator();
    const records = [
      makeUser(1),
      makeUser(2, {}, { state: 'USER_STATE_LOCKED' }),
      makeUser(3, { email: { email: 'user3@example.com', isEmailVerified: false } }),
      makeUser(4, {}, { state: 'USER_STATE_LOCKED' }),
    ];
    // Users 1–2 as idflow delivers them; user 3 through ZITADEL's own onboarding (the import makes
    // it INITIAL with an init code); user 4 created but never locked (no `state` sent).
    const sink = createImportSink({ url: emu.url, orgId: emu.orgId, auth: { pat: emu.pat } }, recordingContext());
    await sink.write(envelopes(records.slice(0, 2)));
    await sink.close();
    const zitadelOnboarding = createImportSink({ url: emu.url, orgId: emu.orgId, auth: { pat: emu.pat }, onboarding: 'zitadel' }, recordingContext());
    await zitadelOnboarding.write(envelopes([records[2], { ...records[3], state: 'USER_STATE_ACTIVE' }]));
    await zitadelOnboarding.close();
    const report = await verifyMigration(await pipelineFor(emu, records));
    expect(report.states).toEqual({ active: 2, initial: 1, locked: 1, inactive: 0, other: 0 });
    expect(report.messages).toEqual({ initEmails: 1, verificationEmails: 0, verificationSms: 0 });
    expect(report.wrongState).toEqual([
      { userId: records[2].userId, origin: 'source.ndjson:3', problem: expect.stringMatching(/^INITIAL although its password hash was migrated: the login will ask for an init code/) },
      { userId: records[3].userId, origin: 'source.ndjson:4', problem: 'blocked in Auth0 but ACTIVE in ZITADEL: it can log in' },
    ]);
    expect(report.ok).toBe(false);
  });

  it('says why the messages are unknown when the service user may not read events', async () => {
    const emu = await useEmulator();
    await createImportSink({ url: emu.url, orgId: emu.orgId, auth: { pat: emu.pat } }, recordingContext()).write(envelopes([makeUser(1)]));
    const manager = await emu.createServiceUser({ role: 'ORG_USER_WRITER', orgId: emu.orgId });
    const { pipeline, catalog } = await pipelineFor(emu, [makeUser(1)]);
    pipeline.config.sink = { use: 'zitadel-users', with: { url: emu.url, orgId: emu.orgId, auth: { pat: manager.pat } } };
    const report = await verifyMigration({ pipeline, catalog });
    expect(report.messages).toMatch(/^events not readable \(No matching permissions found: events\.read .*; needs events\.read, IAM_OWNER has it\)$/);
    expect(report.ok).toBe(true);
  });


  it('passes when every delivered user is there, then names missing and different ones', async () => {
    const emu = await useEmulator();
    const delivered = [1, 2, 3].map((n) => makeUser(n));
    const sink = createImportSink({ url: emu.url, orgId: emu.orgId, auth: { pat: emu.pat } }, recordingContext());
    await sink.write(envelopes([...delivered, makeUser(5, { email: { email: 'changed@example.com' } })]));
    await sink.close();
    const source = [...delivered, makeUser(4), makeUser(5)];
    const { pipeline } = await pipelineFor(emu, source);
    // Record 4 was dead-lettered by the run: verify must not expect it.
    pipeline.config.dlq = { path: 'dead-letter.ndjson' };
    await writeFile(join(pipeline.baseDir, 'dead-letter.ndjson'), `${JSON.stringify({ stage: 'sink:zitadel-import', reason: 'x', origin: 'source.ndjson:4' })}\n`);
    const catalog = (records: ZitadelUserRecord[]) => ({ list: () => [recordsSource(records)] });

    const ok = await verifyMigration({
      pipeline,
      catalog: catalog(delivered),
      logins: [{ email: 'user1@example.com', password: knownPassword }],
    });
    expect(ok).toMatchObject({ checked: 3, missing: [], different: [], logins: { checked: 1, failures: [] }, ok: true });

    const withProblems = [...source, makeUser(6)];
    const report = await verifyMigration({
      pipeline,
      catalog: catalog(withProblems),
      logins: [{ email: 'user2@example.com', password: 'wrong password' }],
      lookupBatchSize: 2,
    });
    expect(report.ok).toBe(false);
    expect(report.checked).toBe(5);
    expect(report.missing).toEqual([{ userId: 'auth0|u00006', origin: 'source.ndjson:6', problem: 'missing (userName user6@example.com)' }]);
    expect(report.different).toEqual([
      { userId: 'auth0|u00005', origin: 'source.ndjson:5', problem: 'email is "changed@example.com", expected "user5@example.com"' },
    ]);
    expect(report.logins.failures).toEqual([{ email: 'user2@example.com', reason: expect.stringMatching(/^login refused/) }]);
    expect(JSON.stringify(report)).not.toContain('wrong password');
  });
});
