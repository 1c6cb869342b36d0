// `POST /v2/sessions` with a user check and a password check: the stored hash is verified for
// real, which is how a migration proves its users can log in. The rules are the session API's
// (internal/api/grpc/session/v2/session.go checksToCommand, internal/command/session.go and
// verifyPasswordWithLockoutPolicy in internal/command/user_human_password.go): a user that is not
// ACTIVE or INITIAL (UserState.IsEnabled) is refused before any check (SESSION-Gj4ko); an INITIAL
// user's password check succeeds here. ZITADEL's hosted login would first ask that user for the
// init code (firstFactorChecked in internal/auth/repository/eventsourcing/eventstore/auth_request.go:
// InitUserStep), which the session API does not; the INITIAL state in GET /v2/users/{id} and
// /debug/stats shows who that is.
import { requireIamOwner } from '../auth/permissions.js';
import { secretDigest } from '../db/credential-store.js';
import { GrpcCode, invalidArgument, zitadelError } from '../http/api-error.js';
import { readMessage, readString } from '../http/protojson.js';
import type { RouteDefinition } from '../http/route.js';
import { newSecret, newZitadelId } from '../ids.js';
import type { EmulatorServices } from '../services.js';
import { UserEventType } from '../users/user-events.js';

export function createSessionRoute(services: EmulatorServices): RouteDefinition {
  return {
    method: 'POST',
    path: '/v2/sessions',
    auth: 'bearer',
    async handle({ principal, json }) {
      requireIamOwner(principal, 'session.write');
      const body = json();
      const checks = readMessage(body, 'checks', '') ?? {};
      const userCheck = readMessage(checks, 'user', 'checks');
      const passwordCheck = readMessage(checks, 'password', 'checks');
      const userId = userCheck && readString(userCheck, 'userId', 'checks.user');
      const loginName = userCheck && readString(userCheck, 'loginName', 'checks.user');
      if (!userId && !loginName) throw invalidArgument('invalid CheckUser.Search: value is required (userId or loginName)');
      const password = passwordCheck && readString(passwordCheck, 'password', 'checks.password');
      if (passwordCheck && !password) throw invalidArgument('invalid CheckPassword.Password: value length must be at least 1 runes');

      const { store, hashPolicy } = services;
      const user = userId ? store.findUserById(userId) : store.findUserByLoginName(loginName!);
      if (!user) throw zitadelError(GrpcCode.NotFound, 'QUERY-Dfbg2', 'Errors.User.NotFound');
      if (user.state !== 'USER_STATE_ACTIVE' && user.state !== 'USER_STATE_INITIAL') {
        throw zitadelError(GrpcCode.FailedPrecondition, 'SESSION-Gj4ko', 'Errors.User.NotActive');
      }
      if (password !== undefined) {
        if (!user.passwordHash) throw zitadelError(GrpcCode.FailedPrecondition, 'COMMAND-3nJ4t', 'Errors.User.Password.NotSet');
        const outcome = await hashPolicy.verify(user.passwordHash, password);
        // Every check is recorded on the user; a failed one even though the call fails.
        const checked = outcome === 'ok' ? UserEventType.passwordCheckSucceeded : UserEventType.passwordCheckFailed;
        if (outcome !== 'error') store.updateUser(user.id, user.id, [{ type: checked, payload: {} }]);
        if (outcome === 'mismatch') throw zitadelError(GrpcCode.InvalidArgument, 'COMMAND-3M0fs', 'Errors.User.Password.Invalid');
        // A hash the verifier cannot read (convertLoginPasswapErr): an internal error, 500.
        if (outcome === 'error') throw zitadelError(GrpcCode.Internal, 'COMMAND-CahN2', 'Errors.Internal');
      }
      const sessionId = newZitadelId();
      const sessionToken = newSecret();
      const session = store.createSession(sessionId, secretDigest(sessionToken), user);
      return {
        status: 201,
        body: {
          sessionId,
          sessionToken,
          details: { sequence: String(session.sequence), changeDate: session.createdAt, resourceOwner: user.orgId },
        },
      };
    },
  };
}
