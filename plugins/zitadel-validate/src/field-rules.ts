// Every field rule of ZITADEL's ImportHumanUserRequest (and the v2 user API), checked on one
// ZitadelUserRecord. ZITADEL validates a bulk import as a whole, so a single user breaking one of
// these rules would make it refuse every user of the batch: such a user must be stopped here.

import { decodedBase64Length } from './base64-value.js';
import { isEmailAddress } from './email-address.js';
import { GENDERS, USER_STATES, ZITADEL_LIMITS } from './limits.js';
import { describeLoneSurrogate, findLoneSurrogates, hasLoneSurrogate } from './lone-surrogates.js';
import { countRunes } from './runes.js';
import { v2EmailProblem } from './v2-email-rule.js';

/** Which ZITADEL API the records are meant for: `any` applies the rules of both. */
export type TargetApi = 'import' | 'v2' | 'any';

/** One broken rule: the field's REST path (`profile.firstName`, `idps[0].configId`) and the rule. */
export interface FieldProblem {
  field: string;
  message: string;
}

/** What ZITADEL accepts but changes (counted, never a reject): the counter names. */
export const FIELD_NOTES = {
  /** `language.Parse` fails (import: management/user_converter.go; v2: `language.Make`) and ZITADEL stores `und`. */
  preferredLanguage: 'preferredLanguage not a BCP 47 tag (ZITADEL stores "und")',
  /** v2 parses phones with libphonenumber and the default region CH (internal/domain/human_phone.go). */
  phoneWithoutPlus: 'phone without + (the v2 API reads it as a Swiss number)',
} as const;

/** The broken rules (rejects) and the notes (counted) of one record. */
export interface RecordInspection {
  problems: FieldProblem[];
  notes: string[];
}

/** `profile.firstName: must be at most 200 runes (got 201)` */
export function formatFieldProblem(problem: FieldProblem): string {
  return `${problem.field}: ${problem.message}`;
}

type Fields = { [key: string]: unknown };

