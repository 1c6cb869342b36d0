// The import itself, after validation: orgs first, then users one by one with per-user errors in
// ZITADEL's `ID=… Message=…` form, then metadata. A deadline (the request's `timeout`, or an
// injected fault) stops it mid-way: what was written stays and the call fails without lists.
import type { ImportDataError, ImportDataResponse } from '@idflow/zitadel-model';
import { WritePacer } from '../capacity/write-pacer.js';
import type { UserStore } from '../db/user-store.js';
import type { IdpStore } from '../idps/idp-store.js';
import { type ApiError, deadlineExceeded, GrpcCode, zitadelError } from '../http/api-error.js';
import { newZitadelId } from '../ids.js';
import type { PasswordHashPolicy } from '../password/hash-policy.js';
import { importCreationEvents, type NewPassword } from '../users/creation-events.js';
import { emailAddressError, normalizePhone } from '../users/human-checks.js';
import type { NewHumanUser } from '../users/human-user.js';
import { toHumanData } from '../users/parse-v2-user.js';
import type { ImportOrgInput, ImportRequest, ImportUserInput } from './parse-import-request.js';

export interface ImportRun {
  store: UserStore;
  idps: IdpStore;
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

const usernameDomainError = () => zitadelError(GrpcCode.InvalidArgument, 'COMMAND-SFd21', 'Errors.User.DomainNotAllowedAsUsername');
const userAlreadyExisting = () => zitadelError(GrpcCode.FailedPrecondition, 'COMMAND-ziuna', 'Errors.User.AlreadyExisting');

/**
 * One user as Commands.ImportHuman takes it (internal/command/user_human.go): an existing id →
 * COMMAND-ziuna; Human.Normalize (e-mail, phone); the hash through the hash policy (a plain
 * password is hashed and keeps `passwordChangeRequired`, a hash never does: createAddHumanEvent);
 * then the creation events, which make the user INITIAL, ACTIVE, INACTIVE or LOCKED.
 */
async function toNewUser(input: ImportUserInput, orgId: string, run: ImportRun): Promise<NewHumanUser | ApiError> {
  const userId = input.userId || newZitadelId();
  if (run.store.userIdExists(userId)) return userAlreadyExisting();
  const emailError = emailAddressError((input.email?.email ?? '').trim());
  if (emailError) return emailError;
  let phone: string | undefined;
  if (input.phone?.phone) {
    const normalized = await normalizePhone(input.phone.phone);
    if (!normalized.ok) return normalized.error;
    phone = normalized.e164;
  }
  let password: NewPassword | undefined;
  if (input.hashedPassword) {
    const refusal = run.hashPolicy.refusal(input.hashedPassword);
    if (refusal) return refusal;
    password = { encodedHash: input.hashedPassword, changeRequired: false };
  } else if (input.password) {
    password = { encodedHash: await run.hashPolicy.hashPlainPassword(input.password), changeRequired: input.passwordChangeRequired };
  }
  const profile = input.profile!;
  // The import request names the same human fields differently; the v2 path stores them.
  const human = toHumanData({
    profile: {
      givenName: profile.firstName,
      familyName: profile.lastName,
      nickName: profile.nickName,
      displayName: profile.displayName,
      preferredLanguage: profile.preferredLanguage,
      gender: profile.gender,
    },
    email: { email: input.email?.email?.trim(), isVerified: input.email?.isEmailVerified },
    phone: phone === undefined ? undefined : { phone, isVerified: input.phone?.isPhoneVerified },
    idpLinks: input.idps.map((idp) => ({ idpId: idp.configId, userId: idp.externalUserId, userName: idp.displayName })),
    totpSecret: input.otpCode,
  });
  if (run.store.usernameDomainTaken(input.userName!.trim(), orgId)) return usernameDomainError();
  for (const link of human.idpLinks ?? []) {
    const refusal = importLinkRefusal(run.idps, link.idpId);
    if (refusal) return refusal;
  }
  const username = input.userName!.trim();
  const created = importCreationEvents({
    username,
    human,
    password,
    passwordless: input.requestPasswordlessRegistration,
    idpLinks: human.idpLinks ?? [],
    requestedState: input.state,
  });
  return {
    id: userId,
    orgId,
    username,
    human: created.human,
    passwordHash: password?.encodedHash,
    passwordChangeRequired: password?.changeRequired ?? false,
    metadata: [],
    events: created.events,
  };
}

/**
 * addUserIDPLink with linkToExistingUser=false (internal/command/user_idp_link.go): the IdP must
 * exist (COMMAND-39nfs) and allow creating users or create them automatically (COMMAND-SJI3g).
 */
function importLinkRefusal(idps: IdpStore, idpId: string): ApiError | undefined {
  const idp = idps.find(idpId);
  if (!idp) return zitadelError(GrpcCode.FailedPrecondition, 'COMMAND-39nfs', 'Errors.IDPConfig.NotExisting');
  if (!idp.options.isCreationAllowed && !idp.options.isAutoCreation) {
    return zitadelError(GrpcCode.FailedPrecondition, 'COMMAND-SJI3g', 'Errors.ExternalIDP.CreationNotAllowed');
  }
  return undefined;
}

async function importUser(input: ImportUserInput, orgId: string, run: ImportRun): Promise<UserOutcome> {
  const user = await toNewUser(input, orgId, run);
  if (!('id' in user)) return { ok: false, error: user };
  const result = run.store.insertUser(user, run.editorUserId);
  if (result.ok) return { ok: true, userId: user.id };
  if (result.conflict === 'id') return { ok: false, error: userAlreadyExisting() };
  // Unique constraints (internal/eventstore/v3/unique_constraints.go): V3-DKcYh with the constraint's message.
  const key = result.conflict === 'username' ? 'Errors.User.AlreadyExists' : 'Errors.User.ExternalIDP.AlreadyExists';
  return { ok: false, error: zitadelError(GrpcCode.AlreadyExists, 'V3-DKcYh', key) };
}

/** Creates the org, or reports that it exists; false when the org is missing and cannot be created. */
function ensureOrg(org: ImportOrgInput, run: ImportRun, errors: ImportDataError[]): boolean {
  if (org.orgName?.trim() && run.store.createOrg(org.orgId, org.orgName.trim(), run.editorUserId)) return true;
  const exists = run.store.orgExists(org.orgId);
  // Commands.AddOrgWithID (internal/command/org.go): an existing id → ORG-lapo2n; a new org needs a
  // name (addOrgWithID → Org.IsValid: trimmed name not empty) → COMM-deLSk.
  const error = exists
    ? zitadelError(GrpcCode.AlreadyExists, 'ORG-lapo2n', 'Errors.Org.AlreadyExisting')
    : zitadelError(GrpcCode.InvalidArgument, 'COMM-deLSk', 'Errors.Org.Invalid');
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
      // Commands.SetUserMetadata (internal/command/user_metadata.go): an unknown user →
      // COMMAND-uXHNj; the same value again pushes no event.
      const owner = run.store.findUserById(entry.userId);
      const unchanged = owner && run.store.metadataOf(entry.userId).some((m) => m.key === entry.key && m.value.equals(entry.value));
      const result =
        owner && owner.orgId === org.orgId
          ? unchanged
            ? ({ ok: true } as const)
            : run.store.setMetadata(entry.userId, entry.key, entry.value, run.editorUserId)
          : ({ ok: false, reason: 'user-not-found' } as const);
      if (result.ok) userMetadata.push({ userId: entry.userId, key: entry.key });
      else {
        const error = zitadelError(GrpcCode.FailedPrecondition, 'COMMAND-uXHNj', 'Errors.User.NotFound');
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
