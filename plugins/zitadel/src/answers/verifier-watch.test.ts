import { FatalError } from '@idflow/engine';
import { describe, expect, it } from 'vitest';
import { REFUSALS_TO_STOP, VerifierWatch } from './verifier-watch.js';

const pbkdf2 = (n: number) => `$pbkdf2-sha256$27500$c2FsdHNhbHQ${n}$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g`;
const bcrypt = '$2b$10$n3Wx7TfBK04f3mX2UuaMDezDEl3FV9eHqzJvdmQW3gULx4SmQ3Go2';

describe('VerifierWatch', () => {
  it(`stops the run after the first ${REFUSALS_TO_STOP} refusals of a format none of which was accepted, naming the verifier`, () => {
    const watch = new VerifierWatch('https://zitadel.example.com');
    watch.accept(bcrypt);
    for (let i = 1; i < REFUSALS_TO_STOP; i++) watch.refuse(pbkdf2(i), 'hash-invalid');
    let error: unknown;
    try {
      watch.refuse(pbkdf2(REFUSALS_TO_STOP), 'hash-not-supported');
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(FatalError);
    expect((error as FatalError).code).toBe('VERIFIER_DISABLED');
    expect((error as Error).message).toMatch(/refused the first 3 pbkdf2 password hashes as not parsable by any enabled verifier \(CRYPT-2xK7d \/ CRYPT-r8Qm2\) and accepted none: its "pbkdf2" verifier is not enabled/);
    expect((error as Error).message).not.toContain('aGFzaGhh');
  });

  it('ignores refusals for the cost bounds, refused bcrypt hashes (bcrypt is always on) and formats it saw accepted', () => {
    const watch = new VerifierWatch('https://zitadel.example.com');
    for (let i = 1; i <= 10; i++) {
      watch.refuse(pbkdf2(i), 'hash-out-of-bounds');
      watch.refuse(bcrypt, 'hash-invalid');
    }
  });

  it('lets refusals of a format it saw accepted through: that is a problem of those hashes, not of the verifier', () => {
    const watch = new VerifierWatch('https://zitadel.example.com');
    watch.accept(pbkdf2(0));
    for (let i = 1; i <= 10; i++) watch.refuse(pbkdf2(i), 'hash-invalid');
  });
});
