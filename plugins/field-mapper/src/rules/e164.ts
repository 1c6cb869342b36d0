// ZITADEL accepts a phone only as `+` and digits (E.164); Auth0's `phone_number` is usually E.164
// already, but imported or user-edited numbers carry spaces, dashes, dots or parentheses.

const E164 = /^\+[1-9][0-9]{1,14}$/;
const VISUAL_SEPARATORS = /[\s\-.()\u00a0]/gu;

/** The E.164 form of `phone` (`+1 (415) 555-0123` → `+14155550123`), or undefined when it has none. */
export function toE164(phone: unknown): string | undefined {
  if (typeof phone !== 'string') return undefined;
  const compact = phone.replace(VISUAL_SEPARATORS, '');
  return E164.test(compact) ? compact : undefined;
}
