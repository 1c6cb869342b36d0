// A call failed in a way that says nothing about the target's final state (timeout, reset,
// refused connection, 5xx from the token endpoint): the caller retries it.

/** A failure worth retrying; `message` is safe to log (no secrets, no headers). */
export class TransientError extends Error {
  override name = 'TransientError';
}

/** A short, secret-free description of a network failure thrown by undici or node:net. */
export function describeNetworkError(error: unknown): string {
  const code = (error as { code?: string } | undefined)?.code;
  switch (code) {
    case 'UND_ERR_HEADERS_TIMEOUT':
    case 'UND_ERR_BODY_TIMEOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'ETIMEDOUT':
      return 'request timed out';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
    case 'EPIPE':
      return 'connection reset';
    case 'ECONNREFUSED':
      return 'connection refused';
    case 'UND_ERR_CLOSED':
    case 'UND_ERR_DESTROYED':
      return 'connection closed';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'host not found';
  }
  if (error instanceof TransientError) return error.message;
  if ((error as { name?: string } | undefined)?.name === 'AbortError') return 'request aborted';
  return `network error${code ? ` ${code}` : ''}`;
}
