import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { estimateRecords } from './record-estimate.js';

describe('estimateRecords', () => {
  it('estimates plain and gzip files from a sample of their start', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'estimate-'));
    const text = Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ user_id: `auth0|${i}`, pad: 'x'.repeat(100 + (i % 50)) })).join('\n');
    await writeFile(join(dir, 'plain.ndjson'), text);
    await writeFile(join(dir, 'packed.gz'), gzipSync(text));
    await writeFile(join(dir, 'empty'), '');
    const plain = await estimateRecords(join(dir, 'plain.ndjson'));
    const packed = await estimateRecords(join(dir, 'packed.gz'));
    expect(plain).toBeGreaterThan(18_000);
    expect(plain).toBeLessThan(22_000);
    expect(packed).toBeGreaterThan(10_000);
    expect(packed).toBeLessThan(40_000);
    expect(await estimateRecords(join(dir, 'empty'))).toBe(0);
    // Pretty-printed objects: records, not lines.
    const pretty = Array.from({ length: 5_000 }, (_, i) => JSON.stringify({ user_id: `auth0|${i}`, a: 1, b: { c: [1, 2] } }, null, 2)).join('\n');
    await writeFile(join(dir, 'pretty.json'), pretty);
    const objects = await estimateRecords(join(dir, 'pretty.json'));
    expect(objects).toBeGreaterThan(4_500);
    expect(objects).toBeLessThan(5_500);
    await rm(dir, { recursive: true });
  });
});
