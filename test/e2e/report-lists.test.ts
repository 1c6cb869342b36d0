// failures.csv and warnings.csv through the built CLI: who was refused and why, and whose data was
// changed, without a hash or the record, safe to open in a spreadsheet, and exact across a kill -9
// and the resumed run (cut back with the dead-letter file to the checkpoint's lengths).
import { cpSync, existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { GeneratedExport } from '@idflow/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, readNdjson, runCli, startCli, waitFor } from './helpers.js';
import { exportWithEdgeCases, FORMULA_ID, leakedHashes, passwordHashes, readCsv, writeMigrationPipeline } from './report-support.js';

const USERS = 20_000;
let temp: ReturnType<typeof makeTempDir>;
let generated: GeneratedExport;
/** A run straight through, and one killed with kill -9 half-way then run again. */
let straight: string;
let resumed: string;

beforeAll(async () => {
  temp = makeTempDir('idflow-lists-');
  straight = join(temp.dir, 'straight');
  resumed = join(temp.dir, 'resumed');
  generated = await exportWithEdgeCases(straight, USERS);
  cpSync(join(straight, 'export'), join(resumed, 'export'), { recursive: true });
  writeMigrationPipeline(straight);
  writeMigrationPipeline(resumed, { every: 100, delayMs: 25 });

  const first = await runCli(['run', 'migrate.yaml'], { cwd: straight });
  expect(first.code, first.stderr).toBe(0);

  const failures = join(resumed, 'out', 'failures.csv');
  const running = startCli(['run', 'migrate.yaml'], { cwd: resumed });
  // Killed once a checkpoint exists and some users (and some of their warnings) are listed.
  await waitFor(() => existsSync(join(resumed, 'out', 'checkpoint.json')) && existsSync(failures) && readCsv(failures).length > 3, 'a checkpoint and some failures', 60_000);
  running.child.kill('SIGKILL');
  expect((await running.done).signal).toBe('SIGKILL');
  const again = await runCli(['run', 'migrate.yaml', '--set', 'transforms.1.with.delayMs=0'], { cwd: resumed });
  expect(again.code, again.stderr).toBe(0);
  expect(again.stdout).toMatch(/resumed after/);
}, 240_000);
afterAll(() => temp.cleanup());

const out = (run: string, file: string) => join(run, 'out', file);

describe('failures.csv', () => {
  it('has a row per dead letter — user id, e-mail, stage, reason, origin — and no record or hash', () => {
    const rows = readCsv(out(straight, 'failures.csv'));
    expect(rows[0]).toEqual(['user id', 'e-mail', 'stage', 'reason', 'origin']);
    const letters = readNdjson<{ stage: string; reason: string; origin: string; record: { profile?: { user_id?: string; email?: string } }; detail?: { id?: string } }>(
      out(straight, 'dead-letter.ndjson'),
    );
    expect(rows.length - 1).toBe(letters.length);
    expect(letters.length).toBeGreaterThan(10);
    const byOrigin = new Map(rows.slice(1).map((row) => [row[4], row]));
    for (const letter of letters) {
      const row = byOrigin.get(letter.origin);
      expect(row, letter.origin).toBeDefined();
      expect(row![2]).toBe(letter.stage);
      expect(row![3]).toBe(letter.reason);
      const id = letter.record?.profile?.user_id ?? letter.detail?.id;
      if (id && id !== FORMULA_ID) expect(row![0]).toBe(id);
    }
    // Every refused weak-bcrypt user is listed by id and e-mail.
    const weak = generated.expected.byKind['bcrypt-4'] ?? [];
    expect(weak.length).toBeGreaterThan(0);
    for (const id of weak) expect(rows.find((row) => row[0] === id)?.[2]).toBe('transform:hash-validator');
    // The dead-letter file keeps the hashes for replay; the shareable list does not.
    const hashes = passwordHashes(generated);
    expect(leakedHashes(readFileSync(out(straight, 'dead-letter.ndjson'), 'utf8'), hashes).length).toBeGreaterThan(0);
    expect(leakedHashes(readFileSync(out(straight, 'failures.csv'), 'utf8'), hashes)).toEqual([]);
  });

  it('guards a cell a spreadsheet would run as a formula with a leading quote', () => {
    const row = readCsv(out(straight, 'failures.csv')).find((r) => r[0].includes('HYPERLINK'));
    expect(row).toEqual([`'${FORMULA_ID}`, '', 'transform:field-mapper', 'profile.email is missing: ZITADEL requires an email address for every user', expect.stringMatching(/profiles\.ndjson:\d+$/)]);
  });

  it('is private (mode 0600), like the dead-letter file', () => {
    for (const file of ['failures.csv', 'warnings.csv', 'dead-letter.ndjson']) expect(statSync(out(straight, file)).mode & 0o777, file).toBe(0o600);
  });
});

describe('warnings.csv', () => {
  it('lists every user whose data was changed, by kind, with the user id and e-mail', () => {
    const rows = readCsv(out(straight, 'warnings.csv'));
    expect(rows[0]).toEqual(['user id', 'e-mail', 'plugin', 'kind', 'message', 'origin']);
    const ids = (kind: string) => rows.filter((row) => row[3] === kind).map((row) => row[0]).sort();
    expect(ids('phone dropped')).toEqual([...(generated.expected.byKind['invalid-phone'] ?? [])].sort());
    expect(ids('field cut').length).toBeGreaterThanOrEqual((generated.expected.byKind['long-name'] ?? []).length);
    for (const row of rows.slice(1)) {
      expect(row[2]).toBe('field-mapper');
      expect(row[1]).toMatch(/@/);
      expect(row[4].startsWith(`${row[0]}: `)).toBe(true);
      expect(row[5]).toMatch(/profiles\.ndjson:\d+$/);
    }
    const report = JSON.parse(readFileSync(out(straight, 'report.json'), 'utf8'));
    expect(rows.length - 1).toBe(report.warnings);
    expect(report.warningsByKind['field-mapper']['phone dropped']).toBe(ids('phone dropped').length);
    expect(leakedHashes(readFileSync(out(straight, 'warnings.csv'), 'utf8'), passwordHashes(generated))).toEqual([]);
  });
});

describe('after kill -9 and a resumed run', () => {
  it('both lists hold each line exactly once, the same lines as a run straight through', () => {
    for (const file of ['failures.csv', 'warnings.csv', 'dead-letter.ndjson']) {
      // The resumed run also warns that it took over the killed run's lock: a line of the runner's.
      const lines = (run: string) =>
        readFileSync(out(run, file), 'utf8')
          .split(/\r?\n/)
          .filter((line) => line !== '' && !line.startsWith('"","","runner"'))
          .sort();
      const got = lines(resumed);
      expect(new Set(got).size, `${file}: no line twice`).toBe(got.length);
      expect(got, file).toEqual(lines(straight));
    }
    const report = JSON.parse(readFileSync(out(resumed, 'report.json'), 'utf8'));
    expect(report.warnings).toBe(readCsv(out(resumed, 'warnings.csv')).length - 1);
    expect(report.warningsByKind.runner).toEqual({ 'stale lock taken over': 2 });
    expect(report.counts.rejected + report.counts.auxiliaryRejected).toBe(readCsv(out(resumed, 'failures.csv')).length - 1);
  });
});
