// ZITADEL requires a first and a last name; Auth0 profiles often have neither `given_name` nor
// `family_name`, only `name` (set to the email address by default), a `nickname`, or nothing.

import type { Auth0Profile } from '@idflow/plugin-auth0';
import { looksLikeEmail, splitDisplayName } from '../rules/split-name.js';

export type NameSource = 'given_name' | 'family_name' | 'name' | 'nickname' | 'email local part';

export interface ChosenNames {
  firstName: string;
  lastName: string;
  firstFrom: NameSource;
  lastFrom: NameSource;
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

/** The part of an email address before its last `@` (the whole address if that part is empty). */
export function emailLocalPart(email: string): string {
  const at = email.lastIndexOf('@');
  return at > 0 ? email.slice(0, at) : email;
}

/**
 * First and last name by the preset's rules: `given_name`/`family_name` when present; else `name`
 * split into its first word and the rest (one word fills both; an email address is not a name);
 * else `nickname`; else the email's local part.
 */
export function chooseAuth0Names(profile: Auth0Profile, email: string): ChosenNames {
  const given = text(profile.given_name);
  const family = text(profile.family_name);
  // Both halves given (most profiles): nothing else is looked at.
  if (given && family) return { firstName: given, lastName: family, firstFrom: 'given_name', lastFrom: 'family_name' };
  const fullName = text(profile.name);
  const name = fullName && !looksLikeEmail(fullName) ? fullName : undefined;
  const split = name ? splitDisplayName(name) : undefined;
  const rawNickname = text(profile.nickname);
  const nickname = rawNickname && looksLikeEmail(rawNickname) ? emailLocalPart(rawNickname) : rawNickname;
  const local = emailLocalPart(email);

  // With only one of given/family name, the rest of `name` beyond it is the better other half:
  // given "Mary Ann" + name "Mary Ann Smith" gives last name "Smith", not "Ann Smith".
  const lastFromName = given && name !== undefined && startsWithWord(name, given) ? name.slice(given.length).trim() : split?.last;
  const firstFromName = family && name !== undefined && endsWithWord(name, family) ? name.slice(0, -family.length).trim() : split?.first;

  // Each name: its own field, else the part of `name`, else the nickname, else the email's local part.
  const firstName = given || firstFromName || nickname || local;
  const firstFrom: NameSource = given ? 'given_name' : firstFromName ? 'name' : nickname ? 'nickname' : 'email local part';
  const lastName = family || lastFromName || nickname || local;
  const lastFrom: NameSource = family ? 'family_name' : lastFromName ? 'name' : nickname ? 'nickname' : 'email local part';
  return { firstName, lastName, firstFrom, lastFrom };
}

/** `text.startsWith(`${word} `)` without building the searched string (this runs once per user). */
function startsWithWord(text: string, word: string): boolean {
  return text.length > word.length && text.charCodeAt(word.length) === 0x20 && text.startsWith(word);
}

/** `text.endsWith(` ${word}`)` without building the searched string. */
function endsWithWord(text: string, word: string): boolean {
  return text.length > word.length && text.charCodeAt(text.length - word.length - 1) === 0x20 && text.endsWith(word);
}
