// `POST /v2/users/human` (AddHumanUser) and `POST /v2/users/new` (CreateUser): one user per call,
// validated, hash-checked and written atomically with its metadata; a taken id or username is 409.
import { requireUserPermission } from '../auth/permissions.js';
import { WritePacer } from '../capacity/write-pacer.js';
import type { Principal } from '../db/credential-store.js';
import { ApiError, GrpcCode, zitadelError } from '../http/api-error.js';
import { type JsonObject, readMessage, readString } from '../http/protojson.js';
import type { RouteDefinition } from '../http/route.js';
import { newZitadelId } from '../ids.js';
import type { EmulatorServices } from '../services.js';
import { type NewPassword, v2CreationEvents } from '../users/creation-events.js';
import { emailAddressError, normalizePhone } from '../users/human-checks.js';
import type { MetadataValue } from '../users/human-user.js';
import { readV2Human, readV2Metadata, toHumanData, type V2HumanInput, validateV2Human, validateMetadataEntries } from '../users/parse-v2-user.js';
import { newPlainCode } from '../users/verification-code.js';
import { checkLength, embedded, firstViolation, rejectViolation } from '../validation/pgv-rules.js';

interface V2CreateInput {
  userId?: string;
  username?: string;
  orgId: string;
  human: V2HumanInput;
  metadata: MetadataValue[];
}

/**
 * Commands.AddUserHuman (internal/command/user_v2_human.go), after the proto rules: AddHuman.Validate
 * (e-mail, trimmed username and names, phone, hash), the permission, the org (COMMAND-QXPGs), an
 * existing id (COMMAND-7yiox1isql), then the events (no init code: allowInitMail is false) and the
 * unique constraints of the push (username, IdP links: V3-DKcYh).
 */
async function createHumanUser(services: EmulatorServices, principal: Principal, input: V2CreateInput) {
  const { store, hashPolicy } = services;
  const pacer = new WritePacer(services.options.perUserWriteCostMs);
  const { hashedPassword, password } = input.human;
  const emailAddress = input.human.email?.email ?? '';
  const emailError = emailAddressError(emailAddress);
  if (emailError) throw emailError;
  const username = (input.username || emailAddress).trim();
  if (username === '') throw zitadelError(GrpcCode.InvalidArgument, 'V2-zzad3', 'Errors.Invalid.Argument');
  if (!input.human.profile?.givenName?.trim()) throw zitadelError(GrpcCode.InvalidArgument, 'USER-UCej2', 'Errors.User.Profile.FirstNameEmpty');
  if (!input.human.profile?.familyName?.trim()) throw zitadelError(GrpcCode.InvalidArgument, 'USER-4hB7d', 'Errors.User.Profile.LastNameEmpty');
  let phone: string | undefined;
  if (input.human.phone?.phone) {
    const normalized = await normalizePhone(input.human.phone.phone);
    if (!normalized.ok) throw normalized.error;
    phone = normalized.e164;
  }
  let newPassword: NewPassword | undefined;
  // AddUserRequestToAddHuman: changeRequired of either password type is honoured.
  const changeRequired = Boolean(password?.changeRequired || hashedPassword?.changeRequired);
  if (hashedPassword?.hash) {
    const refusal = hashPolicy.refusal(hashedPassword.hash);
    if (refusal) throw refusal;
    newPassword = { encodedHash: hashedPassword.hash, changeRequired };
  }
  requireUserPermission(principal, input.orgId, 'user.write');
  if (!store.orgExists(input.orgId)) throw zitadelError(GrpcCode.FailedPrecondition, 'COMMAND-QXPGs', 'Errors.Org.NotFound');
  const userId = input.userId || newZitadelId();
  if (store.userIdExists(userId)) throw zitadelError(GrpcCode.FailedPrecondition, 'COMMAND-7yiox1isql', 'Errors.User.AlreadyExisting');
  if (store.usernameDomainTaken(username, input.orgId)) {
    throw zitadelError(GrpcCode.InvalidArgument, 'COMMAND-SFd21', 'Errors.User.DomainNotAllowedAsUsername');
  }
  if (!newPassword && password?.password) {
    newPassword = { encodedHash: await hashPolicy.hashPlainPassword(password.password), changeRequired };
  }
  const fields = toHumanData(input.human);
  // addLink (internal/command/user_human.go): an IdP of the org or the instance, nothing more.
  for (const link of fields.idpLinks ?? []) {
    if (!services.idps.existsOnOrgOrInstance(link.idpId, input.orgId)) {
      throw zitadelError(GrpcCode.FailedPrecondition, 'COMMAND-39nf2', 'Errors.IDPConfig.NotExisting');
    }
  }
  const created = v2CreationEvents({
    username,
    human: { ...fields, phone: phone === undefined ? undefined : { phone, isVerified: fields.phone?.isVerified } },
    password: newPassword,
    email: input.human.email?.verification ?? { kind: 'default' },
    phone: input.human.phone?.verification ?? { kind: 'default' },
    metadata: input.metadata,
    idpLinks: fields.idpLinks ?? [],
    totp: Boolean(input.human.totpSecret),
  });
  const result = store.insertUser(
    {
      id: userId,
      orgId: input.orgId,
      username,
      human: created.human,
      passwordHash: newPassword?.encodedHash,
      passwordChangeRequired: newPassword?.changeRequired ?? false,
      metadata: input.metadata,
      events: created.events,
    },
    principal.id,
  );
  if (!result.ok) {
    if (result.conflict === 'id') throw zitadelError(GrpcCode.FailedPrecondition, 'COMMAND-7yiox1isql', 'Errors.User.AlreadyExisting');
    const key = result.conflict === 'username' ? 'Errors.User.AlreadyExists' : 'Errors.User.ExternalIDP.AlreadyExists';
    throw zitadelError(GrpcCode.AlreadyExists, 'V3-DKcYh', key);
  }
  services.counters.v2UsersCreated++;
  await pacer.charge();
  const codes = {
    ...(input.human.email?.verification?.kind === 'returnCode' ? { emailCode: newPlainCode() } : {}),
    ...(phone && input.human.phone?.verification?.kind === 'returnCode' ? { phoneCode: newPlainCode() } : {}),
  };
  return { userId, sequence: result.sequence, createdAt: result.createdAt, codes };
}

