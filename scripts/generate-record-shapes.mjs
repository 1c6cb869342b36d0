#!/usr/bin/env node
// Writes docs/record-shapes.md: what each built-in plugin emits and accepts, with the TypeScript
// declarations copied from the source files and sample records made by running the built plugins
// on a small sample export (auth0 source → field-mapper → hash-validator → zitadel-validate). So
// the page cannot drift: a changed type or mapping changes it, and `--check` (run by a test) fails
// until it is regenerated; a built-in plugin without an entry below fails it too. Needs a build.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeOrCheck } from './generated-doc.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const engine = await import(join(root, 'packages', 'engine', 'dist', 'index.js'));
const { builtinPlugins } = await import(join(root, 'packages', 'cli', 'dist', 'builtins.js'));

const AUTH0 = 'Auth0UserRecord';
const ZITADEL = 'ZitadelUserRecord';
const ANY = 'any JSON value';

/** What each built-in plugin takes and gives; `kind:name` → [accepts, emits]. */
const shapes = {
  'source:auth0': ['—', AUTH0],
  'source:auth0-management': ['—', AUTH0],
  'source:ndjson': ['—', `${ANY}: each line as written`],
  'transform:field-mapper': [`${AUTH0} (with \`preset: auth0-to-zitadel\`), any object (\`mapping\` alone)`, `${ZITADEL} (with the preset), the object the \`mapping\` builds`],
  'transform:filter': [ANY, 'the same record, unchanged — or skips it'],
  'transform:hash-validator': [ZITADEL, `${ZITADEL}: \`user.hashedPassword\` kept, converted, or dropped with \`passwordResetRequired\``],
  'transform:zitadel-validate': [ZITADEL, `${ZITADEL}, unchanged (or rejects it)`],
  'sink:ndjson': [ANY, '— (one JSON line per record)'],
  'sink:zitadel-file': [ZITADEL, '— (ImportData request bodies)'],
  'sink:zitadel-import': [ZITADEL, '— (Admin API bulk import)'],
  'sink:zitadel-users': [ZITADEL, '— (User Service v2)'],
};

const unknown = builtinPlugins.map((p) => `${p.kind}:${p.name}`).filter((key) => !(key in shapes));
if (unknown.length > 0) {
  console.error(`scripts/generate-record-shapes.mjs: say what these plugins accept and emit: ${unknown.join(', ')}`);
  process.exit(1);
}

/** `export interface|type Name …` with its doc comment, as written in `file`. */
function declaration(file, name) {
  const text = readFileSync(join(root, file), 'utf8');
  const start = new RegExp(`^(?:/\\*\\*(?:(?!\\*/)[\\s\\S])*\\*/\\n)?export (?:interface|type) ${name}\\b`, 'm').exec(text);
  if (!start) throw new Error(`${file} declares no ${name}`);
  const from = start.index;
  const isInterface = /export interface/.test(start[0]);
  const end = isInterface ? text.indexOf('\n}\n', from) + 2 : text.indexOf(';\n', from) + 1;
  return text.slice(from, end);
}

// The sample export: a database user with a bcrypt hash, and a social user without a password.
const dir = mkdtempSync(join(tmpdir(), 'idflow-record-shapes-'));
const oid = '5f00000000000000000000a1';
writeFileSync(
  join(dir, 'profiles.ndjson'),
  [
    {
      user_id: `auth0|${oid}`,
      email: 'jane.doe@example.com',
      email_verified: true,
      username: 'jane',
      given_name: 'Jane',
      family_name: 'Doe',
      name: 'Jane Doe',
      nickname: 'jane',
      locale: 'de_CH',
      phone_number: '+41 79 123 45 67',
      identities: [{ connection: 'Username-Password-Authentication', provider: 'auth0', user_id: oid, isSocial: false }],
      user_metadata: { plan: 'gold' },
      app_metadata: { roles: ['admin'] },
      created_at: '2021-03-04T05:06:07.000Z',
    },
    {
      user_id: 'google-oauth2|108123456789',
      email: 'sam@example.org',
      email_verified: true,
      name: 'Sam Roe',
      identities: [{ connection: 'google-oauth2', provider: 'google-oauth2', user_id: '108123456789', isSocial: true }],
    },
  ]
    .map((profile) => JSON.stringify(profile))
    .join('\n') + '\n',
);
writeFileSync(
  join(dir, 'passwords.ndjson'),
  `${JSON.stringify({
    _id: { $oid: oid },
    email: 'jane.doe@example.com',
    email_verified: true,
    passwordHash: '$2b$10$UcxceSJhPughEeF6alIe1uPeLeydRlR7MGvxoNgXn3cdPHxFlX68C',
    password_set_date: { $date: '2021-03-04T05:06:07.000Z' },
    tenant: 'acme',
    connection: 'Username-Password-Authentication',
    _tmp_is_unique: true,
  })}\n`,
);

