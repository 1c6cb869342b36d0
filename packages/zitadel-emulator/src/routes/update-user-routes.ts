// `PATCH /v2/users/{userId}` (UpdateUser) and the deprecated `PUT /v2/users/human/{userId}`
// (UpdateHumanUser), both Commands.ChangeUserHuman (users/change-user-human.ts). UpdateUser is
// the current call: profile, e-mail, phone (empty = remove), password (plain or hashed) and
// metadata (empty value = remove) in one request; a part equal to the stored value writes nothing.
import type { RouteDefinition } from '../http/route.js';
import type { EmulatorServices } from '../services.js';
import { changeUserHuman } from '../users/change-user-human.js';
import { readUpdateHumanUserRequest, readUpdateUserRequest } from '../users/parse-v2-update.js';

/** The codes of `returnCode`, as optional response fields. */
function codeFields(result: { emailCode?: string; phoneCode?: string }) {
  return { ...(result.emailCode ? { emailCode: result.emailCode } : {}), ...(result.phoneCode ? { phoneCode: result.phoneCode } : {}) };
}

export function updateUserRoute(services: EmulatorServices): RouteDefinition {
  return {
    method: 'PATCH',
    path: '/v2/users/{userId}',
    auth: 'bearer',
    async handle({ principal, params, json }) {
      const input = readUpdateUserRequest(json(), params.userId);
      const result = await changeUserHuman(services, principal, params.userId, input);
      // UpdateUserResponse: change_date (the user's latest event, also when nothing changed) and the codes.
      return { status: 200, body: { changeDate: result.changedAt, ...codeFields(result) } };
    },
  };
}

export function updateHumanUserRoute(services: EmulatorServices): RouteDefinition {
  return {
    method: 'PUT',
    path: '/v2/users/human/{userId}',
    auth: 'bearer',
    async handle({ principal, params, json }) {
      const input = readUpdateHumanUserRequest(json(), params.userId);
      const result = await changeUserHuman(services, principal, params.userId, input);
      return {
        status: 200,
        body: {
          details: { sequence: String(result.sequence), changeDate: result.changedAt, resourceOwner: result.resourceOwner },
          ...codeFields(result),
        },
      };
    },
  };
}
