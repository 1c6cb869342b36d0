// ZITADEL keeps a user's preferred language as a golang.org/x/text/language.Tag: the v2 API turns
// the request's string into one with language.Make (SetHumanProfileToProfile in
// internal/api/grpc/user/v2/human.go, AddUserRequestToAddHuman in user.go), compares tags to
// decide whether the profile changed (UserV2WriteModel.NewProfileChangedEvent) and answers
// Tag.String() (humanToPb in convert/human.go): "und" when there is none or it does not parse.

const UNDETERMINED = 'und';

/**
 * language.Make(tag).String(), approximated with the CLDR canonicalisation of Intl (the same
 * casing rules: `en-us` → `en-US`, `_` accepted as a separator); anything that does not parse is "und".
 */
export function languageTag(tag: string | undefined): string {
  const trimmed = tag?.trim().replaceAll('_', '-');
  if (!trimmed) return UNDETERMINED;
  try {
    return Intl.getCanonicalLocales(trimmed)[0] ?? UNDETERMINED;
  } catch {
    return UNDETERMINED;
  }
}