const plugin = (kind, name) => builtinPlugins.find((p) => p.kind === kind && p.name === name);
const ctx = engine.recordingContext({ baseDir: dir });
let auth0Records;
let zitadelRecords;
try {
  const source = await plugin('source', 'auth0').create({ profiles: 'profiles.ndjson', passwords: 'passwords.ndjson' }, ctx);
  auth0Records = [];
  for await (const item of source.read({})) auth0Records.push(item);
  await source.close();
  const transforms = [
    await plugin('transform', 'field-mapper').create({ preset: 'auth0-to-zitadel' }, ctx),
    await plugin('transform', 'hash-validator').create({}, ctx),
    await plugin('transform', 'zitadel-validate').create({}, ctx),
  ];
  zitadelRecords = [];
  for (const [seq, item] of auth0Records.entries()) {
    let data = item.data;
    for (const transform of transforms) {
      const result = await transform.apply({ seq: seq + 1, origin: item.origin, data });
      if (!result.ok) throw new Error(`the sample record ${item.origin.line} was refused: ${(result.rejection ?? result.skip).reason}`);
      data = result.value;
    }
    zitadelRecords.push(data);
  }
  for (const transform of transforms) await transform.close?.();
} finally {
  rmSync(dir, { recursive: true, force: true });
}

const json = (value) => ['```json', JSON.stringify(value, null, 2), '```'];
const ts = (file, names) => ['```ts', names.map((name) => declaration(file, name)).join('\n\n'), '```'];
const rows = builtinPlugins
  .slice()
  .sort((a, b) => ['source', 'transform', 'sink'].indexOf(a.kind) - ['source', 'transform', 'sink'].indexOf(b.kind) || a.name.localeCompare(b.name))
  .map((p) => `| \`${p.name}\` | ${p.kind} | ${shapes[`${p.kind}:${p.name}`][0]} | ${shapes[`${p.kind}:${p.name}`][1]} |`);

const doc = [
  '# Record shapes',
  '',
  '<!-- Generated by scripts/generate-record-shapes.mjs, which runs the built-in plugins on a sample export; do not edit by hand. -->',
  '',
  'What each built-in plugin accepts and emits — what a `filter` condition, a `field-mapper`',
  '`mapping` expression or a custom plugin placed at that point of a pipeline sees. Every record',
  'travels in a `RecordEnvelope {seq, origin: {file, line, offset}, data}` (see',
  '[plugins.md](plugins.md)); below is `data`.',
  '',
  '| plugin | kind | accepts | emits |',
  '|---|---|---|---|',
  ...rows,
  '',
  `## ${AUTH0}`,
  '',
  'Emitted by the `auth0` and `auth0-management` sources: one Auth0 profile (any field of the export',
  'is kept as it is) joined with its password-hash record, and why a user has no password when it',
  'has none. Import the type from `@idflow/plugin-auth0`',
  '([plugins/auth0/src/record.ts](../plugins/auth0/src/record.ts)):',
  '',
  ...ts('plugins/auth0/src/record.ts', ['Auth0Identity', 'Auth0Profile', 'Auth0Password', 'PasswordStatus', 'Auth0UserRecord']),
  '',
  'The sample, a database user and a social user, as the source emits them:',
  '',
  ...json(auth0Records.map((item) => item.data)),
  '',
  `## ${ZITADEL}`,
  '',
  'Emitted by `field-mapper` with `preset: auth0-to-zitadel` (rules in',
  '[plugins/field-mapper/README.md](../plugins/field-mapper/README.md)), checked by `hash-validator`',
  'and `zitadel-validate`, and accepted by the ZITADEL sinks. Import the type from',
  '`@idflow/zitadel-model` ([packages/zitadel-model/src/import-data.ts](../packages/zitadel-model/src/import-data.ts)):',
  '',
  ...ts('packages/zitadel-model/src/import-data.ts', ['Gender', 'ImportHumanProfile', 'ImportIdpLink', 'ImportHumanUser', 'UserState', 'ZitadelUserRecord']),
  '',
  'The same two users after `field-mapper` (preset), `hash-validator` and `zitadel-validate`',
  '(metadata values are base64 of the JSON value):',
  '',
  ...json(zitadelRecords),
  '',
].join('\n');

const target = join(root, 'docs', 'record-shapes.md');
writeOrCheck(target, doc, { root, command: 'node scripts/generate-record-shapes.mjs' });
