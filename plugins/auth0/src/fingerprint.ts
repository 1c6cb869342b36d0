// Identifies the input files for resume: path, size, mtime and a hash of the first and last
// 64 KiB, so an export replaced in place is noticed without reading gigabytes.

import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';

const edgeBytes = 64 * 1024;

/** A stable digest of the files' identity and edges. */
export async function fingerprintFiles(paths: readonly string[]): Promise<string> {
  const digest = createHash('sha256');
  for (const path of paths) {
    const handle = await open(path, 'r');
    try {
      const { size, mtimeMs } = await handle.stat();
      digest.update(`${path}\u0000${size}\u0000${Math.trunc(mtimeMs)}\u0000`);
      const head = Buffer.alloc(Math.min(edgeBytes, size));
      await handle.read(head, 0, head.length, 0);
      digest.update(head);
      const tailStart = Math.max(0, size - edgeBytes);
      const tail = Buffer.alloc(size - tailStart);
      await handle.read(tail, 0, tail.length, tailStart);
      digest.update(tail);
    } finally {
      await handle.close();
    }
  }
  return `sha256:${digest.digest('hex')}`;
}
