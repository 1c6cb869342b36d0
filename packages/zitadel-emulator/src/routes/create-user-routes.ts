// `POST /v2/users/human` (AddHumanUser) and `POST /v2/users/new` (CreateUser): one user per call,
// validated, hash-checked and written atomically with its metadata; a taken id or username is 409.
import { requireUserPermission } from '../auth/permissions.js';
import { WritePacer } from '../capacity/write-pacer.js';
import { ApiError, GrpcCode, zitadelError } from '../http/api-error.js';
import { type JsonObject, readMessage, readString } from '../http/protojson.js';
import type { RouteDefinition } from '../http/route.js';
import { newZitadelId } from '../ids.js';
import type { EmulatorServices } from '../services.js';
import type { MetadataValue } from '../users/human-user.js';
import { readV2Human, readV2Metadata, toHumanData, type V2HumanInput, validateV2Human, validateV2Metadata } from '../users/parse-v2-user.js';
import { checkLength, embedded, firstViolation, rejectViolation } from '../validation/pgv-rules.js';

interface V2CreateInput {
  userId?: string;
  username?: string;
  orgId: string;
  human: V2HumanInput;
  metadata: MetadataValue[];
}

/** Validates, checks permission and hash, writes; returns the stored id, sequence and time. */
async function createHumanUser(services: EmulatorServices, principalId: string, input: V2CreateInput) {
  const { store, hashPolicy } = services;
  const pacer = new WritePacer(services.options.perUserWriteCostMs);
  if (!store.orgExists(input.orgId)) throw zitadelError(GrpcCode.NotFound, 'COMMAND-Ggk9n', 'Errors.Org.NotFound');
  const { hashedPassword, password } = input.human;
  let passwordHash: string | undefined;
  if (hashedPassword?.hash) {
    const refusal = hashPolicy.refusal(hashedPassword.hash);
    if (refusal) throw refusal;
    passwordHash = hashedPassword.hash;
  } else if (password?.password) {
    passwordHash = await hashPolicy.hashPlainPassword(password.password);
  }
  const human = toHumanData(input.human);
  const userId = input.userId || newZitadelId();
  const result = store.insertUser(
    {
      id: userId,
      orgId: input.orgId,
      username: input.username || human.email.email,
      state: 'USER_STATE_ACTIVE',
      human,
      passwordHash,
      passwordChangeRequired: Boolean(hashedPassword?.changeRequired ?? password?.changeRequired),
      metadata: input.metadata,
    },
    principalId,
  );
  if (!result.ok) {
    throw result.conflict === 'id'
      ? zitadelError(GrpcCode.AlreadyExists, 'COMMAND-CxDKf', 'Errors.User.AlreadyExists')
      : zitadelError(GrpcCode.AlreadyExists, 'V3-DKcYh', 'Errors.User.AlreadyExists');
  }
  services.counters.v2UsersCreated++;
  await pacer.charge();
  return { userId, sequence: result.sequence, createdAt: result.createdAt };
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
          () => validateV2Metadata('AddHumanUserRequest', input.metadata),
        ),
      );
      requireUserPermission(principal, orgId, 'user.write');
      const created = await createHumanUser(services, principal.id, input);
      return {
        status: 201,
        body: {
          userId: created.userId,
          details: { sequence: String(created.sequence), changeDate: created.createdAt, resourceOwner: orgId },
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
          () => validateV2Metadata('CreateUserRequest', input.metadata),
        ),
      );
      requireUserPermission(principal, input.orgId, 'user.write');
      const created = await createHumanUser(services, principal.id, input);
      return { status: 201, body: { id: created.userId, creationDate: created.createdAt } };
    },
  };
}
