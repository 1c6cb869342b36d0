// Service (machine) users and their credentials: a PAT, a client id/secret pair and an RSA key
// whose private half is handed out as ZITADEL's key JSON file (written with mode 0600).
import { generateKeyPair } from 'node:crypto';
import { promisify } from 'node:util';
import { chmod, writeFile } from 'node:fs/promises';
import type { CredentialStore, MachineRole } from '../db/credential-store.js';
import { newSecret, newZitadelId } from '../ids.js';

/** ZITADEL's service-user key file. */
export interface ServiceAccountKeyFile {
  type: 'serviceaccount';
  keyId: string;
  /** PEM PKCS#1 RSA private key, as ZITADEL writes it. */
  key: string;
  userId: string;
}

export interface ServiceUserOptions {
  /** Login name and client id (default `sa-<userId>`). */
  name?: string;
  /** Default IAM_OWNER; `ORG_USER_WRITER` has only user.write on `orgId`. */
  role?: MachineRole;
  /** The org the user belongs to (default: the emulator's first org). */
  orgId?: string;
  /** Where to write the key JSON (mode 0600); the key is returned either way. */
  keyFile?: string;
}

export interface ServiceUserCredentials {
  userId: string;
  orgId: string;
  role: MachineRole;
  key: ServiceAccountKeyFile;
  keyFile?: string;
  clientId: string;
  clientSecret: string;
  /** A PAT of the same user. */
  pat: string;
}

/** Creates a machine user with a key, a client secret and a PAT, and stores their public halves. */
export async function createMachineUser(
  credentials: CredentialStore,
  defaultOrgId: string,
  options: ServiceUserOptions = {},
): Promise<ServiceUserCredentials> {
  const userId = newZitadelId();
  const orgId = options.orgId ?? defaultOrgId;
  const role = options.role ?? 'IAM_OWNER';
  const clientId = options.name ?? `sa-${userId}`;
  // Generated off the event loop: a 2048-bit key takes long enough to stall other requests.
  const { publicKey, privateKey } = await promisify(generateKeyPair)('rsa', { modulusLength: 2048 });
  const keyId = newZitadelId();
  credentials.saveMachineUser({ id: userId, orgId, name: clientId, role });
  credentials.saveKey(keyId, userId, publicKey.export({ type: 'spki', format: 'pem' }).toString());
  const clientSecret = newSecret();
  credentials.saveClient(clientId, clientSecret, userId);
  const pat = newSecret();
  credentials.savePersonalAccessToken(pat, userId);
  const key: ServiceAccountKeyFile = {
    type: 'serviceaccount',
    keyId,
    key: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    userId,
  };
  if (options.keyFile) {
    await writeFile(options.keyFile, `${JSON.stringify(key, null, 2)}\n`, { mode: 0o600 });
    // writeFile's mode only applies to a new file; an existing one is tightened too.
    await chmod(options.keyFile, 0o600);
  }
  return { userId, orgId, role, key, keyFile: options.keyFile, clientId, clientSecret, pat };
}
