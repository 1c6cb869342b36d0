// The `filter` transform through the built CLI: an Auth0 export filtered by connection and by
// e-mail domain. Skipped users are counted apart by reason, never dead-lettered, never a reject:
// the run exits 0 under `maxRejects: 0`. A filter that keeps nobody fails the run (exit 1), and a
// condition with a typo fails `validate` located (exit 2).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, readNdjson, runCli, writeLines, writePipeline } from './helpers.js';

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  temp = makeTempDir('idflow-filter-e2e-');
});
afterEach(() => temp.cleanup());

const USERS = 3000;
const connections = ['Username-Password-Authentication', 'google-oauth2', 'email'] as const;
const domains = ['example.com', 'Test.Example.com', 'other.org', 'example.com', 'example.com'] as const;

/** User i: connection by i % 3, domain by i % 5 (written with mixed case and spaces, as exports have them). */
function profile(i: number): { [key: string]: unknown } {
  const connection = connections[i % connections.length];
  return {
    user_id: `auth0|${String(i).padStart(24, '0')}`,
    email: ` user.${i}@${domains[i % domains.length]}`,
    email_verified: true,
    given_name: 'User',
    family_name: String(i),
    identities: [{ connection, provider: connection === 'google-oauth2' ? 'google-oauth2' : 'auth0', user_id: String(i), isSocial: connection === 'google-oauth2' }],
  };
}

function writeExport(): void {
  writeLines(
    join(temp.dir, 'profiles.ndjson'),
    Array.from({ length: USERS }, (_, i) => JSON.stringify(profile(i))),
  );
}

function filterPipeline(filters: string[], maxRejects = '0'): string {
  return writePipeline(temp.dir, 'filtered.yaml', [
    'version: 1',
    'name: filtered',
    'source: { use: auth0, with: { profiles: profiles.ndjson } }',
    'transforms:',
    ...filters,
    '  - use: field-mapper',
    '    with: { preset: auth0-to-zitadel }',
    '  - use: zitadel-validate',
    'sink: { use: ndjson, with: { path: out/users.ndjson } }',
    'dlq: { path: out/dead-letter.ndjson }',
    'checkpoint: { path: out/checkpoint.json }',
    `maxRejects: ${maxRejects}`,
  ]);
}

interface Report {
  status: string;
  exitCode: number;
  counts: { read: number; transformed: number; skipped: number; written: number; rejected: number };
  skippedByReason: { [stage: string]: { [reason: string]: number } };
  rejectedByReason: { [stage: string]: { [reason: string]: number } };
}

const readReport = () => JSON.parse(readFileSync(join(temp.dir, 'out', 'report.json'), 'utf8')) as Report;

describe('idflow run with filter transforms', () => {
  it('keeps database users outside the test domain: skips counted by reason, no dead letters, exit 0 under maxRejects: 0', async () => {
    writeExport();
    filterPipeline([
      '  - use: filter',
      '    with:',
      `      condition: 'equals(profile.identities[0].connection, "Username-Password-Authentication")'`,
      '      reason: not a database user',
      '  - use: filter',
      '    with:',
      `      condition: 'equals(domain(profile.email), "test.example.com", "other.org")'`,
      '      exclude: true',
      '      reason: test or partner domain',
    ]);
    const result = await runCli(['run', 'filtered.yaml'], { cwd: temp.dir });
    expect(result.code, result.stderr).toBe(0);

    const ids = Array.from({ length: USERS }, (_, i) => i);
    const notDatabase = ids.filter((i) => i % 3 !== 0).length;
    const otherDomain = ids.filter((i) => i % 3 === 0 && (i % 5 === 1 || i % 5 === 2)).length;
    const kept = ids.filter((i) => i % 3 === 0 && i % 5 !== 1 && i % 5 !== 2);
    expect(notDatabase).toBe(2000);
    expect(otherDomain).toBe(400);

    const report = readReport();
    expect(report.status).toBe('completed');
    expect(report.counts).toMatchObject({ read: USERS, skipped: notDatabase + otherDomain, transformed: kept.length, written: kept.length, rejected: 0 });
    expect(report.skippedByReason).toEqual({ 'transform:filter': { 'not a database user': notDatabase, 'test or partner domain': otherDomain } });
    expect(report.rejectedByReason).toEqual({});
    expect(readFileSync(join(temp.dir, 'out', 'dead-letter.ndjson'), 'utf8')).toBe('');
    const written = readNdjson<{ userId: string }>(join(temp.dir, 'out', 'users.ndjson')).map((user) => user.userId);
    expect(written).toEqual(kept.map((i) => `auth0|${String(i).padStart(24, '0')}`));

    expect(result.stdout).toMatch(/skipped\s+2,400 {2}\(left out by a filter: not rejected, not in the dead letters\)/);
    expect(result.stdout).toMatch(/2,000 {2}transform:filter: not a database user/);
    expect(result.stdout).toMatch(/400 {2}transform:filter: test or partner domain/);
    expect(result.stdout).toMatch(/rejected\s+0\n/);

    // Skips are final: the same command again has nothing to do.
    const again = await runCli(['run', 'filtered.yaml'], { cwd: temp.dir });
    expect(again.code).toBe(0);
    expect(again.stderr).toMatch(/already completed/);
  }, 120_000);

  it('a filter that keeps nobody delivers nothing: exit 1 naming the skip reason, still no dead letters', async () => {
    writeExport();
    filterPipeline([
      '  - use: filter',
      '    with:',
      // A typo in the connection name: nobody matches.
      `      condition: 'equals(profile.identities[0].connection, "Username-Password-Authentification")'`,
    ]);
    const result = await runCli(['run', 'filtered.yaml'], { cwd: temp.dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      'no user was delivered: all 3,000 users read were skipped (most common reason: condition is false: equals(profile.identities[0].connection, "Username-Password-Authentification")); check the filter expressions',
    );
    expect(readReport()).toMatchObject({ status: 'nothing-delivered', exitCode: 1, counts: { skipped: USERS, rejected: 0 } });
    expect(readFileSync(join(temp.dir, 'out', 'dead-letter.ndjson'), 'utf8')).toBe('');
  }, 120_000);

  it('a condition with a typo fails validate and run, located, before anything is read', async () => {
    writeExport();
    filterPipeline(['  - use: filter', '    with:', `      condition: 'equls(domain(profile.email), "example.com")'`]);
    for (const command of ['validate', 'run']) {
      const result = await runCli([command, 'filtered.yaml'], { cwd: temp.dir });
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/filtered\.yaml:7:18 transforms\.0\.with\.condition: unknown function "equls" \(known: .*\) at column 1/);
    }
  });
});
