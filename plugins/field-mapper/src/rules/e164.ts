// ZITADEL accepts a phone only as `+` and digits (E.164); Auth0's `phone_number` is usually E.164
// already, but imported or user-edited numbers carry spaces, dashes, dots or parentheses.

// 7 to 15 digits: E.164 allows at most 15, and the shortest numbers in service (Niue, Saint
// Helena: +683 4002) have 7; ZITADEL's libphonenumber refuses shorter ones such as `+12`.
const E164 = /^\+[1-9][0-9]{6,14}$/;
const VISUAL_SEPARATORS = /[\s\-.()\u00a0]/gu;

/** The E.164 form of `phone` (`+1 (415) 555-0123` → `+14155550123`), or undefined when it has none. */
export function toE164(phone: unknown): string | undefined {
  if (typeof phone !== 'string') return undefined;
  const compact = phone.replace(VISUAL_SEPARATORS, '');
  return E164.test(compact) ? compact : undefined;
}
