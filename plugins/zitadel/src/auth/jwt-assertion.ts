// The JWT profile grant: a service user's key file signs a short-lived assertion (RS256).
import { createPrivateKey } from 'node:crypto';
import { FatalError } from '@idflow/engine';

/** A ZITADEL service user key file (`{"type":"serviceaccount","keyId","key","userId"}`). */
export interface ServiceAccountKey {
  keyId: string;
  /** PEM RSA private key (PKCS#1 or PKCS#8). */
  key: string;
  userId: string;
}

/** Parses a key file's text; the message names the file and the missing field, never the key. */
export function readServiceAccountKey(text: string, fileName: string): ServiceAccountKey {
  let parsed: Partial<ServiceAccountKey> & { type?: string };
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new FatalError(`ZITADEL key file ${fileName} is not JSON`, 'AUTH_KEY_FILE');
  }
  for (const field of ['keyId', 'key', 'userId'] as const) {
    if (typeof parsed[field] !== 'string' || parsed[field] === '') {
      throw new FatalError(`ZITADEL key file ${fileName} has no "${field}"`, 'AUTH_KEY_FILE');
    }
  }
  return { keyId: parsed.keyId!, key: parsed.key!, userId: parsed.userId! };
}

/** Signs the assertion: `kid`=keyId, `iss`=`sub`=userId, `aud`=issuer, valid for 1 hour at most. */
export async function signJwtAssertion(key: ServiceAccountKey, issuer: URL, lifetimeSeconds = 3600): Promise<string> {
  let privateKey: ReturnType<typeof createPrivateKey>;
  try {
    privateKey = createPrivateKey(key.key);
  } catch {
    throw new FatalError('the "key" in the ZITADEL key file is not a readable PEM private key', 'AUTH_KEY_FILE');
  }
  const now = Math.floor(Date.now() / 1000);
  // jose loads only when a key file is used (it is most of the command's code otherwise).
  const { SignJWT } = await import('jose');
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', kid: key.keyId })
    .setIssuer(key.userId)
    .setSubject(key.userId)
    .setAudience(issuer.origin + issuer.pathname.replace(/\/$/, ''))
    .setIssuedAt(now)
    .setExpirationTime(now + Math.min(lifetimeSeconds, 3600))
    .sign(privateKey);
}
