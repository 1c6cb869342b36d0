// How ZITADEL's login UI finds the user behind what was typed in the login-name field, as a client of
// the API (the emulator's or a real server's). The session API's `checks.user.loginName` matches
// login names only (Queries.GetUserByLoginName, internal/query/user.go); the e-mail and phone are the
// login UI's fallback. Mirrored from Login V2, the default login (cmd/defaults.yaml
// DefaultInstance.Features.LoginV2.Required: true): apps/login/src/lib/zitadel.ts `searchUsers`.
// - ListUsers by loginNameQuery EQUALS_IGNORE_CASE; one user is the answer, more is an error;
// - else, unless the login policy disables both, ListUsers by emailQuery EQUALS_IGNORE_CASE (any
//   e-mail, verified or not) OR phoneQuery EQUALS (inputs of at most 20 characters), each left out
//   when LoginPolicy.DisableLoginWithEmail / DisableLoginWithPhone is set (internal/domain/policy_login.go).
//   searchUsers' branches keep the e-mail query for inputs over 20 characters even when
//   DisableLoginWithEmail is set (and phone login is allowed); that is mirrored too.
// The v1 login (internal/auth/repository/eventsourcing/eventstore/auth_request.go checkLoginNameInput)
// differs: it matches only a VERIFIED e-mail (View.UserByEmail → NewUserVerifiedEmailSearchQuery).

/** The user the login UI would take, or why there is none. */
export type HostedLoginLookup = { found: true; userId: string } | { found: false; reason: 'not-found' | 'several-users' };

interface ListUsersAnswer {
  result?: { userId: string }[];
}

/** Finds the user the login UI would log in for `input` (a login name, e-mail or phone). */
export async function findUserLikeHostedLogin(baseUrl: string, token: string, input: string): Promise<HostedLoginLookup> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  const listUsers = async (queries: unknown[]): Promise<string[]> => {
    const answer = await fetch(`${baseUrl}/v2/users`, { method: 'POST', headers, body: JSON.stringify({ queries }) });
    if (!answer.ok) throw new Error(`ListUsers answered ${answer.status}: ${await answer.text()}`);
    return ((await answer.json()) as ListUsersAnswer).result?.map((user) => user.userId) ?? [];
  };
  const decide = (ids: string[]): HostedLoginLookup | undefined => {
    if (ids.length > 1) return { found: false, reason: 'several-users' };
    return ids.length === 1 ? { found: true, userId: ids[0] } : undefined;
  };

  const byLoginName = decide(await listUsers([{ loginNameQuery: { loginName: input, method: 'TEXT_QUERY_METHOD_EQUALS_IGNORE_CASE' } }]));
  if (byLoginName) return byLoginName;

  const settingsAnswer = await fetch(`${baseUrl}/v2/settings/login`, { headers });
  if (!settingsAnswer.ok) throw new Error(`GetLoginSettings answered ${settingsAnswer.status}: ${await settingsAnswer.text()}`);
  const settings = ((await settingsAnswer.json()) as { settings?: { disableLoginWithEmail?: boolean; disableLoginWithPhone?: boolean } }).settings ?? {};
  const email = { emailQuery: { emailAddress: input, method: 'TEXT_QUERY_METHOD_EQUALS_IGNORE_CASE' } };
  const phone = { phoneQuery: { number: input, method: 'TEXT_QUERY_METHOD_EQUALS' } };
  const short = input.length <= 20;
  let query: unknown;
  if (settings.disableLoginWithEmail && settings.disableLoginWithPhone) return { found: false, reason: 'not-found' };
  if (settings.disableLoginWithEmail && short) query = phone;
  else if (settings.disableLoginWithPhone) query = email;
  else query = { orQuery: { queries: short ? [email, phone] : [email] } };
  return decide(await listUsers([query])) ?? { found: false, reason: 'not-found' };
}
