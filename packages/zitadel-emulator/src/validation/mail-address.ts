// Go's net/mail.ParseAddress, the parser behind both of ZITADEL's e-mail checks: PGV's
// `string.email` rule (_validateEmail) and EmailAddress.Validate (internal/domain/human_email.go).
// Covered: an addr-spec (dot-atom or quoted local part, dot-atom or [literal] domain, RFC 6532
// UTF-8), an optional display name (atoms and quoted strings) before `<addr-spec>`, a trailing
// (comment) as display name, and Go's error texts. Not covered: RFC 2047 encoded words, groups,
// comments inside the address.

export type ParsedMailAddress = { ok: true; name: string; address: string } | { ok: false; error: string };

const SPECIALS = new Set(['(', ')', '<', '>', '[', ']', ':', ';', '@', '\\', ',', '"']);

/** RFC 5322 atext (with `.` when `dot`), UTF-8 beyond ASCII allowed as Go's isMultibyte does. */
function isAtext(char: string, dot: boolean): boolean {
  if (char === '.') return dot;
  if (SPECIALS.has(char)) return false;
  const code = char.codePointAt(0) ?? 0;
  return (code >= 0x21 && code <= 0x7e) || code >= 0x80;
}

function isQtext(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return char !== '"' && char !== '\\' && ((code >= 0x21 && code <= 0x7e) || code >= 0x80);
}

const isWsp = (char: string) => char === ' ' || char === '\t';

class MailParseError extends Error {}

class AddressParser {
  constructor(private rest: string) {}

  remaining(): string {
    return this.rest;
  }

  empty(): boolean {
    return this.rest.length === 0;
  }

  peek(): string {
    return this.rest[0] ?? '';
  }

  consume(char: string): boolean {
    if (this.peek() !== char) return false;
    this.rest = this.rest.slice(1);
    return true;
  }

  skipSpace(): void {
    this.rest = this.rest.replace(/^[ \t]+/, '');
  }

  /** consumeAtom: a (dot-)atom; `permissive` allows leading, trailing and double dots. */
  atom(dot: boolean, permissive: boolean): string {
    let length = 0;
    for (const char of this.rest) {
      if (char === '\uFFFD') throw new MailParseError(`mail: invalid utf-8 in address: ${JSON.stringify(this.rest)}`);
      if (!isAtext(char, dot)) break;
      length += char.length;
    }
    if (length === 0) throw new MailParseError('mail: invalid string');
    const atom = this.rest.slice(0, length);
    this.rest = this.rest.slice(length);
    if (!permissive) {
      if (atom.startsWith('.')) throw new MailParseError('mail: leading dot in atom');
      if (atom.includes('..')) throw new MailParseError('mail: double dot in atom');
      if (atom.endsWith('.')) throw new MailParseError('mail: trailing dot in atom');
    }
    return atom;
  }

  quotedString(): string {
    let out = '';
    let escaped = false;
    let index = 1;
    for (const char of this.rest.slice(1)) {
      index += char.length;
      if (escaped) {
        if (!isQtext(char) && !isWsp(char) && char !== '"' && char !== '\\') {
          throw new MailParseError(`mail: bad character in quoted-string: ${JSON.stringify(char)}`);
        }
        out += char;
        escaped = false;
      } else if (isQtext(char) || isWsp(char)) out += char;
      else if (char === '"') {
        this.rest = this.rest.slice(index);
        return out;
      } else if (char === '\\') escaped = true;
      else throw new MailParseError(`mail: bad character in quoted-string: ${JSON.stringify(char)}`);
    }
    throw new MailParseError('mail: unclosed quoted-string');
  }

  /** consumeAddrSpec: local-part "@" domain; restores the input when it fails. */
  addrSpec(): string {
    const saved = this.rest;
    try {
      this.skipSpace();
      if (this.empty()) throw new MailParseError('mail: no addr-spec');
      let local: string;
      if (this.peek() === '"') {
        local = this.quotedString();
        if (local === '') throw new MailParseError('mail: empty quoted-string in addr-spec');
      } else local = this.atom(true, false);
      if (!this.consume('@')) throw new MailParseError('mail: missing @ in addr-spec');
      this.skipSpace();
      if (this.empty()) throw new MailParseError('mail: no domain in addr-spec');
      let domain: string;
      if (this.peek() === '[') {
        const end = this.rest.indexOf(']');
        if (end < 0) throw new MailParseError('mail: unclosed domain-literal');
        domain = this.rest.slice(0, end + 1);
        this.rest = this.rest.slice(end + 1);
      } else domain = this.atom(true, false);
      return `${local}@${domain}`;
    } catch (error) {
      this.rest = saved;
      throw error;
    }
  }

  /** consumePhrase: words (permissive atoms or quoted strings) separated by spaces. */
  phrase(): string {
    const words: string[] = [];
    for (;;) {
      this.skipSpace();
      if (this.empty()) break;
      if (this.peek() === '"') words.push(this.quotedString());
      else if (isAtext(this.peek(), true)) words.push(this.atom(true, true));
      else break;
    }
    if (words.length === 0) throw new MailParseError('mail: missing word in phrase: mail: invalid string');
    return words.join(' ');
  }

  comment(): string {
    const end = this.rest.indexOf(')');
    if (end < 0) throw new MailParseError('mail: misformatted parenthetical comment');
    const text = this.rest.slice(1, end);
    this.rest = this.rest.slice(end + 1);
    return text.trim();
  }
}

/**
 * The last address parsed and its answer: a v2 create parses the same address twice in a row
 * (the PGV rule, then EmailAddress.Validate), and the answer depends on the text alone.
 */
let lastParsed: { text: string; result: ParsedMailAddress } | undefined;

/** net/mail.ParseAddress: the address and display name, or Go's error text. */
export function parseMailAddress(text: string): ParsedMailAddress {
  if (lastParsed?.text === text) return lastParsed.result;
  const result = Object.freeze(parseAddress(text));
  lastParsed = { text, result };
  return result;
}

function parseAddress(text: string): ParsedMailAddress {
  const parser = new AddressParser(text);
  try {
    parser.skipSpace();
    if (parser.empty()) throw new MailParseError('mail: no address');
    let name = '';
    let address: string;
    try {
      address = parser.addrSpec();
      parser.skipSpace();
      if (parser.peek() === '(') name = parser.comment();
    } catch (specError) {
      if (parser.peek() !== '<') name = parser.phrase();
      parser.skipSpace();
      if (!parser.consume('<')) {
        const allAtext = [...name].every((char) => char === ' ' || isAtext(char, true));
        if (specError instanceof MailParseError && !name.includes(' ') && allAtext) {
          throw new MailParseError("mail: missing '@' or angle-addr");
        }
        throw new MailParseError('mail: no angle-addr');
      }
      address = parser.addrSpec();
      if (!parser.consume('>')) throw new MailParseError('mail: unclosed angle-addr');
    }
    parser.skipSpace();
    if (!parser.empty()) throw new MailParseError(`mail: expected single address, got ${JSON.stringify(parser.remaining())}`);
    return { ok: true, name, address };
  } catch (error) {
    if (error instanceof MailParseError) return { ok: false, error: error.message };
    throw error;
  }
}
