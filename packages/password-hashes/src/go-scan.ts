// The parts of Go's fmt.Sscanf that passwap relies on: it replaces every `$` of an encoded hash
// by a space and scans it with a format such as " %s v=%d m=%d,t=%d,p=%d %s %s". So a number may
// have leading zeros (and a sign when read into a signed int), a run of `$` counts as one
// separator, and whatever follows the last verb is ignored.

/** A scanned value: `%s` gives text, `%d` a number. */
export type ScannedValue = string | number;

/** Integer kinds passwap scans into: signed ones accept `+`/`-`, unsigned ones only digits. */
export type IntegerKind = 'int' | 'uint8' | 'uint32';

const INTEGER_MAX: Record<IntegerKind, number> = { int: 2 ** 63 - 1, uint8: 255, uint32: 2 ** 32 - 1 };

/**
 * Scans `input` against `format`, whose verbs are `%s` and `%d` (each `%d` takes the next kind
 * of `kinds`). A space in the format matches one or more spaces (or the end); other text must
 * match exactly. Returns the values, or the reason the scan failed.
 */
export function goSscanf(input: string, format: string, kinds: readonly IntegerKind[] = []): ScannedValue[] | { error: string } {
  const values: ScannedValue[] = [];
  let at = 0;
  let kindIndex = 0;
  const skipSpaces = () => {
    while (input[at] === ' ') at++;
  };
  for (let f = 0; f < format.length; f++) {
    const char = format[f];
    if (char === ' ') {
      while (format[f + 1] === ' ') f++;
      if (at < input.length && input[at] !== ' ') return { error: 'input does not match format' };
      skipSpaces();
    } else if (char === '%') {
      const verb = format[++f];
      skipSpaces();
      if (at >= input.length) return { error: 'unexpected EOF' };
      if (verb === 's') {
        const start = at;
        while (at < input.length && input[at] !== ' ' && input[at] !== '\n') at++;
        values.push(input.slice(start, at));
      } else {
        const kind = kinds[kindIndex++] ?? 'int';
        const match = (kind === 'int' ? /^[+-]?[0-9]+/ : /^[0-9]+/).exec(input.slice(at));
        if (!match) return { error: 'expected integer' };
        const value = Number(match[0]);
        if (Math.abs(value) > INTEGER_MAX[kind]) return { error: `integer overflow on token ${match[0]}` };
        values.push(value);
        at += match[0].length;
      }
    } else {
      if (input[at] !== char) return { error: 'input does not match format' };
      at++;
    }
  }
  return values;
}
