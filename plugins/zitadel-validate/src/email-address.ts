// ZITADEL validates an email with Go's `net/mail.ParseAddress` and refuses a display name
// (`Errors.User.Email.Invalid`). This accepts the bare RFC 5322 addr-spec that parser accepts —
// dot-atom or quoted local part, dot-atom or [literal] domain, UTF-8 allowed as Go allows it —
// and nothing else (no `Name <addr>`, no comments, no surrounding spaces).

const atext = "[A-Za-z0-9!#$%&'*+\\-/=?^_`{|}~\\u{80}-\\u{10FFFF}]";
const dotAtom = `${atext}+(?:\\.${atext}+)*`;
const quotedString = '"(?:[^"\\\\\\r\\n]|\\\\[^\\r\\n])+"';
const domainLiteral = '\\[[^\\[\\]\\\\\\s]*\\]';
const addrSpec = new RegExp(`^(?:${dotAtom}|${quotedString})@(?:${dotAtom}|${domainLiteral})$`, 'u');

/** True when `text` is a bare email address ZITADEL's email check accepts. */
export function isEmailAddress(text: string): boolean {
  return addrSpec.test(text);
}
