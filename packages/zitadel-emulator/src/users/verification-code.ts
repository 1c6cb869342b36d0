// The plain verification code ZITADEL hands back instead of sending it (`returnCode`): a random
// string; its alphabet and length do not matter to a client, which only passes it on.
import { randomBytes } from 'node:crypto';

/** A new random code, e.g. for `emailCode` / `phoneCode` in a response. */
export function newPlainCode(): string {
  return randomBytes(6).toString('base64url').slice(0, 6).toUpperCase();
}
