// The length of the shortest JSON text that parses to a value: a proof, at the cost of one walk over
// the parsed value and no look at the text, that a JSON text repeats no key.
//
// Why it proves that: a text that repeats a key parses to the value with the earlier members
// dropped (the last wins). Take those members (and their commas) out of the text and what is left
// still parses to the same value (key order aside, which the length ignores), so it is at least
// minimalJsonLength(value) long, and the members taken out are at least `"":0,` (5 characters).
// So a text exactly minimalJsonLength(value) long repeats no key. A text that is longer may still
// be fine (whitespace, an escape like `\"` or `\u00e9`, a number written `1.0`): that one needs the
// slower check. Auth0 writes its exports compact, without needless escapes, so nearly every line
// takes the short way.
//
// The lengths are lower bounds, never more than any text of the value: a string of n UTF-16 code
// units is at least n + 2 characters (escapes only add), `true`/`false`/`null` have one spelling,
// and a number is given the shortest spelling JSON allows (below).

/** 10^exponent's digits, from its exponent (1000 → `1e3`: `e` and the exponent's digits). */
function exponentLength(exponent: number): number {
  return exponent < 10 ? 2 : exponent < 100 ? 3 : 4;
}

/**
 * The shortest JSON spelling of number `n`. A safe integer: its digits, or its digits without the
 * trailing zeros and an exponent when that is shorter (`1000` → `1e3`); any other number is
 * counted as one character, which only sends its text to the slower check.
 */
export function minimalNumberLength(n: number): number {
  if (n >= 0 && n < 1000 && Number.isInteger(n)) return n < 10 ? 1 : n < 100 ? 2 : 3;
  if (!Number.isSafeInteger(n)) return 1;
  const digits = String(n);
  let zeros = 0;
  while (zeros < digits.length - 1 && digits.charCodeAt(digits.length - 1 - zeros) === 0x30) zeros++;
  return Math.min(digits.length, digits.length - zeros + exponentLength(zeros));
}

/** The length, in UTF-16 code units, of the shortest JSON text that parses to `value` (a JSON.parse result). */
export function minimalJsonLength(value: unknown): number {
  // Strings, most of a profile's values, are counted in place rather than by a call: a third less work.
  if (typeof value === 'object') {
    if (value === null) return 4;
    if (Array.isArray(value)) {
      // Brackets and the commas between items: one more than the items, or `[]`.
      let length = value.length > 0 ? value.length + 1 : 2;
      for (let i = 0; i < value.length; i++) {
        const item: unknown = value[i];
        length += typeof item === 'string' ? item.length + 2 : minimalJsonLength(item);
      }
      return length;
    }
    // `{`, then per member its quoted key, `:` and the `,` or `}` after it.
    let length = 1;
    for (const key in value) {
      const item = (value as { [key: string]: unknown })[key];
      length += key.length + 4 + (typeof item === 'string' ? item.length + 2 : minimalJsonLength(item));
    }
    return length === 1 ? 2 : length;
  }
  if (typeof value === 'string') return value.length + 2;
  if (typeof value === 'number') return minimalNumberLength(value);
  return value ? 4 : 5;
}
