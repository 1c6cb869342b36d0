// The bare NDJSON reader both reference scripts use: a Buffer line splitter and JSON.parse.
import { createReadStream } from 'node:fs';

/** Calls `onRecord` with each parsed line of `path`, in order. */
export async function eachLine(path, onRecord) {
  let carry = Buffer.alloc(0);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const buffer = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    let start = 0;
    for (let end = buffer.indexOf(10); end !== -1; start = end + 1, end = buffer.indexOf(10, start)) {
      if (end > start) onRecord(JSON.parse(buffer.toString('utf8', start, end)));
    }
    carry = buffer.subarray(start);
  }
  if (carry.length) onRecord(JSON.parse(carry.toString('utf8')));
}
