// Error answers in Auth0's two shapes. The Management API answers
// `{statusCode, error, message, errorCode}` (e.g. 403 insufficient_scope, as quoted in
// https://support.auth0.com/center/s/article/Management-API-Token-from-API-Explorer-Tab-does-not-contain-expected-scopes);
// the Authentication API's /oauth/token answers OAuth's `{error, error_description}` (the
// "Standard error responses" table of https://auth0.com/docs/api/authentication).

/** One answer of the stand-in: status, JSON (or raw) body, headers. */
export interface StandInReply {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

const reasonPhrases: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  429: 'Too Many Requests',
};

/** A Management API error answer. */
export function managementError(status: number, message: string, errorCode?: string, headers?: Record<string, string>): StandInReply {
  return { status, body: { statusCode: status, error: reasonPhrases[status] ?? 'Error', message, ...(errorCode ? { errorCode } : {}) }, headers };
}

/** An Authentication API (OAuth) error answer. */
export function oauthError(status: number, error: string, description: string): StandInReply {
  return { status, body: { error, error_description: description } };
}
