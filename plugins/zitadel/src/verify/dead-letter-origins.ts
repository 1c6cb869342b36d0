// The dead-letter file says which records the run refused: verify must not expect them in ZITADEL.
import { createReadStream, existsSync } from 'node:fs';
import { createInterface } from 'node:readline';

/** `file:line` of every record in the dead-letter file (empty when there is none). */
export async function readDeadLetterOrigins(path: string | undefined): Promise<Set<string>> {
  const origins = new Set<string>();
  if (!path || !existsSync(path)) return origins;
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    if (!line.trim()) continue;
    try {
      const letter = JSON.parse(line) as { origin?: unknown };
      if (typeof letter.origin === 'string') origins.add(letter.origin);
    } catch {
      // A torn last line after kill -9: the resumed run rewrote that record's fate elsewhere.
    }
  }
  return origins;
}