function validateIds(type: string, input: V2CreateInput) {
  return firstViolation(
    () => checkLength(type, 'UserId', input.userId, 0, 200),
    () => (input.username === undefined ? undefined : checkLength(type, 'Username', input.username, 1, 200)),
  );
}

export function addHumanUserRoute(services: EmulatorServices): RouteDefinition {
  return {
    method: 'POST',
    path: '/v2/users/human',
    auth: 'bearer',
    async handle({ principal, json }) {
      const body = json();
      const organization = readMessage(body, 'organization', '');
      const orgId = (organization && readString(organization, 'orgId', 'organization')) || principal.orgId;
      const input: V2CreateInput = {
        userId: readString(body, 'userId', '') || undefined,
        username: readString(body, 'username', ''),
        orgId,
        human: readV2Human(body, ''),
        metadata: readV2Metadata(body, ''),
      };
      rejectViolation(
        firstViolation(
          () => validateIds('AddHumanUserRequest', input),
          () => validateV2Human('AddHumanUserRequest', input.human),
          () => validateMetadataEntries('AddHumanUserRequest', input.metadata),
        ),
      );
      const created = await createHumanUser(services, principal, input);
      // `http_response: { success_code: 200 }` in user_service.proto.
      return {
        status: 200,
        body: {
          userId: created.userId,
          details: { sequence: String(created.sequence), changeDate: created.createdAt, resourceOwner: orgId },
          ...created.codes,
        },
      };
    },
  };
}

export function createUserRoute(services: EmulatorServices): RouteDefinition {
  return {
    method: 'POST',
    path: '/v2/users/new',
    auth: 'bearer',
    async handle({ principal, json }) {
      const body = json();
      const human: JsonObject | undefined = readMessage(body, 'human', '');
      if (!human) {
        throw new ApiError(GrpcCode.InvalidArgument, 'invalid CreateUserRequest.UserType: value is required (human)');
      }
      const input: V2CreateInput = {
        userId: readString(body, 'userId', '') || undefined,
        username: readString(body, 'username', ''),
        orgId: readString(body, 'organizationId', '') ?? '',
        human: readV2Human(human, 'human'),
        metadata: readV2Metadata(body, ''),
      };
      rejectViolation(
        firstViolation(
          () => checkLength('CreateUserRequest', 'OrganizationId', input.orgId, 1, 200),
          () => validateIds('CreateUserRequest', input),
          () => embedded('CreateUserRequest', 'Human', validateV2Human('CreateUserRequest_Human', input.human)),
          () => validateMetadataEntries('CreateUserRequest', input.metadata),
        ),
      );
      const created = await createHumanUser(services, principal, input);
      // No success_code option: the gateway's default 200.
      return { status: 200, body: { id: created.userId, creationDate: created.createdAt, ...created.codes } };
    },
  };
}
