// The import itself, after validation: orgs first, then users one by one with per-user errors in
// ZITADEL's `ID=… Message=…` form, then metadata. A deadline (the request's `timeout`, or an
// injected fault) stops it mid-way: what was written stays and the call fails without lists.
import type { ImportDataError, ImportDataResponse } from '@idflow/zitadel-model';
import { WritePacer } from '../capacity/write-pacer.js';
import type { UserStore } from '../db/user-store.js';
import { type ApiError, deadlineExceeded, GrpcCode, zitadelError } from '../http/api-error.js';
import { newZitadelId } from '../ids.js';
import type { PasswordHashPolicy } from '../password/hash-policy.js';
import type { NewHumanUser } from '../users/human-user.js';
import { toHumanData } from '../users/parse-v2-user.js';
import type { ImportOrgInput, ImportRequest, ImportUserInput } from './parse-import-request.js';

export interface ImportRun {
  store: UserStore;
  hashPolicy: PasswordHashPolicy;
  /** The machine user doing the import, recorded as the events' editor. */
  editorUserId: string;
  perUserWriteCostMs: number;
  /** Epoch ms after which no further user is written. */
  deadline: number;
  /** Injected fault: stop with a timeout after this many users were written. */
  stopAfterUsers?: number;
  /** Called after each user written, for the stats. */
  onUserWritten?: () => void;
}

/** Per-user outcome of an import. */
type UserOutcome = { ok: true; userId: string } | { ok: false; error: ApiError };

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

async function toNewUser(input: ImportUserInput, orgId: string, run: ImportRun): Promise<NewHumanUser | ApiError> {
  const userId = input.userId || newZitadelId();
  if (run.store.userIdExists(userId)) return zitadelError(GrpcCode.FailedPrecondition, 'COMMAND-k2unb', 'Errors.User.AlreadyExisting');
  let passwordHash: string | undefined;
  if (input.hashedPassword) {
    const refusal = run.hashPolicy.refusal(input.hashedPassword);
    if (refusal) return refusal;
    passwordHash = input.hashedPassword;
  } else if (input.password) {
    passwordHash = await run.hashPolicy.hashPlainPassword(input.password);
  }
  const profile = input.profile!;
  return {
    id: userId,
    orgId,
    username: input.userName!,
    state: input.state,
    passwordHash,
    passwordChangeRequired: input.passwordChangeRequired,
    metadata: [],
    // The import request names the same human fields differently; the v2 path stores them.
    human: toHumanData({
      profile: {
        givenName: profile.firstName,
        familyName: profile.lastName,
        nickName: profile.nickName,
        displayName: profile.displayName,
        preferredLanguage: profile.preferredLanguage,
        gender: profile.gender,
      },
      email: { email: input.email?.email, isVerified: input.email?.isEmailVerified },
      phone: input.phone && { phone: input.phone.phone, isVerified: input.phone.isPhoneVerified },
      idpLinks: input.idps.map((idp) => ({ idpId: idp.configId, userId: idp.externalUserId, userName: idp.displayName })),
      totpSecret: input.otpCode,
    }),
  };
}

async function importUser(input: ImportUserInput, orgId: string, run: ImportRun): Promise<UserOutcome> {
  const user = await toNewUser(input, orgId, run);
  if (!('id' in user)) return { ok: false, error: user };
  const result = run.store.insertUser(user, run.editorUserId);
  if (result.ok) return { ok: true, userId: user.id };
  return {
    ok: false,
    error:
      result.conflict === 'id'
        ? zitadelError(GrpcCode.FailedPrecondition, 'COMMAND-k2unb', 'Errors.User.AlreadyExisting')
        : zitadelError(GrpcCode.AlreadyExists, 'V3-DKcYh', 'Errors.User.AlreadyExists'),
  };
}

/** Creates the org, or reports that it exists; false when the org is missing and cannot be created. */
function ensureOrg(org: ImportOrgInput, run: ImportRun, errors: ImportDataError[]): boolean {
  if (org.orgName && run.store.createOrg(org.orgId, org.orgName, run.editorUserId)) return true;
  const exists = run.store.orgExists(org.orgId);
  const error = exists
    ? zitadelError(GrpcCode.AlreadyExists, 'ORG-lapo2m', 'Errors.Org.AlreadyExisting')
    : zitadelError(GrpcCode.InvalidArgument, 'ORG-mruNY', 'Errors.Invalid.Argument');
  errors.push({ type: 'org', id: org.orgId, message: error.importMessage });
  return exists;
}

/** Imports a validated request; throws `context deadline exceeded` when the deadline passes. */
export async function runImport(request: ImportRequest, run: ImportRun): Promise<ImportDataResponse> {
  const errors: ImportDataError[] = [];
  const successOrgs: NonNullable<NonNullable<ImportDataResponse['success']>['orgs']> = [];
  let written = 0;
  const pacer = new WritePacer(run.perUserWriteCostMs);
  const checkDeadline = () => {
    if (Date.now() >= run.deadline || (run.stopAfterUsers !== undefined && written >= run.stopAfterUsers)) {
      throw deadlineExceeded();
    }
  };
  for (const org of request.orgs) {
    checkDeadline();
    if (!ensureOrg(org, run, errors)) continue;
    const humanUserIds: string[] = [];
    for (const [index, input] of org.users.entries()) {
      checkDeadline();
      const outcome = await importUser(input, org.orgId, run);
      if (outcome.ok) {
        humanUserIds.push(outcome.userId);
        written++;
        run.onUserWritten?.();
        await pacer.charge();
      } else {
        errors.push({ type: 'human_user', id: input.userId, message: outcome.error.importMessage });
      }
      // Other requests (and the stats) stay served while a big batch is written.
      if (index % 64 === 63) await yieldToEventLoop();
    }
    const userMetadata: { userId: string; key: string }[] = [];
    for (const entry of org.metadata) {
      checkDeadline();
      const owner = run.store.findUserById(entry.userId);
      const result =
        owner && owner.orgId === org.orgId
          ? run.store.setMetadata(entry.userId, entry.key, entry.value, run.editorUserId)
          : ({ ok: false, reason: 'user-not-found' } as const);
      if (result.ok) userMetadata.push({ userId: entry.userId, key: entry.key });
      else {
        const error = zitadelError(GrpcCode.FailedPrecondition, 'META-ss2m8', 'Errors.User.NotFound');
        errors.push({ type: 'user_metadata', id: `${entry.userId}_${entry.key}`, message: error.importMessage });
      }
    }
    successOrgs.push({
      orgId: org.orgId,
      ...(humanUserIds.length ? { humanUserIds } : {}),
      ...(userMetadata.length ? { userMetadata } : {}),
    });
  }
  return {
    ...(errors.length ? { errors } : {}),
    success: successOrgs.length ? { orgs: successOrgs } : {},
  };
}
