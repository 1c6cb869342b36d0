// The password complexity policy a plain-text password must meet when it is set through the API
// (setPasswordCommand → checkPasswordComplexity in internal/command/user_human_password.go). The
// instance default of cmd/defaults.yaml (DefaultInstance.PasswordComplexityPolicy): at least 8
// bytes, a lower-case and an upper-case ASCII letter, a digit and a symbol, checked in that order
// by PasswordComplexityPolicy.Check (internal/domain/policy_password_complexity.go). Hashes skip it.
import { type ApiError, GrpcCode, zitadelError } from '../http/api-error.js';

const RULES: { test: (password: string) => boolean; id: string; key: string }[] = [
  // len() of a Go string: bytes, not characters.
  { test: (password) => Buffer.byteLength(password, 'utf8') >= 8, id: 'DOMAIN-HuJf6', key: 'Errors.User.PasswordComplexityPolicy.MinLength' },
  { test: (password) => /[a-z]/.test(password), id: 'DOMAIN-co3Xw', key: 'Errors.User.PasswordComplexityPolicy.HasLower' },
  { test: (password) => /[A-Z]/.test(password), id: 'DOMAIN-VoaRj', key: 'Errors.User.PasswordComplexityPolicy.HasUpper' },
  { test: (password) => /[0-9]/.test(password), id: 'DOMAIN-ZBv4H', key: 'Errors.User.PasswordComplexityPolicy.HasNumber' },
  { test: (password) => /[^A-Za-z0-9]/.test(password), id: 'DOMAIN-ZDLwA', key: 'Errors.User.PasswordComplexityPolicy.HasSymbol' },
];

/** The first rule of the default policy `password` breaks, as ZITADEL's error, or undefined. */
export function passwordComplexityError(password: string): ApiError | undefined {
  const broken = RULES.find((rule) => !rule.test(password));
  return broken && zitadelError(GrpcCode.InvalidArgument, broken.id, broken.key);
}
