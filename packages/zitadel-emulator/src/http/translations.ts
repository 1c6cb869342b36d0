// ZITADEL's English texts for the i18n keys the emulator answers with. ZITADEL translates the
// message of every error a command or query returns (TranslationHandler in
// internal/api/grpc/server/{middleware,connect_middleware}/translation_interceptor.go, texts from
// internal/static/i18n/en.yaml); a key without a text there stays the key itself (localize() in
// internal/i18n/translator.go), e.g. `Errors.User.AlreadyExisting` and `Errors.Hash.NotSupported`.
// Errors of the authorization and validation interceptors are not translated: they run outside it.

const EN: Readonly<Record<string, string>> = {
  'Errors.Internal': 'An internal error occurred',
  'Errors.IDMissing': 'ID missing',
  'Errors.User.NotFound': 'User could not be found',
  'Errors.User.AlreadyExists': 'User already exists',
  'Errors.User.UserIDMissing': 'User ID missing',
  'Errors.User.Locked': 'User is locked',
  'Errors.User.NotLocked': 'User is not locked',
  'Errors.User.NotInactive': 'User is not inactive',
  'Errors.User.AlreadyInactive': 'User already inactive',
  'Errors.User.CantDeactivateInitial': 'User with state initial can only be deleted not deactivated',
  'Errors.User.ShouldBeActiveOrInitial': 'User is not active or initial',
  'Errors.User.DomainNotAllowedAsUsername': 'Domain is already reserved and cannot be used',
  'Errors.User.Password.Invalid': 'Password is invalid',
  'Errors.User.Password.NotSet': 'User has not set a password',
  'Errors.User.Password.Empty': 'Password is empty',
  'Errors.User.Password.NotChanged': 'New password cannot be the same as your current password',
  'Errors.User.Email.Invalid': 'Email is invalid',
  'Errors.User.Email.Empty': 'Email is empty',
  'Errors.User.Email.NotChanged': 'Email not changed',
  'Errors.User.Email.AlreadyVerified': 'Email is already verified',
  'Errors.User.Phone.Invalid': 'Phone is invalid',
  'Errors.User.Phone.Empty': 'Phone is empty',
  'Errors.User.Phone.NotChanged': 'Phone not changed',
  'Errors.User.Phone.AlreadyVerified': 'Phone already verified',
  'Errors.User.Phone.VerifyingRemovalIsNotSupported': 'Verifying phone removal is not supported',
  'Errors.User.Profile.NotChanged': 'Profile not changed',
  'Errors.User.Profile.FirstNameEmpty': 'First name in profile is empty',
  'Errors.User.Profile.LastNameEmpty': 'Last name in profile is empty',
  'Errors.User.ExternalIDP.AlreadyExists': 'External IDP already taken',
  'Errors.User.ExternalIDP.NotFound': 'External IDP not found',
  'Errors.User.Metadata.Conflicting': 'Metadata must not be set on both the user and human fields',
  'Errors.Metadata.NotFound': 'Metadata not found',
  'Errors.Metadata.Invalid': 'Metadata is invalid',
  'Errors.Org.Invalid': 'Organisation is invalid',
  'Errors.Org.NotFound': 'Organisation not found',
  'Errors.IDPConfig.NotExisting': "Identity Provider Configuration doesn't exist",
  'Errors.User.NotInitialised': 'User is not yet initialized',
  'Errors.User.Password.NotFound': 'Password not found',
  'Errors.User.Code.NotFound': 'Code not found',
  'Errors.User.PasswordComplexityPolicy.MinLength': 'Password is too short',
  'Errors.User.PasswordComplexityPolicy.HasLower': 'Password must contain lower case',
  'Errors.User.PasswordComplexityPolicy.HasUpper': 'Password must contain upper case',
  'Errors.User.PasswordComplexityPolicy.HasNumber': 'Password must contain number',
  'Errors.User.PasswordComplexityPolicy.HasSymbol': 'Password must contain symbol',
  'Errors.Metadata.NoData': 'Metadata list is empty',
  'Errors.Metadata.KeyNotExisting': 'One or more keys do not exist',
  'Errors.Query.TooManyNestingLevels': 'Too many query nesting levels (Max 20)',
  'Errors.Query.LimitExceeded': 'Limit exceeded',
};

/** The English text ZITADEL shows for `key`, or the key itself when en.yaml has none. */
export function translate(key: string): string {
  return EN[key] ?? key;
}
