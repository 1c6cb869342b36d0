// The dead-letter file says which records the run refused: verify must not expect them in ZITADEL
// — unless `idflow retry` delivered them since (a completed retry beside the file).
import { existsSync } from 'node:fs';
import { standingDeadLetterOrigins } from '@idflow/engine';

/** `file:line` of every record in the dead-letter file that is still refused (empty when there is none). */
export async function readDeadLetterOrigins(path: string | undefined): Promise<Set<string>> {
  if (!path || !existsSync(path)) return new Set();
  // A torn last line after kill -9 is skipped: the resumed run rewrote that record's fate elsewhere.
  return await standingDeadLetterOrigins(path);
}
