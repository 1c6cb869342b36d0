// ZITADEL's error model: a gRPC code, an error id and an i18n key, rendered by the gRPC gateway
// as `{"code","message","details":[{"@type","id","message"}]}` with the HTTP status of the code.
import { translate } from './translations.js';

/** The gRPC status codes ZITADEL answers with. */
export const GrpcCode = {
  Unknown: 2,
  InvalidArgument: 3,
  DeadlineExceeded: 4,
  NotFound: 5,
  AlreadyExists: 6,
  PermissionDenied: 7,
  ResourceExhausted: 8,
  FailedPrecondition: 9,
  Unimplemented: 12,
  Internal: 13,
  Unavailable: 14,
  Unauthenticated: 16,
} as const;
export type GrpcCode = (typeof GrpcCode)[keyof typeof GrpcCode];

const HTTP_STATUS_OF_CODE: Record<GrpcCode, number> = {
  2: 500,
  3: 400,
  4: 504,
  5: 404,
  6: 409,
  7: 403,
  8: 429,
  9: 400,
  12: 501,
  13: 500,
  14: 503,
  16: 401,
};

/** An API failure carrying what the gateway needs to render ZITADEL's error body. */
export class ApiError extends Error {
  constructor(
    readonly code: GrpcCode,
    message: string,
    /** ZITADEL's error id, e.g. `V3-DKcYh`; absent for validation and auth errors. */
    readonly errorId?: string,
    /** The i18n key, e.g. `Errors.User.AlreadyExists` (import responses carry it untranslated). */
    readonly i18nKey?: string,
    /** Extra response headers, e.g. `Retry-After`. */
    readonly headers: Record<string, string> = {},
    /** Overrides the status derived from the code (ZITADEL answers a timed-out import with 500). */
    readonly httpStatusOverride?: number,
  ) {
    super(message);
  }

  get httpStatus(): number {
    return this.httpStatusOverride ?? HTTP_STATUS_OF_CODE[this.code];
  }

  /** The `ID=… Message=…` form ZITADEL uses inside import responses. */
  get importMessage(): string {
    return `ID=${this.errorId ?? 'EMU-0'} Message=${this.i18nKey ?? this.message}`;
  }

  /** The ErrorDetail's message: the translated text for command errors, else the key. */
  detailText?: string;

  toBody(): { code: number; message: string; details?: { '@type': string; id: string; message: string }[] } {
    if (!this.errorId) return { code: this.code, message: this.message };
    const text = this.detailText ?? this.i18nKey ?? this.message;
    return {
      code: this.code,
      message: this.message,
      details: [{ '@type': 'type.googleapis.com/zitadel.v1.ErrorDetail', id: this.errorId, message: text }],
    };
  }
}

/**
 * An error a ZITADEL command or query returns: `<text> (<id>)`, the text translated as the
 * TranslationHandler does (gerrors.ZITADELToGRPCError builds `msg + " (" + id + ")"` and the
 * ErrorDetail {id, message}). Import responses carry the untranslated key (`importMessage`).
 */
export function zitadelError(code: GrpcCode, errorId: string, i18nKey: string): ApiError {
  const text = translate(i18nKey);
  const error = new ApiError(code, `${text} (${errorId})`, errorId, i18nKey);
  error.detailText = text;
  return error;
}

/** A request that fails protojson parsing or field validation (400, code 3). */
export function invalidArgument(message: string): ApiError {
  return new ApiError(GrpcCode.InvalidArgument, message);
}

export function unauthenticated(message: string): ApiError {
  return new ApiError(GrpcCode.Unauthenticated, message);
}

/** Authenticated but lacking the permission (403, code 7); `missing` names it, e.g. `iam.write`. */
export function permissionDenied(missing: string): ApiError {
  return new ApiError(
    GrpcCode.PermissionDenied,
    `No matching permissions found: ${missing} (AUTHZ-HKJD33)`,
    'AUTHZ-HKJD33',
    'Errors.PermissionDenied',
  );
}

const DEADLINE_EXCEEDED = 'context deadline exceeded';

/** The answer of a call whose context ran out: HTTP 500 with code 2, as ZITADEL's import does. */
export function deadlineExceeded(): ApiError {
  return new ApiError(GrpcCode.Unknown, DEADLINE_EXCEEDED, undefined, undefined, {}, 500);
}

export function isDeadlineExceeded(error: unknown): boolean {
  return error instanceof ApiError && error.code === GrpcCode.Unknown && error.message === DEADLINE_EXCEEDED;
}

/** Too many requests (rate limit, overload or injected): 429 with `Retry-After` in seconds. */
export function resourceExhausted(message: string, retryAfterSeconds: number): ApiError {
  return new ApiError(GrpcCode.ResourceExhausted, message, undefined, undefined, {
    'Retry-After': String(Math.max(1, Math.ceil(retryAfterSeconds))),
  });
}

export function unavailable(message: string): ApiError {
  return new ApiError(GrpcCode.Unavailable, message);
}
