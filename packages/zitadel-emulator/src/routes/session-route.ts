// `POST /v2/sessions` with a user check and a password check: the stored hash is verified for
// real, which is how a migration proves its users can log in.
import { requireIamOwner } from '../auth/permissions.js';
import { secretDigest } from '../db/credential-store.js';
import { GrpcCode, invalidArgument, zitadelError } from '../http/api-error.js';
import { readMessage, readString } from '../http/protojson.js';
import type { RouteDefinition } from '../http/route.js';
import { newSecret, newZitadelId } from '../ids.js';
import type { EmulatorServices } from '../services.js';

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
      if (user.state === 'USER_STATE_LOCKED') throw zitadelError(GrpcCode.FailedPrecondition, 'COMMAND-JLK35', 'Errors.User.Locked');
      if (user.state === 'USER_STATE_INACTIVE') throw zitadelError(GrpcCode.FailedPrecondition, 'COMMAND-vgDIu', 'Errors.User.NotActive');
      if (password !== undefined) {
        if (!user.passwordHash) throw zitadelError(GrpcCode.FailedPrecondition, 'COMMAND-WEf3t', 'Errors.User.Password.NotSet');
        if (!(await hashPolicy.verify(user.passwordHash, password))) {
          throw zitadelError(GrpcCode.InvalidArgument, 'COMMAND-3M0fs', 'Errors.User.Password.Invalid');
        }
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
