// ZITADEL's refusals as each API words them: the import's `ID=<id> Message=<key>` and the v2
// gateway's translated message with the id in its details (internal/static/i18n/en.yaml).
import { describe, expect, it } from 'vitest';
import { isRequestTooLarge, readRefusal } from './zitadel-refusal.js';

const v2 = (message: string, id: string) => ({ code: 3, message: `${message} (${id})`, details: [{ '@type': 'type.googleapis.com/zitadel.v1.ErrorDetail', id, message }] });

describe('readRefusal', () => {
  it.each([
    ['ID=COMMAND-ziuna Message=Errors.User.AlreadyExisting', 'user-exists'],
    [v2('Errors.User.AlreadyExisting', 'COMMAND-7yiox1isql'), 'user-exists'],
    ['ID=V3-DKcYh Message=Errors.User.AlreadyExists', 'username-taken'],
    [v2('User already exists', 'V3-DKcYh'), 'username-taken'],
    ['ID=CRYPT-2xK7d Message=Errors.Hash.NotSupported', 'hash-not-supported'],
    [v2('Errors.Hash.NotSupported', 'CRYPT-2xK7d'), 'hash-not-supported'],
    ['ID=CRYPT-5uV9n Message=Errors.User.Password.Invalid', 'hash-out-of-bounds'],
    [v2('Password is invalid', 'CRYPT-5uV9n'), 'hash-out-of-bounds'],
    ['ID=CRYPT-r8Qm2 Message=Errors.User.Password.Invalid', 'hash-invalid'],
    [v2('Password is invalid', 'CRYPT-r8Qm2'), 'hash-invalid'],
    ['ID=COMMAND-39nfs Message=Errors.IDPConfig.NotExisting', 'idp-unknown'],
    [v2("Identity Provider Configuration doesn't exist", 'COMMAND-39nf2'), 'idp-unknown'],
    ['ID=COMMAND-SJI3g Message=Errors.ExternalIDP.CreationNotAllowed', 'idp-creation-not-allowed'],
    ['ID=COMMAND-SFd21 Message=Errors.User.DomainNotAllowedAsUsername', 'domain-reserved'],
    [v2('Domain is already reserved and cannot be used', 'COMMAND-SFd21'), 'domain-reserved'],
    ['ID=PROFILE-RF5z2 Message=Errors.User.Profile.FirstNameEmpty', 'other'],
  ] as const)('%j is %s', (answer, kind) => {
    const refusal = readRefusal(answer, 'detail');
    expect(refusal.kind).toBe(kind);
    expect(refusal.reason.length).toBeGreaterThan(10);
  });

  it('keeps ZITADEL\'s words in an unrecognised refusal', () => {
    expect(readRefusal('ID=X-1 Message=Errors.Something', 'ID=X-1 Message=Errors.Something').reason).toBe('ZITADEL refused the user: ID=X-1 Message=Errors.Something');
  });
});

describe('isRequestTooLarge', () => {
  it('tells gRPC\'s size refusal (429) and a proxy\'s 413 from a rate limit', () => {
    expect(isRequestTooLarge(429, { code: 8, message: 'grpc: received message larger than max (5000000 vs. 4194304)' })).toBe(true);
    expect(isRequestTooLarge(413, '<html>Request Entity Too Large</html>')).toBe(true);
    expect(isRequestTooLarge(429, { code: 8, message: 'rate limit exceeded (QUOTA-8E2Ah)' })).toBe(false);
  });
});