function isObject(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface TextRule {
  required: boolean;
  /** 1 for fields ZITADEL declares `min_len: 1`. */
  minRunes: 0 | 1;
  maxRunes: number;
}

class ProblemCollector {
  readonly problems: FieldProblem[] = [];
  readonly notes: string[] = [];

  constructor(readonly api: TargetApi) {}

  /** True when the v2 API's rules apply (`v2` or `any`). */
  get v2(): boolean {
    return this.api !== 'import';
  }

  /** True when the import API's rules apply (`import` or `any`). */
  get import(): boolean {
    return this.api !== 'v2';
  }

  add(field: string, message: string): void {
    this.problems.push({ field, message });
  }

  /** Checks a string field against its rune bounds; answers the string when it is one. */
  text(field: string, value: unknown, rule: TextRule): string | undefined {
    const message = textProblem(value, rule);
    if (message !== undefined) this.add(field, message);
    return typeof value === 'string' ? value : undefined;
  }

  /**
   * `text` for a field of a list item (`idps[0].configId`): the path is only built when the field
   * breaks a rule, so valid records allocate no path strings (lists run to several entries a user).
   */
  itemText(list: string, index: number, name: string, value: unknown, rule: TextRule): void {
    const message = textProblem(value, rule);
    if (message !== undefined) this.add(`${list}[${index}].${name}`, message);
  }

  boolean(field: string, value: unknown): void {
    if (value !== undefined && typeof value !== 'boolean') this.add(field, `must be true or false (got ${describeType(value)})`);
  }

  oneOf(field: string, value: unknown, allowed: readonly string[]): void {
    if (value !== undefined && !allowed.includes(value as string)) {
      this.add(field, `must be one of ${allowed.join(', ')} (got ${JSON.stringify(value)})`);
    }
  }
}

/** What is wrong with a string field under `rule`, or undefined when nothing is. */
function textProblem(value: unknown, rule: TextRule): string | undefined {
  if (value === undefined || value === null) return rule.required ? 'is required' : undefined;
  if (typeof value !== 'string') return `must be a string (got ${describeType(value)})`;
  // A rune is one or two UTF-16 units, so a text has between length/2 and length runes: when both
  // bounds hold for those, it fits without counting (almost every value).
  if (value.length <= rule.maxRunes && Math.ceil(value.length / 2) >= rule.minRunes) return undefined;
  const runes = countRunes(value);
  if (runes < rule.minRunes) return 'must not be empty';
  if (runes > rule.maxRunes) return `must be at most ${rule.maxRunes} runes (got ${runes})`;
  return undefined;
}

function describeType(value: unknown): string {
  return Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value;
}

const name = { required: true, minRunes: 1, maxRunes: ZITADEL_LIMITS.textRunes } as const;
const optionalName = { required: false, minRunes: 0, maxRunes: ZITADEL_LIMITS.textRunes } as const;
// The other rules, made once rather than per record.
const preferredLanguage = { required: false, minRunes: 0, maxRunes: ZITADEL_LIMITS.preferredLanguageRunes } as const;
const phoneNumber = { required: true, minRunes: 1, maxRunes: ZITADEL_LIMITS.phoneRunes } as const;
const v2PhoneNumber = { required: true, minRunes: 0, maxRunes: ZITADEL_LIMITS.v2PhoneRunes } as const;
// The import API declares no upper bound; the v2 API refuses hashes over 200 runes.
const importHash = { required: true, minRunes: 1, maxRunes: Number.POSITIVE_INFINITY } as const;
const v2Hash = { required: true, minRunes: 1, maxRunes: ZITADEL_LIMITS.hashRunes } as const;

function checkProfile(out: ProblemCollector, profile: unknown): void {
  if (profile === undefined || profile === null) {
    out.add('profile', 'is required');
    return;
  }
  if (!isObject(profile)) {
    out.add('profile', `must be an object (got ${describeType(profile)})`);
    return;
  }
  out.text('profile.firstName', profile.firstName, name);
  out.text('profile.lastName', profile.lastName, name);
  out.text('profile.nickName', profile.nickName, optionalName);
  out.text('profile.displayName', profile.displayName, optionalName);
  if (out.v2) {
    // AddHumanUser trims both names and refuses them empty (`AddHuman.Validate`, internal/command/user_human.go).
    notBlank(out, 'profile.firstName', profile.firstName);
    notBlank(out, 'profile.lastName', profile.lastName);
  }
  const language = out.text('profile.preferredLanguage', profile.preferredLanguage, preferredLanguage);
  // Neither API refuses an unparsable language: the import logs it (`ImportHumanUserRequestToDomain`,
  // internal/api/grpc/management/user_converter.go) and v2 uses `language.Make`; both store `und`.
  if (language && !isLanguageTag(language)) out.notes.push(FIELD_NOTES.preferredLanguage);
  out.oneOf('profile.gender', profile.gender, GENDERS);
}

// Intl parsing is slow (~15 µs) and records carry few distinct languages: remember the answers.
const languageTags = new Map<string, boolean>();

function isLanguageTag(text: string): boolean {
  let valid = languageTags.get(text);
  if (valid === undefined) {
    try {
      valid = Intl.getCanonicalLocales(text).length === 1;
    } catch {
      valid = false;
    }
    if (languageTags.size >= 1000) languageTags.clear();
    languageTags.set(text, valid);
  }
  return valid;
}

/** A text the v2 API trims (Go's strings.TrimSpace) and then refuses when empty. */
function notBlank(out: ProblemCollector, field: string, value: unknown): void {
  if (typeof value === 'string' && value.length > 0 && value.trim() === '') out.add(field, 'must not be only whitespace (the v2 API trims it and refuses it empty)');
}

function checkEmail(out: ProblemCollector, email: unknown): void {
  if (email === undefined || email === null) {
    out.add('email', 'is required');
    return;
  }
  if (!isObject(email)) {
    out.add('email', `must be an object (got ${describeType(email)})`);
    return;
  }
  const address = out.text('email.email', email.email, name);
  if (address && countRunes(address) <= ZITADEL_LIMITS.textRunes) {
    if (!isEmailAddress(address)) out.add('email.email', `must be an email address (got ${JSON.stringify(address)})`);
    else if (out.v2) {
      const problem = v2EmailProblem(address);
      if (problem) out.add('email.email', problem);
    }
  }
  out.boolean('email.isEmailVerified', email.isEmailVerified);
}

function checkPhone(out: ProblemCollector, phone: unknown): void {
  if (phone === undefined) return;
  if (!isObject(phone)) {
    out.add('phone', `must be an object (got ${describeType(phone)})`);
    return;
  }
  // Import: 1–50 runes with prefix "+" (ImportHumanUserRequest.Phone, proto/zitadel/management.proto);
  // v2: at most 200, no prefix rule (SetHumanPhone, proto/zitadel/user/v2/phone.proto).
  const number = out.text('phone.phone', phone.phone, out.import ? phoneNumber : v2PhoneNumber);
  if (number && !number.startsWith('+')) {
    if (out.import) out.add('phone.phone', `must start with + (got ${JSON.stringify(number)})`);
    else out.notes.push(FIELD_NOTES.phoneWithoutPlus);
  }
  out.boolean('phone.isPhoneVerified', phone.isPhoneVerified);
}

function checkHashedPassword(out: ProblemCollector, hashed: unknown): void {
  if (hashed === undefined) return;
  if (!isObject(hashed)) {
    out.add('hashedPassword', `must be an object (got ${describeType(hashed)})`);
    return;
  }
  out.text('hashedPassword.value', hashed.value, out.v2 ? v2Hash : importHash);
}

function checkIdpLinks(out: ProblemCollector, idps: unknown): void {
  if (idps === undefined) return;
  if (!Array.isArray(idps)) {
    out.add('idps', `must be a list (got ${describeType(idps)})`);
    return;
  }
  for (let i = 0; i < idps.length; i++) {
    const link: unknown = idps[i];
    if (!isObject(link)) {
      out.add(`idps[${i}]`, `must be an object (got ${describeType(link)})`);
      continue;
    }
    out.itemText('idps', i, 'configId', link.configId, name);
    out.itemText('idps', i, 'externalUserId', link.externalUserId, name);
    out.itemText('idps', i, 'displayName', link.displayName, optionalName);
  }
}

function checkMetadata(out: ProblemCollector, metadata: unknown): void {
  if (metadata === undefined) return;
  if (!Array.isArray(metadata)) {
    out.add('metadata', `must be a list (got ${describeType(metadata)})`);
    return;
  }
  for (let i = 0; i < metadata.length; i++) {
    const entry: unknown = metadata[i];
    if (!isObject(entry)) {
      out.add(`metadata[${i}]`, `must be an object (got ${describeType(entry)})`);
      continue;
    }
    out.itemText('metadata', i, 'key', entry.key, name);
    const problem = metadataValueProblem(entry.value);
    if (problem !== undefined) out.add(`metadata[${i}].value`, problem);
  }
}

function metadataValueProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') {
    return value === undefined ? 'is required' : `must be a base64 string (got ${describeType(value)})`;
  }
  const bytes = decodedBase64Length(value);
  if (bytes === undefined) return 'must be base64';
  if (bytes === 0) return 'must not be empty';
  if (bytes > ZITADEL_LIMITS.metadataValueBytes) {
    return `must be at most ${ZITADEL_LIMITS.metadataValueBytes} bytes decoded (got ${bytes})`;
  }
  return undefined;
}

