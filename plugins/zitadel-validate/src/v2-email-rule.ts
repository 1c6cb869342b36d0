// The User Service v2 declares `SetHumanEmail.email` with `(validate.rules).string.email = true`
// (proto/zitadel/user/v2/email.proto). protoc-gen-validate's `_validateEmail` (templates/goshared/
// register.go in bufbuild/protoc-gen-validate) adds to Go's net/mail parse: the address at most 254
// bytes, the local part at most 64 bytes, and a host name of dot-separated labels of 1–63 bytes,
// each only ASCII letters, digits and hyphens, not starting or ending with a hyphen (after
// lower-casing; one trailing dot allowed), at most 253 bytes. The import API has no such rule, so
// `jörg@müller.de` imports but is refused by AddHumanUser.

const hostLabel = /^[a-z0-9-]+$/;
// Almost every address: ASCII, a local part of 1–64 characters, labels of 1–63 letters, digits and
// inner hyphens. Such an address passes every rule below, tested without splitting or encoding.
const plainLabel = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const plainAddress = new RegExp(`^[\\x21-\\x3f\\x41-\\x7e]{1,64}@(?:${plainLabel}\\.)*${plainLabel}\\.?$`);
const bytes = (text: string) => Buffer.byteLength(text, 'utf8');

/** Why AddHumanUser would refuse this (net/mail-valid) address, or undefined when it accepts it. */
export function v2EmailProblem(address: string): string | undefined {
  if (address.length <= 254 && plainAddress.test(address)) return undefined;
  if (bytes(address) > 254) return 'must be at most 254 bytes for the v2 API';
  // Split at the first @, as `strings.SplitN(addr, "@", 2)` does: a quoted local part holding an @
  // leaves a host PGV refuses.
  const at = address.indexOf('@');
  const local = address.slice(0, at);
  const host = address.slice(at + 1);
  if (bytes(local) > 64) return 'local part must be at most 64 bytes for the v2 API';
  if (bytes(host) > 253) return 'domain must be at most 253 bytes for the v2 API';
  const labels = (host.endsWith('.') ? host.slice(0, -1) : host).toLowerCase().split('.');
  for (const label of labels) {
    if (label.length === 0 || bytes(label) > 63) return `domain label "${label}" must be 1–63 bytes for the v2 API`;
    if (label.startsWith('-') || label.endsWith('-')) return `domain label "${label}" must not start or end with a hyphen for the v2 API`;
    if (!hostLabel.test(label)) return `domain label "${label}" may only hold ASCII letters, digits and hyphens for the v2 API (internationalized domains must be punycode, e.g. xn--mller-kva.de)`;
  }
  return undefined;
}
