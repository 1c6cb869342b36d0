// ZITADEL's gRPC-gateway error body, read defensively: any answer may be a proxy's HTML page.
import type { ZitadelErrorBody } from '@idflow/zitadel-model';

/** The error body when the answer has ZITADEL's shape, else undefined. */
export function readErrorBody(body: unknown): ZitadelErrorBody | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const candidate = body as Partial<ZitadelErrorBody>;
  if (typeof candidate.message !== 'string') return undefined;
  return {
    code: typeof candidate.code === 'number' ? candidate.code : 0,
    message: candidate.message,
    details: Array.isArray(candidate.details) ? candidate.details : undefined,
  };
}

/** One line naming ZITADEL's message and error id, e.g. `User already exists (V3-DKcYh)`. */
export function describeErrorBody(status: number, body: unknown): string {
  const error = readErrorBody(body);
  if (!error) return `HTTP ${status}`;
  const detail = error.details?.find((d) => d.id || d.message);
  const ids = detail?.id && !error.message.includes(detail.id) ? ` (${detail.id})` : '';
  const detailMessage = detail?.message && !error.message.includes(detail.message) ? `: ${detail.message}` : '';
  return `${error.message}${detailMessage}${ids}`;
}

/** Everything a caller may match i18n keys and ids against (message, detail ids and messages). */
export function errorText(body: unknown): string {
  const error = readErrorBody(body);
  if (!error) return typeof body === 'string' ? body : '';
  return [error.message, ...(error.details ?? []).flatMap((d) => [d.id ?? '', d.message ?? ''])].join(' ');
}
