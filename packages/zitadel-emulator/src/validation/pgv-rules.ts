// Field rules with the messages of protoc-gen-validate, which ZITADEL's gRPC layer runs before a
// call: the first violation rejects the whole request with 400 / code 3.
import { invalidArgument } from '../http/api-error.js';
import { parseMailAddress } from './mail-address.js';

/** A rule violation, as PGV renders it: `invalid <Type>.<Field>: <reason>`. */
export class RuleViolation {
  constructor(readonly text: string) {}
}

function runeLength(value: string): number {
  let count = 0;
  for (const _ of value) count++;
  return count;
}

/** `field` of message `type` breaks a length rule; undefined when within. */
export function checkLength(
  type: string,
  field: string,
  value: string | undefined,
  min: number,
  max: number,
): RuleViolation | undefined {
  const length = runeLength(value ?? '');
  if (value === undefined && min === 0) return undefined;
  if (length >= min && length <= max) return undefined;
  const rule =
    min > 0 ? `value length must be between ${min} and ${max} runes, inclusive` : `value length must be at most ${max} runes`;
  return new RuleViolation(`invalid ${type}.${field}: ${rule}`);
}

export function checkByteLength(type: string, field: string, value: Buffer, min: number, max: number): RuleViolation | undefined {
  if (value.length >= min && value.length <= max) return undefined;
  return new RuleViolation(`invalid ${type}.${field}: value length must be between ${min} and ${max} bytes, inclusive`);
}

export function checkRequired(type: string, field: string, value: unknown): RuleViolation | undefined {
  return value === undefined ? new RuleViolation(`invalid ${type}.${field}: value is required`) : undefined;
}

export function checkPrefix(type: string, field: string, value: string | undefined, prefix: string): RuleViolation | undefined {
  if (value === undefined || value.startsWith(prefix)) return undefined;
  return new RuleViolation(`invalid ${type}.${field}: value does not have prefix ${JSON.stringify(prefix)}`);
}

/**
 * PGV's `string.email` (_validateEmail of protoc-gen-validate v1.x, ZITADEL's go.mod): Go's
 * mail.ParseAddress, at most 254 bytes, a local part of at most 64 bytes, then _validateHostname:
 * at most 253 bytes, labels of 1–63 bytes of a-z, 0-9 and `-` (after lower-casing), no label
 * starting or ending with `-`.
 */
export function checkEmailAddress(type: string, field: string, value: string): RuleViolation | undefined {
  const cause = emailProblem(value);
  return cause ? new RuleViolation(`invalid ${type}.${field}: value must be a valid email address | caused by: ${cause}`) : undefined;
}

const utf8Length = (text: string) => Buffer.byteLength(text, 'utf8');

function emailProblem(value: string): string | undefined {
  const parsed = parseMailAddress(value);
  if (!parsed.ok) return parsed.error;
  const address = parsed.address;
  if (utf8Length(address) > 254) return 'email addresses cannot exceed 254 characters';
  const at = address.indexOf('@');
  if (utf8Length(address.slice(0, at)) > 64) return 'email address local phrase cannot exceed 64 characters';
  return hostnameProblem(address.slice(at + 1));
}

function hostnameProblem(host: string): string | undefined {
  const lower = (host.endsWith('.') ? host.slice(0, -1) : host).toLowerCase();
  if (utf8Length(host) > 253) return 'hostname cannot exceed 253 characters';
  for (const part of lower.split('.')) {
    const length = utf8Length(part);
    if (length === 0 || length > 63) return 'hostname part must be non-empty and cannot exceed 63 characters';
    if (part.startsWith('-')) return 'hostname parts cannot begin with hyphens';
    if (part.endsWith('-')) return 'hostname parts cannot end with hyphens';
    for (const char of part) {
      if (!/^[a-z0-9-]$/.test(char)) return `hostname parts can only contain alphanumeric characters or hyphens, got ${JSON.stringify(char)}`;
    }
  }
  return undefined;
}

/** Wraps a violation inside an embedded message, as PGV chains them. */
export function embedded(type: string, field: string, inner: RuleViolation | undefined): RuleViolation | undefined {
  if (!inner) return undefined;
  return new RuleViolation(`invalid ${type}.${field}: embedded message failed validation | caused by: ${inner.text}`);
}

/** The first violation of a list of checks. */
export function firstViolation(...checks: (() => RuleViolation | undefined)[]): RuleViolation | undefined {
  for (const check of checks) {
    const violation = check();
    if (violation) return violation;
  }
  return undefined;
}

/** Throws the 400 / code 3 error of a violation. */
export function rejectViolation(violation: RuleViolation | undefined): void {
  if (violation) throw invalidArgument(violation.text);
}
