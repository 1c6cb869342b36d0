// Every container the source reads — NDJSON, concatenated JSON, JSON array, CSV, each plain and
// gzipped, in UTF-8 or UTF-16 — yields the same records for the same data; gzip is found by magic
// bytes, the container and the encoding by content, never by the file name.

import { copyFile, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
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
let pretty: GeneratedExport;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'auth0-containers-'));
  const formats = ['ndjson', 'json-array', 'csv'] as const;
  plain = await generateAuth0Export({ dir: join(dir, 'plain'), users, seed: 7, formats: [...formats] });
  gzipped = await generateAuth0Export({ dir: join(dir, 'gzip'), users, seed: 7, formats: [...formats], gzip: true });
  crlfBom = await generateAuth0Export({ dir: join(dir, 'crlf'), users, seed: 7, formats: [...formats], bom: true, crlf: true });
  pretty = await generateAuth0Export({ dir: join(dir, 'pretty'), users, seed: 7, formats: ['concatenated-json'], passwordFormat: 'concatenated-json' });
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

  it('reads concatenated pretty-printed JSON (profiles and passwords), sniffed, with each object located at its first line', async () => {
    const reference = await readAll(dir, { profiles: plain.profiles.ndjson!, passwords: plain.passwords });
    const result = await readAll(dir, { profiles: pretty.profiles['concatenated-json']!, passwords: pretty.passwords });
    expect(dataOf(result)).toEqual(dataOf(reference));
    const text = (await readFile(pretty.profiles['concatenated-json']!, 'utf8')).split('\n');
    for (const record of result.records) expect(text[record.origin.line - 1]).toBe('{');
    expect(result.rejects.filter((r) => r.reason.startsWith('malformed record')).map((r) => r.origin.line)).toEqual(pretty.expected.malformedProfileLines['concatenated-json']);
    expect(result.rejects.filter((r) => r.reason.startsWith('malformed password record')).map((r) => r.origin.line)).toEqual(pretty.expected.malformedPasswordLines);
    expect(result.rejects.filter((r) => r.reason === 'orphan password').map((r) => r.origin.line)).toEqual(pretty.expected.orphans.map((o) => o.line));
  });

  it('reads UTF-16 LE and BE exports with a BOM, plain and gzipped, as the UTF-8 ones', async () => {
    const reference = dataOf(await readAll(dir, { profiles: plain.profiles.ndjson!, passwords: plain.passwords }));
    for (const encoding of ['utf-16le', 'utf-16be'] as const) {
      for (const gzip of [false, true]) {
        const out = await generateAuth0Export({ dir: join(dir, `${encoding}-${gzip}`), users, seed: 7, formats: ['ndjson', 'csv'], encoding, bom: true, gzip });
        for (const format of ['ndjson', 'csv'] as const) {
          const result = await readAll(dir, { profiles: out.profiles[format]!, passwords: out.passwords });
          expect(dataOf(result), `${encoding} ${format} gzip ${gzip}`).toEqual(reference);
        }
      }
    }
  });

  it('rejects Latin-1 bytes with their line and byte offset, and decodes them when the encoding is named', async () => {
    const lines = ['{"user_id":"google-oauth2|1","name":"Jürgen Müller"}', '{"user_id":"google-oauth2|2","name":"Ann"}', '{"user_id":"google-oauth2|3","name":"Zoë"}'];
    await writeFile(join(dir, 'latin1.ndjson'), Buffer.from(`${lines.join('\n')}\n`, 'latin1'));
    const strict = await readAll(dir, { profiles: 'latin1.ndjson' });
    expect(strict.records.map((r) => r.data.profile.name)).toEqual(['Ann']);
    expect(strict.rejects.map((r) => [r.origin.line, r.reason, r.detail?.byteOffset])).toEqual([
      [1, 'malformed record: invalid UTF-8 (byte 0xfc; a Latin-1 or Windows-1252 file needs its encoding set)', lines[0].indexOf('ü')],
      [3, 'malformed record: invalid UTF-8 (byte 0xeb; a Latin-1 or Windows-1252 file needs its encoding set)', lines[0].length + lines[1].length + 2 + lines[2].indexOf('ë')],
    ]);
    const decoded = await readAll(dir, { profiles: 'latin1.ndjson', encoding: 'latin1' });
    expect(decoded.records.map((r) => r.data.profile.name)).toEqual(['Jürgen Müller', 'Ann', 'Zoë']);
  });

  it('warns about duplicate keys with the key and the location, keeping the last value', async () => {
    await writeFile(join(dir, 'duplicates.ndjson'), '{"user_id":"google-oauth2|1","email":"old@x","email":"new@x"}\n{"user_id":"google-oauth2|2"}\n');
    const result = await readAll(dir, { profiles: 'duplicates.ndjson' });
    expect(result.records[0].data.profile.email).toBe('new@x');
    expect(result.warnings).toEqual([
      { message: 'duplicates.ndjson:1: duplicate key "email" in one record; the last value is kept', origin: { file: 'duplicates.ndjson', line: 1, offset: 0 }, kind: 'duplicate keys' },
    ]);
    expect(result.counts['duplicate-keys']).toBe(1);
  });

  it('warns about every record with duplicate keys, each located (warnings.csv lists them all)', async () => {
    const lines = Array.from({ length: 25 }, (_, i) => `{"user_id":"google-oauth2|${i}","name":"a","name":"b"}`);
    await writeFile(join(dir, 'many-duplicates.ndjson'), `${lines.join('\n')}\n`);
    const result = await readAll(dir, { profiles: 'many-duplicates.ndjson' });
    expect(result.warnings).toHaveLength(25);
    expect(result.warnings.map((w) => w.origin?.line)).toEqual(lines.map((_, i) => i + 1));
    expect(result.warnings[24].message).toBe('many-duplicates.ndjson:25: duplicate key "name" in one record; the last value is kept');
    expect(result.counts['duplicate-keys']).toBe(25);
  });
});
