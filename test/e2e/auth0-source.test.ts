// `idflow run` with the auth0 source end to end: a generated export (every edge case) through
// the built CLI into the ndjson sink; the output holds every valid user once with the expected
// password status, the dead-letter file holds each malformed line, duplicate and orphan, located.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { generateAuth0Export } from '@idflow/fixtures';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { expectFates, expectPasswordMetrics, type UserLine } from './auth0-fates.js';
import { makeTempDir, readNdjson, runCli, writePipeline } from './helpers.js';

interface DeadLetterLine {
  stage: string;
  reason: string;
  origin: string;
  record: unknown;
  detail?: { firstAt?: string };
}

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  temp = makeTempDir('idflow-e2e-auth0-');
});
afterEach(() => temp.cleanup());

const users = 300;

function pipeline(profiles: string, extra: string[] = []): void {
  writePipeline(temp.dir, 'auth0.yaml', [
    'version: 1',
    'name: auth0-export',
    'source:',
    '  use: auth0',
    '  with:',
    `    profiles: ${profiles}`,
    '    passwords: export/passwords.ndjson',
    ...extra,
    'sink: { use: ndjson, with: { path: out/users.ndjson } }',
    'dlq: { path: out/dead-letters.ndjson }',
  ]);
}

describe('idflow run: auth0 → ndjson', () => {
  it('writes every valid user and dead-letters malformed lines, duplicates and orphans with their origin', async () => {
    const exp = await generateAuth0Export({ dir: join(temp.dir, 'export'), users, seed: 11, formats: ['ndjson'] });
    pipeline('export/profiles.ndjson');
    const result = await runCli(['run', 'auth0.yaml'], { cwd: temp.dir });
    expect(result.code, result.stderr).toBe(0);

    expectFates(readNdjson<UserLine>(join(temp.dir, 'out', 'users.ndjson')), exp);
    const deadPath = join(temp.dir, 'out', 'dead-letters.ndjson');
    expect(statSync(deadPath).mode & 0o777).toBe(0o600);
    const dead = readNdjson<DeadLetterLine>(deadPath);
    const at = (prefix: string) => dead.filter((d) => d.reason.startsWith(prefix));
    expect(at('malformed record').map((d) => d.origin)).toEqual(exp.expected.malformedProfileLines.ndjson.map((line) => `export/profiles.ndjson:${line}`));
    expect(at('duplicate user_id').map((d) => [d.origin, d.reason, d.detail?.firstAt])).toEqual(
      exp.expected.duplicates.map((d) => [`export/profiles.ndjson:${d.second.ndjson}`, 'duplicate user_id', `export/profiles.ndjson:${d.first.ndjson}`]),
    );
    const orphans = at('orphan password');
    expect(orphans.map((d) => d.origin)).toEqual(exp.expected.orphans.map((o) => `export/passwords.ndjson:${o.line}`));
    for (const orphan of orphans) expect(orphan.stage).toBe('source');
    expect(at('malformed password record').map((d) => d.origin)).toEqual(exp.expected.malformedPasswordLines.map((line) => `export/passwords.ndjson:${line}`));
    expect(dead).toHaveLength(
      exp.expected.counts.malformedProfiles + exp.expected.counts.duplicates + exp.expected.counts.orphans + exp.expected.counts.malformedPasswords,
    );

    const report = JSON.parse(readFileSync(join(temp.dir, 'out', 'report.json'), 'utf8')) as { metrics: { [plugin: string]: { [metric: string]: number } } };
    expect(expectPasswordMetrics(report, exp)).toMatchObject({ orphans: exp.expected.counts.orphans, duplicates: exp.expected.counts.duplicates });
  });

  it('reads a gzipped JSON array with BOM and CRLF on the spill path, with the same users', async () => {
    const exp = await generateAuth0Export({ dir: join(temp.dir, 'export'), users, seed: 11, formats: ['json-array'], gzip: true, bom: true, crlf: true });
    pipeline('export/profiles.json.gz', ['    spillThreshold: 20']);
    const result = await runCli(['run', 'auth0.yaml'], { cwd: temp.dir });
    expect(result.code, result.stderr).toBe(0);
    expectFates(readNdjson<UserLine>(join(temp.dir, 'out', 'users.ndjson')), exp);
    const dead = readNdjson<DeadLetterLine>(join(temp.dir, 'out', 'dead-letters.ndjson'));
    expect(dead.filter((d) => d.reason.startsWith('malformed record')).map((d) => d.origin)).toEqual(
      exp.expected.malformedProfileLines['json-array'].map((line) => `export/profiles.json.gz:${line}`),
    );
  });
});
