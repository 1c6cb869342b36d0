// Identifies an input file cheaply but reliably for resume: path, size, mtime and a hash of its
// first and last 64 KiB (catches edits that keep size and mtime, without reading gigabytes).

import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';

const SAMPLE_BYTES = 64 * 1024;

export async function fingerprintFile(path: string): Promise<string> {
  const file = await open(path, 'r');
  try {
    const stat = await file.stat();
    const hash = createHash('sha256');
    hash.update(`${resolve(path)}\0${stat.size}\0${stat.mtimeMs}\0`);
    const head = Buffer.alloc(Math.min(SAMPLE_BYTES, stat.size));
    await file.read(head, 0, head.length, 0);
    hash.update(head);
    if (stat.size > SAMPLE_BYTES) {
      const tail = Buffer.alloc(Math.min(SAMPLE_BYTES, stat.size - SAMPLE_BYTES));
      await file.read(tail, 0, tail.length, stat.size - tail.length);
      hash.update(tail);
    }
    return `ndjson:sha256:${hash.digest('hex')}`;
  } finally {
    await file.close();
  }
}
