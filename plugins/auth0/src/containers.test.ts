// Every container the source reads — NDJSON, JSON array, CSV, each plain and gzipped — yields
// the same records for the same data; gzip is found by magic bytes, not by the file name.

import { copyFile, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { type GeneratedExport, generateAuth0Export } from '@idflow/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ReadResult, readAll } from './source.test-helpers.js';

const users = 60;
let dir: string;
let plain: GeneratedExport;
let gzipped: GeneratedExport;
let crlfBom: GeneratedExport;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'auth0-containers-'));
  const formats = ['ndjson', 'json-array', 'csv'] as const;
  plain = await generateAuth0Export({ dir: join(dir, 'plain'), users, seed: 7, formats: [...formats] });
  gzipped = await generateAuth0Export({ dir: join(dir, 'gzip'), users, seed: 7, formats: [...formats], gzip: true });
  crlfBom = await generateAuth0Export({ dir: join(dir, 'crlf'), users, seed: 7, formats: [...formats], bom: true, crlf: true });
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function dataOf(result: ReadResult): unknown[] {
  return result.records.map((r) => r.data);
}

describe('auth0 source containers', () => {
  it('reads NDJSON with every valid profile, in file order', async () => {
    const result = await readAll(dir, { profiles: plain.profiles.ndjson!, passwords: plain.passwords });
    expect(result.records).toHaveLength(users);
    expect(result.records[0].data.profile.user_id).toMatch(/^auth0\|5f000000/);
    const lines = result.records.map((r) => r.origin.line);
    expect([...lines].sort((a, b) => a - b)).toEqual(lines);
  });

  it('gives identical records from NDJSON, JSON array and CSV of the same data', async () => {
    const ndjson = await readAll(dir, { profiles: plain.profiles.ndjson!, passwords: plain.passwords });
    const array = await readAll(dir, { profiles: plain.profiles['json-array']!, passwords: plain.passwords });
    const csv = await readAll(dir, { profiles: plain.profiles.csv!, passwords: plain.passwords });
    expect(dataOf(array)).toEqual(dataOf(ndjson));
    expect(dataOf(csv)).toEqual(dataOf(ndjson));
    // The CSV rebuilt nested metadata, JSON identities, booleans and numbers.
    const multiline = csv.records.find((r) => typeof r.data.profile.user_metadata?.bio === 'string');
    expect(multiline?.data.profile.user_metadata?.bio).toBe('First line, with a comma\nsecond line with "quotes"');
    expect(csv.records[0].data.profile.identities?.[0].isSocial).toBe(false);
    expect(typeof csv.records[0].data.profile.logins_count).toBe('number');
  });

  it('reads each container gzipped, with identical records', async () => {
    const reference = dataOf(await readAll(dir, { profiles: plain.profiles.ndjson!, passwords: plain.passwords }));
    for (const format of ['ndjson', 'json-array', 'csv'] as const) {
      const path = gzipped.profiles[format]!;
      expect((await readFile(path)).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
      const result = await readAll(dir, { profiles: path, passwords: gzipped.passwords });
      expect(dataOf(result)).toEqual(reference);
    }
  });

  it('detects gzip by magic bytes under a misleading name, and sniffs the container inside', async () => {
    const misleading = join(dir, 'tenant-export.csv');
    await copyFile(gzipped.profiles.ndjson!, misleading);
    const result = await readAll(dir, { profiles: 'tenant-export.csv', passwords: gzipped.passwords });
    expect(result.records).toHaveLength(users);
    const explicit = await readAll(dir, { profiles: 'tenant-export.csv', passwords: gzipped.passwords, format: 'ndjson' });
    expect(dataOf(explicit)).toEqual(dataOf(result));
  });

  it('reads BOM + CRLF files with identical records and the same line numbers', async () => {
    const reference = await readAll(dir, { profiles: plain.profiles.ndjson!, passwords: plain.passwords });
    for (const format of ['ndjson', 'json-array', 'csv'] as const) {
      expect((await readFile(crlfBom.profiles[format]!)).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      const result = await readAll(dir, { profiles: crlfBom.profiles[format]!, passwords: crlfBom.passwords });
      expect(dataOf(result)).toEqual(dataOf(reference));
      const plainRejects = await readAll(dir, { profiles: plain.profiles[format]!, passwords: plain.passwords });
      const reasons = (r: ReadResult) => r.rejects.map((x) => x.reason.replace(/\/(plain|crlf)\//, '/')).sort();
      expect(reasons(result)).toEqual(reasons(plainRejects));
      expect(result.rejects.map((r) => r.origin.line)).toEqual(plainRejects.rejects.map((r) => r.origin.line));
    }
    const crlf = await readAll(dir, { profiles: crlfBom.profiles.ndjson!, passwords: crlfBom.passwords });
    expect(crlf.records.map((r) => r.origin.line)).toEqual(reference.records.map((r) => r.origin.line));
    // The first record starts right after the 3-byte BOM.
    expect(crlf.records[0].origin.offset).toBe(3);
  });

  it('accepts a blank line and a last line without newline', async () => {
    const text = (await readFile(plain.profiles.ndjson!, 'utf8')).split('\n');
    expect(text).toContain('');
    expect(text[text.length - 1]).not.toBe('');
    const gz = gunzipSync(await readFile(gzipped.profiles.ndjson!)).toString('utf8');
    expect(gz.endsWith('}')).toBe(true);
  });
});
