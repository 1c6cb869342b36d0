// `POST /v2/users/{userId}/lock`, `/unlock`, `/deactivate`, `/reactivate` (LockUser, UnlockUser,
// DeactivateUser, ReactivateUser in proto/zitadel/user/v2/user_service.proto), with the rules of
// LockUserV2, UnlockUserV2, DeactivateUserV2 and ReactivateUserV2 (internal/command/user_v2.go):
// an unknown user is 404, a state the transition does not start from is 400 (code 9), and the
// permission is checked after both. Each success appends its event; the state follows from it.
import { requireUserPermission } from '../auth/permissions.js';
import { GrpcCode, zitadelError } from '../http/api-error.js';
import type { RouteDefinition } from '../http/route.js';
import type { EmulatorServices } from '../services.js';
import { type UserEventTypeName, UserEventType, type UserState } from '../users/user-events.js';

interface StateTransition {
  action: 'lock' | 'unlock' | 'deactivate' | 'reactivate';
  event: UserEventTypeName;
  /** The id of the NotFound error of this command. */
  notFoundId: string;
  /** The precondition error for `state`, or undefined when the transition may start from it. */
  refusal(state: UserState): [id: string, key: string] | undefined;
}

const TRANSITIONS: StateTransition[] = [
  {
    action: 'lock',
    event: UserEventType.locked,
    notFoundId: 'COMMAND-450yxuqrh1',
    refusal: (state) =>
      state === 'USER_STATE_ACTIVE' || state === 'USER_STATE_INITIAL' ? undefined : ['COMMAND-lgws8wtsqf', 'Errors.User.ShouldBeActiveOrInitial'],
  },
  {
    action: 'unlock',
    event: UserEventType.unlocked,
    notFoundId: 'COMMAND-x377t913pw',
    refusal: (state) => (state === 'USER_STATE_LOCKED' ? undefined : ['COMMAND-olb9vb0oca', 'Errors.User.NotLocked']),
  },
  {
    action: 'deactivate',
    event: UserEventType.deactivated,
    notFoundId: 'COMMAND-5gp2p62iin',
    refusal: (state) => {
      if (state === 'USER_STATE_INITIAL') return ['COMMAND-gvx4kct9r2', 'Errors.User.CantDeactivateInitial'];
      if (state === 'USER_STATE_INACTIVE') return ['COMMAND-5gunjw0cd7', 'Errors.User.AlreadyInactive'];
      return undefined;
    },
  },
  {
    action: 'reactivate',
    event: UserEventType.reactivated,
    notFoundId: 'COMMAND-9hy5kzbuk6',
    refusal: (state) => (state === 'USER_STATE_INACTIVE' ? undefined : ['COMMAND-s5qqcz97hf', 'Errors.User.NotInactive']),
  },
];

function stateRoute(services: EmulatorServices, transition: StateTransition): RouteDefinition {
  return {
    method: 'POST',
    path: `/v2/users/{userId}/${transition.action}`,
    auth: 'bearer',
    async handle({ principal, params, json }) {
      json(); // the body ("*") must still be a JSON message
      const { store } = services;
      const user = store.findUserById(params.userId);
      if (!user) throw zitadelError(GrpcCode.NotFound, transition.notFoundId, 'Errors.User.NotFound');
      const refusal = transition.refusal(user.state);
      if (refusal) throw zitadelError(GrpcCode.FailedPrecondition, refusal[0], refusal[1]);
      requireUserPermission(principal, user.orgId, 'user.write');
      const result = store.updateUser(user.id, principal.id, [{ type: transition.event, payload: {} }]);
      if (!result.ok) throw zitadelError(GrpcCode.NotFound, transition.notFoundId, 'Errors.User.NotFound');
      return {
        status: 200,
        body: { details: { sequence: String(result.sequence), changeDate: result.changedAt, resourceOwner: user.orgId } },
      };
    },
  };
}

/** The four state routes. */
export function userStateRoutes(services: EmulatorServices): RouteDefinition[] {
  return TRANSITIONS.map((transition) => stateRoute(services, transition));
}
