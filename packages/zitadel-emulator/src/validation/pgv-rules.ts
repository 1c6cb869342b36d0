// Field rules with the messages of protoc-gen-validate, which ZITADEL's gRPC layer runs before a
// call: the first violation rejects the whole request with 400 / code 3.
import { invalidArgument } from '../http/api-error.js';

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

export function checkEmailAddress(type: string, field: string, value: string): RuleViolation | undefined {
  // PGV's check: one @, a non-empty local part, a hostname with a dot-separated domain.
  if (/^[^\s@<>]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*$/.test(value)) {
    return undefined;
  }
  return new RuleViolation(`invalid ${type}.${field}: value must be a valid email address`);
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
