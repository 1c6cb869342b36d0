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

describe('verifyMigration', () => {
  it('passes when every delivered user is there, then names missing and different ones', async () => {
    const emu = await useEmulator();
    const dir = await mkdtemp(join(tmpdir(), 'verify-'));
    const delivered = [1, 2, 3].map((n) => makeUser(n));
    const sink = createImportSink({ url: emu.url, orgId: emu.orgId, auth: { pat: emu.pat } }, recordingContext());
    await sink.write(envelopes([...delivered, makeUser(5, { email: { email: 'changed@example.com' } })]));
    await sink.close();
    // Record 4 was dead-lettered by the run: verify must not expect it.
    await writeFile(join(dir, 'dead-letter.ndjson'), `${JSON.stringify({ stage: 'sink:zitadel-import', reason: 'x', origin: 'source.ndjson:4' })}\n`);
    const source = [...delivered, makeUser(4), makeUser(5)];
    const pipeline: LoadedPipeline = {
      file: join(dir, 'pipeline.yaml'),
      baseDir: dir,
      config: {
        version: 1,
        name: 'verify-test',
        source: { use: 'records' },
        sink: { use: 'zitadel-import', with: { url: emu.url, orgId: emu.orgId, auth: { pat: emu.pat } } },
        dlq: { path: 'dead-letter.ndjson' },
        transforms: [],
      },
    };
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
