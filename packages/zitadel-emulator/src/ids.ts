// Identifiers and secrets in ZITADEL's shapes: numeric snowflake-like ids, opaque random tokens.
import { randomBytes, randomInt } from 'node:crypto';

let lastMillis = 0;
let counter = 0;

/** A new 18-digit numeric id, increasing over time like ZITADEL's sonyflake ids. */
export function newZitadelId(): string {
  const now = Date.now();
  counter = now === lastMillis ? counter + 1 : randomInt(0, 1000);
  lastMillis = now;
  return `${now}${String(counter % 100_000).padStart(5, '0')}`;
}

/** An opaque bearer secret (PAT, access token, client secret, session token). */
export function newSecret(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
