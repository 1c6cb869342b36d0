// Splits a batch into requests of at most `maxUsers` users and about `maxBytes` bytes.

/** Consecutive chunks, each non-empty, keeping order. A single oversized item gets its own chunk. */
export function splitIntoChunks<T>(items: T[], maxUsers: number, maxBytes: number, sizeOf: (item: T) => number): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = sizeOf(item);
    if (current.length > 0 && (current.length >= maxUsers || bytes + size > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
