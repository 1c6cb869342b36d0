// A JavaScript string may hold a lone UTF-16 surrogate (half of an emoji cut in two, a broken
// export): JSON.stringify writes it as `\ud83d`, and protobuf's JSON decoder, which ZITADEL's
// gateway runs on every request body, refuses such a string as invalid UTF-8 — the whole import
// batch or v2 call fails with 400 (issue 17 §6). Every string of a record is checked, located.

/** `String.prototype.isWellFormed` (ES2024, in Node 20), typed here because the lib is ES2023. */
const isWellFormed = (text: string): boolean => (text as unknown as { isWellFormed(): boolean }).isWellFormed();

/** The UTF-16 index of the first lone surrogate in `text`, or -1. */
export function loneSurrogateIndex(text: string): number {
  if (isWellFormed(text)) return -1;
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        i++;
        continue;
      }
      return i;
    }
    if (unit >= 0xdc00 && unit <= 0xdfff) return i;
  }
  return -1;
}

/**
 * True when any string under `value` (object keys included) holds a lone surrogate. Allocates
 * nothing: it runs on every record, and almost every record has none.
 */
export function hasLoneSurrogate(value: unknown): boolean {
  if (typeof value === 'string') return !isWellFormed(value);
  if (typeof value !== 'object' || value === null) return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) if (hasLoneSurrogate(value[i])) return true;
    return false;
  }
  const fields = value as { [key: string]: unknown };
  for (const key in fields) {
    if (!Object.hasOwn(fields, key)) continue;
    if (!isWellFormed(key) || hasLoneSurrogate(fields[key])) return true;
  }
  return false;
}

/** One string holding a lone surrogate: its path in the record and where. */
export interface LoneSurrogate {
  path: string;
  index: number;
  unit: number;
}

/**
 * Every string under `value` holding a lone surrogate (object keys included), with its dotted
 * path below `prefix` (`profile.displayName`, `metadata[0].key`). Builds paths: call it once
 * `hasLoneSurrogate` said there is one.
 */
export function findLoneSurrogates(value: unknown, prefix: string, found: LoneSurrogate[] = []): LoneSurrogate[] {
  if (typeof value === 'string') {
    const index = loneSurrogateIndex(value);
    if (index >= 0) found.push({ path: prefix, index, unit: value.charCodeAt(index) });
  } else if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) findLoneSurrogates(value[i], `${prefix}[${i}]`, found);
  } else if (typeof value === 'object' && value !== null) {
    for (const [key, child] of Object.entries(value)) {
      const path = prefix ? `${prefix}.${key}` : key;
      const keyIndex = loneSurrogateIndex(key);
      if (keyIndex >= 0) found.push({ path, index: keyIndex, unit: key.charCodeAt(keyIndex) });
      findLoneSurrogates(child, path, found);
    }
  }
  return found;
}

/** `contains a lone UTF-16 surrogate \uD83D at index 4 …` */
export function describeLoneSurrogate(surrogate: LoneSurrogate): string {
  const unit = surrogate.unit.toString(16).toUpperCase();
  return `contains a lone UTF-16 surrogate \\u${unit} at index ${surrogate.index} (not valid Unicode: ZITADEL's JSON decoder would refuse the whole request)`;
}