/** Every ZITADEL field rule the record breaks, in field order; empty when it can be imported. */
export function checkZitadelUserRecord(record: unknown, api: TargetApi = 'any'): FieldProblem[] {
  return inspectZitadelUserRecord(record, api).problems;
}

/** The broken rules of `checkZitadelUserRecord` and what ZITADEL would accept but change. */
export function inspectZitadelUserRecord(record: unknown, api: TargetApi = 'any'): RecordInspection {
  const out = new ProblemCollector(api);
  if (!isObject(record)) {
    out.add('record', `must be a ZITADEL user record object (got ${describeType(record)})`);
    return { problems: out.problems, notes: out.notes };
  }
  out.text('userId', record.userId, name);
  const user = record.user;
  if (!isObject(user)) {
    out.add('user', user === undefined ? 'is required' : `must be an object (got ${describeType(user)})`);
  } else {
    out.text('userName', user.userName, name);
    if (out.v2) notBlank(out, 'userName', user.userName);
    checkProfile(out, user.profile);
    checkEmail(out, user.email);
    checkPhone(out, user.phone);
    if (user.password !== undefined && typeof user.password !== 'string') out.add('password', 'must be a string');
    checkHashedPassword(out, user.hashedPassword);
    out.boolean('passwordChangeRequired', user.passwordChangeRequired);
    out.boolean('requestPasswordlessRegistration', user.requestPasswordlessRegistration);
    if (user.otpCode !== undefined && typeof user.otpCode !== 'string') out.add('otpCode', 'must be a string');
    checkIdpLinks(out, user.idps);
  }
  checkMetadata(out, record.metadata);
  out.oneOf('state', record.state, USER_STATES);
  out.boolean('passwordResetRequired', record.passwordResetRequired);
  // Fields of `user` are named without the prefix, like the rules above.
  const surrogates = hasLoneSurrogate(record) ? findLoneSurrogates(record, '') : [];
  for (const surrogate of surrogates) {
    out.add(surrogate.path.startsWith('user.') ? surrogate.path.slice(5) : surrogate.path, describeLoneSurrogate(surrogate));
  }
  return { problems: out.problems, notes: out.notes };
}
