// Estimates how many records an export holds without reading it: big joins go on disk from the
// start (filling a Map up to the threshold first would set the peak memory for good) and their
// index is sized once instead of growing.

import { open } from 'node:fs/promises';
import { gunzipSync, constants as zlibConstants } from 'node:zlib';

/** Bytes sampled from the start of a file to estimate its record count. */
const sampleBytes = 256 * 1024;

/**
 * Estimated records in an export: its (decompressed) size over the mean record length of a sample
 * from its start. Used to put large joins on disk from the start and to size their index.
 */
export async function estimateRecords(path: string): Promise<number> {
  const input = await open(path, 'r');
  try {
    const { size } = await input.stat();
    const sample = Buffer.alloc(Math.min(size, sampleBytes));
    await input.read(sample, 0, sample.length, 0);
    const gzip = sample[0] === 0x1f && sample[1] === 0x8b;
    let text = sample;
    let expandedSize = size;
    if (gzip) {
      // A truncated gzip stream inflates up to where it was cut.
      text = gunzipSync(sample, { finishFlush: zlibConstants.Z_SYNC_FLUSH });
      expandedSize = size * (text.length / Math.max(1, sample.length));
    }
    // Records start in column 0 with `{`: one a line in NDJSON, one every few dozen lines in
    // pretty-printed concatenated JSON. Other files (CSV, an indented array) count lines.
    let records = text[0] === 0x7b ? 1 : 0;
    for (let at = text.indexOf('\n{'); at !== -1; at = text.indexOf('\n{', at + 2)) records++;
    if (records <= 1) {
      records = 0;
      for (let at = text.indexOf(0x0a); at !== -1; at = text.indexOf(0x0a, at + 1)) records++;
    }
    if (records === 0) return text.length > 0 ? 1 : 0;
    return Math.ceil(expandedSize / (text.length / records));
  } catch {
    // Only an optimisation: without an estimate the tables spill when they pass the threshold.
    return 0;
  } finally {
    await input.close();
  }
}
