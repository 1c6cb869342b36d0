// Download links of completed jobs: signed and valid for a limited time, like the pre-signed
// storage URLs behind Auth0's `location` ("The download link is valid for 60 seconds. If this time
// period expires, you have 24 hours to call it again before the job expires",
// https://auth0.com/docs/manage-users/user-migration/bulk-user-exports). The signature is a
// credential (whoever holds the link gets the users), so the stand-in remembers every one it
// issued for tests that check none of them leaks into idflow's output.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export class DownloadLinks {
  private readonly key = randomBytes(32);
  /** Every signature handed out, in order. */
  readonly issued: string[] = [];

  /** The query of a link to `jobId`'s file valid until `expiresAt` (ms). */
  query(jobId: string, expiresAt: number): string {
    const signature = this.signature(jobId, expiresAt);
    this.issued.push(signature);
    return `expires=${expiresAt}&signature=${signature}`;
  }

  /** 'valid', 'expired' (signed by us, but too late) or 'forged'. */
  check(jobId: string, expires: string | null, signature: string | null, now = Date.now()): 'valid' | 'expired' | 'forged' {
    if (!expires || !signature || !/^\d+$/.test(expires)) return 'forged';
    const expected = Buffer.from(this.signature(jobId, Number(expires)));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return 'forged';
    return now > Number(expires) ? 'expired' : 'valid';
  }

  private signature(jobId: string, expiresAt: number): string {
    return createHmac('sha256', this.key).update(`${jobId}\n${expiresAt}`).digest('hex');
  }
}
