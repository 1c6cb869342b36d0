// The bare reference loop for the offline conversion: what a careful hand-written one-off script
// would do with no framework — stream both NDJSON exports with a line splitter and JSON.parse,
// join passwords by id with a Map, map each user by the same rules as the `auth0-to-zitadel`
// preset (names, nickname, language tag, E.164 phone, email verified, hash, metadata as base64
// JSON) and write importBody files of 1,000 users. It has none of idflow's checks (field limits,
// duplicate userNames, hash formats), reports, dead letters, checkpoints or memory bounds: the
// benchmark checks its files are byte-identical to idflow's, so the ratio is what those cost.
// usage: node reference-convert.mjs <profiles.ndjson> <passwords.ndjson> <outDir> <orgId>
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { eachLine } from './ndjson-lines.mjs';

const text = (v) => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);
const languages = new Map();
function language(locale) {
  if (!languages.has(locale)) {
    let tag;
    try {
      tag = new Intl.Locale(Intl.getCanonicalLocales(locale.trim().replace(/[.@].*$/u, '').replace(/_/g, '-'))[0]).toString();
    } catch {}
    languages.set(locale, tag && tag.length <= 10 ? tag : undefined);
  }
  return languages.get(locale);
}
const base64Json = (v) => Buffer.from(JSON.stringify(v)).toString('base64');

const [profilesPath, passwordsPath, outDir, orgId = 'org'] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });
const hashes = new Map();
await eachLine(passwordsPath, (p) => hashes.set(`auth0|${p.alt_id ?? p._id.$oid}`, p.passwordHash));
let users = [];
let metadata = [];
let file = 0;
const flush = () => {
  const body = { dataOrgs: { orgs: [{ orgId, humanUsers: users, userMetadata: metadata }] }, timeout: '5m0s' };
  writeFileSync(join(outDir, `importBody-${String(++file).padStart(5, '0')}.json`), `${JSON.stringify(body)}\n`);
  users = [];
  metadata = [];
};
await eachLine(profilesPath, (u) => {
  const email = text(u.email);
  if (!email) return;
  const name = text(u.name);
  const [first, ...rest] = (name ?? '').split(/\s+/u);
  const nickName = text(u.nickname);
  const local = email.slice(0, email.lastIndexOf('@'));
  const profile = { firstName: text(u.given_name) ?? first ?? nickName ?? local, lastName: text(u.family_name) ?? (rest.join(' ') || first || nickName || local) };
  if (name) profile.displayName = name;
  if (nickName) profile.nickName = nickName;
  const tag = u.locale ? language(u.locale) : undefined;
  if (tag) profile.preferredLanguage = tag;
  const user = { userName: text(u.username) ?? email, profile, email: { email, isEmailVerified: u.email_verified === true } };
  const phone = typeof u.phone_number === 'string' ? u.phone_number.replace(/[\s\-.()\u00a0]/gu, '') : '';
  if (/^\+[1-9][0-9]{6,14}$/.test(phone)) user.phone = { phone, isPhoneVerified: u.phone_verified === true };
  const hash = hashes.get(u.user_id);
  if (hash) user.hashedPassword = { value: hash };
  users.push(u.blocked === true ? { userId: u.user_id, user, state: 'USER_STATE_LOCKED' } : { userId: u.user_id, user });
  for (const source of ['user_metadata', 'app_metadata']) {
    for (const [key, value] of Object.entries(u[source] ?? {})) metadata.push({ id: u.user_id, key: `${source}.${key}`, value: base64Json(value) });
  }
  if (users.length === 1000) flush();
});
if (users.length) flush();
