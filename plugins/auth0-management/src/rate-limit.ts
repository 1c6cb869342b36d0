// Auth0's rate-limit answers: every Management API response carries `x-ratelimit-limit`,
// `x-ratelimit-remaining` and `x-ratelimit-reset` (a UNIX timestamp, in seconds, of when the
// bucket refills), and a 429 once it is empty
// (https://auth0.com/docs/troubleshoot/customer-support/operational-policies/rate-limit-policy).
// Some answers also carry `Retry-After`. The client waits as long as the server says, and a bit
// more: the reset is whole seconds, and the clocks of two machines are never quite equal.

export type Headers = Record<string, string | string[] | undefined>;

/** Added to every wait the server asks for. */
export const RATE_LIMIT_MARGIN_MS = 250;

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** ms to wait before the next call as the answer says (`Retry-After`, else `x-ratelimit-reset`); undefined when it says nothing. */
export function serverWaitMs(headers: Headers, now = Date.now()): number | undefined {
  const retryAfter = header(headers, 'retry-after')?.trim();
  if (retryAfter) {
    if (/^\d+(\.\d+)?$/.test(retryAfter)) return Math.round(Number(retryAfter) * 1000) + RATE_LIMIT_MARGIN_MS;
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return Math.max(0, date - now) + RATE_LIMIT_MARGIN_MS;
  }
  const reset = header(headers, 'x-ratelimit-reset')?.trim();
  if (reset && /^\d+$/.test(reset)) return Math.max(0, Number(reset) * 1000 - now) + RATE_LIMIT_MARGIN_MS;
  return undefined;
}

/** True when the answer says the bucket is empty: the next call would be refused before the reset. */
export function bucketEmpty(headers: Headers): boolean {
  return header(headers, 'x-ratelimit-remaining')?.trim() === '0';
}
