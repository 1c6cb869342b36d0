// ZitadelUserRecord → the Admin API bulk import body (`POST /admin/v1/import`, dataOrgs shape,
// the same shape zitadel-tools writes).
import type { ImportDataOrg, ImportDataRequest, ImportHumanUser, ZitadelUserRecord } from '@idflow/zitadel-model';

/** The org every imported user lands in. */
export interface ImportOrg {
  orgId: string;
  /** When given, the import creates the org if missing (an existing org yields a harmless error). */
  orgName?: string;
}

/** The user as ZITADEL should store it: a flagged reset forces a password change at first login. */
export function toImportUser(record: ZitadelUserRecord): ImportHumanUser {
  if (!record.passwordResetRequired) return record.user;
  // With a hash the user keeps logging in with it but must change it; without one there is
  // nothing to change, and ZITADEL's own "no password" flow (reset by mail) applies.
  return record.user.hashedPassword ? { ...record.user, passwordChangeRequired: true } : record.user;
}

/** The `dataOrgs` entry of one org holding `records`. */
export function buildImportOrg(records: ZitadelUserRecord[], org: ImportOrg): ImportDataOrg {
  return {
    orgId: org.orgId,
    ...(org.orgName ? { org: { name: org.orgName } } : {}),
    humanUsers: records.map((r) => ({
      userId: r.userId,
      user: toImportUser(r),
      ...(r.state && r.state !== 'USER_STATE_ACTIVE' ? { state: r.state } : {}),
    })),
    userMetadata: records.flatMap((r) => r.metadata.map((m) => ({ id: r.userId, key: m.key, value: m.value }))),
  };
}

/** The whole request body, with ZITADEL's required Go-duration `timeout`. */
export function buildImportRequest(records: ZitadelUserRecord[], org: ImportOrg, timeout: string): ImportDataRequest {
  return { dataOrgs: { orgs: [buildImportOrg(records, org)] }, timeout };
}
