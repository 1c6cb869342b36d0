// The checks ZITADEL's commands run on a human after the proto rules passed: an error here fails
// one imported user (an `ID=… Message=…` entry) or a v2 call with 400.
import { type ApiError, GrpcCode, zitadelError } from '../http/api-error.js';
import { parseMailAddress } from '../validation/mail-address.js';

/**
 * EmailAddress.Validate (internal/domain/human_email.go): empty → EMAIL-spblu, unparsable by
 * net/mail → EMAIL-599BI, a display name → EMAIL-599GV. No length or host rules: those are PGV's,
 * which the import request (ImportHumanUserRequest.Email: min 1, max 200) does not have.
 */
export function emailAddressError(email: string): ApiError | undefined {
  if (email === '') return zitadelError(GrpcCode.InvalidArgument, 'EMAIL-spblu', 'Errors.User.Email.Empty');
  const parsed = parseMailAddress(email);
  if (!parsed.ok) return zitadelError(GrpcCode.InvalidArgument, 'EMAIL-599BI', 'Errors.User.Email.Invalid');
  if (parsed.name !== '') return zitadelError(GrpcCode.InvalidArgument, 'EMAIL-599GV', 'Errors.User.Email.Invalid');
  return undefined;
}

type PhoneLibrary = typeof import('google-libphonenumber');
interface PhoneTools {
  util: import('google-libphonenumber').PhoneNumberUtil;
  e164: import('google-libphonenumber').PhoneNumberFormat;
}
let phoneLibrary: Promise<PhoneTools> | undefined;

/** google-libphonenumber (the JavaScript build of the library ZITADEL's Go port follows), on first use. */
function loadPhoneLibrary(): Promise<PhoneTools> {
  phoneLibrary ??= import('google-libphonenumber').then((module) => {
    // A CommonJS module: its exports arrive as the default export under ESM.
    const library = ((module as unknown as { default?: PhoneLibrary }).default ?? module) as PhoneLibrary;
    return { util: library.PhoneNumberUtil.getInstance(), e164: library.PhoneNumberFormat.E164 };
  });
  return phoneLibrary;
}

/** ZITADEL's default region for numbers without a country code (defaultRegion in human_phone.go). */
const DEFAULT_PHONE_REGION = 'CH';

/**
 * PhoneNumber.Normalize (internal/domain/human_phone.go): libphonenumber.Parse with region CH and
 * E.164 formatting. No `+` is required: a national number is read as Swiss. Unparsable →
 * PHONE-so0wa `Errors.User.Phone.Invalid`. Parse does not check that the number exists.
 */
export async function normalizePhone(phone: string): Promise<{ ok: true; e164: string } | { ok: false; error: ApiError }> {
  if (phone === '') return { ok: false, error: zitadelError(GrpcCode.InvalidArgument, 'PHONE-Zt0NV', 'Errors.User.Phone.Empty') };
  const { util, e164 } = await loadPhoneLibrary();
  try {
    return { ok: true, e164: util.format(util.parse(phone, DEFAULT_PHONE_REGION), e164) };
  } catch {
    return { ok: false, error: zitadelError(GrpcCode.InvalidArgument, 'PHONE-so0wa', 'Errors.User.Phone.Invalid') };
  }
}
