// report.html through the built CLI, in a real headless browser: the page renders offline, loads
// nothing, shows the same numbers as report.json, and holds no hash and no e-mail address of the
// export; `idflow report <folder>` rebuilds it from the files on disk.
import { readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { GeneratedExport } from '@idflow/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserMissing, openOffline, shownCounts } from './browser.js';
import { makeTempDir, runCli } from './helpers.js';
import { exportWithEdgeCases, leakedHashes, passwordHashes, writeMigrationPipeline } from './report-support.js';

/** The value at `path` in `value`. */
function at(value: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((node, key) => (node as { [key: string]: unknown } | undefined)?.[key], value);
}

if (browserMissing) console.warn(browserMissing);

let temp: ReturnType<typeof makeTempDir>;
let generated: GeneratedExport;
let run: Awaited<ReturnType<typeof runCli>>;
const html = () => join(temp.dir, 'out', 'report.html');
const report = () => JSON.parse(readFileSync(join(temp.dir, 'out', 'report.json'), 'utf8'));

beforeAll(async () => {
  temp = makeTempDir('idflow-html-');
  generated = await exportWithEdgeCases(temp.dir, 2_000);
  // Slowed to a few seconds, so the page has a throughput chart to draw.
  writeMigrationPipeline(temp.dir, { every: 100, delayMs: 200 });
  run = await runCli(['run', 'migrate.yaml'], { cwd: temp.dir });
}, 120_000);
afterAll(() => temp.cleanup());

describe('report.html after idflow run', () => {
  it('is written beside report.json (mode 0600) and named in the summary', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/report for people\s+.*out\/report\.html/);
    expect(statSync(html()).mode & 0o777).toBe(0o600);
  });

  it('holds no hash and no e-mail address of the export', () => {
    const page = readFileSync(html(), 'utf8');
    expect(leakedHashes(page, passwordHashes(generated))).toEqual([]);
    const emails = [...readFileSync(generated.profiles.ndjson!, 'utf8').matchAll(/"email":"([^"]+@[^"]+)"/g)].map((m) => m[1]);
    expect(emails.length).toBeGreaterThan(1000);
    expect(emails.filter((email) => page.includes(email))).toEqual([]);
  });

  it.skipIf(browserMissing)('renders offline in a browser, loading nothing else, with the numbers of report.json', async () => {
    const opened = await openOffline(html());
    try {
      const { page, blocked } = opened;
      expect(blocked).toEqual([]);
      expect(await page.title()).toBe('report-e2e: completed — idflow report');
      expect(await page.locator('#status').textContent()).toContain('completed (exit code 0)');
      for (const id of ['funnel', 'rejections', 'without-password', 'states-section', 'warnings', 'time-section', 'sample-section', 'files-section']) {
        expect(await page.locator(`#${id}`).count(), id).toBe(1);
      }
      const r = report();
      const shown = await shownCounts(page);
      for (const { from, path, value } of shown) {
        expect(from).toBe('report');
        expect(at(r, path), path.join('.')).toBe(value);
      }
      const paths = shown.map((s) => s.path.join('.'));
      expect(paths).toEqual(expect.arrayContaining(['counts.read', 'metrics.auth0.users', 'metrics.auth0.with-password', 'counts.transformed', 'counts.written', 'counts.present', 'counts.rejected']));
      // Every reason, cause and warning kind of the report is on the page.
      for (const [stage, reasons] of Object.entries(r.rejectedByReason as { [stage: string]: { [reason: string]: number } })) {
        for (const reason of Object.keys(reasons)) expect(paths, reason).toContain(`rejectedByReason.${stage}.${reason}`);
      }
      for (const cause of Object.keys(r.writtenWithoutPassword)) expect(paths).toContain(`writtenWithoutPassword.${cause}`);
      for (const kind of Object.keys(r.warningsByKind['field-mapper'])) expect(paths).toContain(`warningsByKind.field-mapper.${kind}`);
      expect(await page.locator('#funnel').textContent()).toMatch(/able to log in with their password\s*not checked/);
      expect(await page.locator('#throughput polyline.delivered').count()).toBe(1);
      expect(await page.locator('#sample-section pre').count()).toBe(2 * r.sample.length);
      const text = await page.locator('body').textContent();
      expect(leakedHashes(text ?? '', passwordHashes(generated))).toEqual([]);
    } finally {
      await opened.close();
    }
  }, 60_000);
});

describe('idflow report <folder>', () => {
  it('rebuilds report.html from report.json, the same page', async () => {
    const before = readFileSync(html(), 'utf8');
    rmSync(html());
    const rebuilt = await runCli(['report', join(temp.dir, 'out')]);
    expect(rebuilt.code, rebuilt.stderr).toBe(0);
    expect(rebuilt.stdout).toContain(html());
    expect(readFileSync(html(), 'utf8')).toBe(before);
  });

  it('says which file is missing when the folder holds no report (exit 2)', async () => {
    const missing = await runCli(['report', temp.dir]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`${join(temp.dir, 'report.json')} no such file`);
  });
});
