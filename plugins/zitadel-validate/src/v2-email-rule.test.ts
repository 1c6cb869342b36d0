import { describe, expect, it } from 'vitest';
import { v2EmailProblem } from './v2-email-rule.js';

// Rows from protoc-gen-validate's own email cases (tests/harness/executor/cases.go) and the v2 rule.
describe('v2EmailProblem (protoc-gen-validate string.email on SetHumanEmail.email)', () => {
  it.each(['foo@bar.com', 'jane.doe+tag@sub.example.co.uk', `${'a'.repeat(64)}@example.com`, `jane@${'b'.repeat(63)}.com`, 'jane@EXAMPLE.com', 'jane@xn--mller-kva.de'])(
    'accepts %s',
    (address) => expect(v2EmailProblem(address)).toBeUndefined(),
  );

  it.each([
    [`${'a'.repeat(65)}@example.com`, 'local part must be at most 64 bytes for the v2 API'],
    // 33 two-byte characters: 33 runes but 66 bytes.
    [`${'é'.repeat(33)}@example.com`, 'local part must be at most 64 bytes for the v2 API'],
    [`foo@${'x'.repeat(64)}.com`, `domain label "${'x'.repeat(64)}" must be 1–63 bytes for the v2 API`],
    ['foo@-bar.com', 'domain label "-bar" must not start or end with a hyphen for the v2 API'],
    ['jörg@müller.de', expect.stringMatching(/^domain label "müller" may only hold ASCII letters, digits and hyphens/)],
    ['user@[192.168.0.1]', expect.stringMatching(/^domain label "\[192" may only hold ASCII/)],
    ['"a@b"@example.com', expect.stringMatching(/^domain label "b"@example" may only hold ASCII/)],
    [`${'a'.repeat(60)}@${Array.from({ length: 4 }, () => 'c'.repeat(60)).join('.')}.com`, 'must be at most 254 bytes for the v2 API'],
  ])('refuses %s', (address, problem) => expect(v2EmailProblem(address)).toEqual(problem));
});
