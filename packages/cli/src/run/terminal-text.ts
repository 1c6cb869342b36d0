// Text from the input (a reason quoting a field, a snippet of a malformed line, a file name) is
// printed to a terminal: an export line can carry escape sequences that recolour, hide or rewrite
// what the operator sees, or bidi controls that reorder it. Such characters are shown escaped
// (`\x1b`, `\u202e`), never sent as they are.

/** C0 controls but tab (and newline when kept), DEL, C1 controls, line/paragraph separators, bidi controls. */
function isUnsafe(code: number, keepNewlines: boolean): boolean {
  if (code === 0x09) return false;
  if (code === 0x0a) return !keepNewlines;
  return (
    code < 0x20 ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x2028 ||
    code === 0x2029 ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069)
  );
}

/** `text` with every control character escaped; `keepNewlines` for messages that are several lines on purpose. */
export function escapeForTerminal(text: string, options: { keepNewlines?: boolean } = {}): string {
  const keepNewlines = options.keepNewlines === true;
  let out: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!isUnsafe(code, keepNewlines)) {
      if (out !== undefined) out += text[i];
      continue;
    }
    out ??= text.slice(0, i);
    out += code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  }
  return out ?? text;
}
