// What a value given as text (`${VAR}` alone in a plain scalar, a `--set` value) becomes: the YAML
// number or boolean it reads as — unless the number would not keep its digits. An id such as a
// ZITADEL org id (200000000000000001) is past 2^53: as a number it would silently become
// 200000000000000000. Such text stays text, so the schema either takes it as the string it is or
// says, located, that it is not a number. (Where the schema wants a string, the loader gives any
// value typed from text its text back: `007` as an id stays `007`.)
import { parse as parseYaml } from 'yaml';

/** The number or boolean `text` reads as in YAML, else `text` itself. */
export function typedScalar(text: string): string | number | boolean {
  let parsed: unknown;
  try {
    parsed = parseYaml(text);
  } catch {
    return text;
  }
  if (typeof parsed === 'boolean') return parsed;
  return typeof parsed === 'number' && keepsItsDigits(text.trim(), parsed) ? parsed : text;
}

/** False when the number is not the one written: a whole number past 2^53, or more than 15 significant digits. */
export function keepsItsDigits(text: string, value: number): boolean {
  if (/^[-+]?\d+$/.test(text)) return Number.isSafeInteger(value);
  const digits = /^[-+]?(\d*)\.?(\d*)(?:e[-+]?\d+)?$/i.exec(text);
  if (!digits) return true; // .inf, .nan, hex…: YAML's own spellings
  return `${digits[1]}${digits[2]}`.replace(/^0+/, '').replace(/0+$/, '').length <= 15;
}
