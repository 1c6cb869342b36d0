// ZITADEL's validators (protoc-gen-validate `min_len`/`max_len`) count runes — Unicode code
// points — not JavaScript's UTF-16 units: "😀" is one rune but two units, "é" is one of both.

const highSurrogate = /[\uD800-\uDBFF]/;

/** Number of runes (Unicode code points) in `text`; a lone surrogate counts as one (Go reads it as U+FFFD). */
export function countRunes(text: string): number {
  // Fast path for the common case: without a high surrogate every UTF-16 unit is one rune. The
  // native regex scan is several times cheaper than the loop below on the hot validation path.
  if (!highSurrogate.test(text)) return text.length;
  let runes = 0;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
    }
    runes++;
  }
  return runes;
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * Cuts `text` to at most `maxRunes` runes without splitting a user-perceived character (an emoji
 * with modifiers, a letter with combining marks), so the cut text never ends in half a glyph.
 */
export function truncateRunes(text: string, maxRunes: number): string {
  // At most maxRunes UTF-16 units are at most maxRunes runes: nothing to count.
  if (text.length <= maxRunes || countRunes(text) <= maxRunes) return text;
  let kept = '';
  let keptRunes = 0;
  for (const { segment } of graphemes.segment(text)) {
    const runes = countRunes(segment);
    if (keptRunes + runes > maxRunes) break;
    kept += segment;
    keptRunes += runes;
  }
  // A single grapheme longer than the limit (pathological stacks of combining marks): cut by rune.
  if (keptRunes === 0) return Array.from(text).slice(0, maxRunes).join('');
  return kept;
}
