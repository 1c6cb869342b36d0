// The limits of ZITADEL's ImportHumanUserRequest and v2 user fields (zitadel-api.md), in one place
// so the mapper cuts to exactly what the validator enforces.

export const ZITADEL_LIMITS = {
  /** userName, profile.firstName/lastName/nickName/displayName, email.email, idps fields, metadata key, userId. */
  textRunes: 200,
  preferredLanguageRunes: 10,
  /** Import `phone.phone` (1–50, prefix "+"). */
  phoneRunes: 50,
  /** v2 `SetHumanPhone.phone` (0–200, no prefix). */
  v2PhoneRunes: 200,
  /** hashedPassword.value on the v2 API (`hash` 1–200). */
  hashRunes: 200,
  /** Decoded bytes of one metadata value. */
  metadataValueBytes: 500_000,
} as const;

export const GENDERS = ['GENDER_UNSPECIFIED', 'GENDER_FEMALE', 'GENDER_MALE', 'GENDER_DIVERSE'] as const;

export const USER_STATES = ['USER_STATE_ACTIVE', 'USER_STATE_INACTIVE', 'USER_STATE_LOCKED'] as const;
