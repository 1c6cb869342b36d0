// The bare reference loop for the offline conversion: what a hand-written one-off script would do
// with no framework, no checks and no reports — stream both NDJSON exports with a line splitter and
// JSON.parse, join passwords by id with a Map, map each user to ZITADEL's import shape and write
// importBody files of 1,000 users. idflow's offline pipeline is measured against it.
// usage: node reference-convert.mjs <profiles.ndjson> <passwords.ndjson> <outDir> <orgId>
import { createReadStream, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

async function* lines(path) {
  let rest = '';
  for await (const chunk of createReadStream(path, { encoding: 'utf8', highWaterMark: 1 << 20 })) {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop();
    for (const line of parts) if (line.trim()) yield line;
  }
  if (rest.trim()) yield rest;
}

const [profilesPath, passwordsPath, outDir, orgId = 'org'] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });
const hashes = new Map();
for await (const line of lines(passwordsPath)) {
  const p = JSON.parse(line);
  hashes.set(`auth0|${p.alt_id ?? p._id.$oid}`, p.passwordHash);
}
let batch = [];
let file = 0;
const flush = () => {
  const body = { dataOrgs: { orgs: [{ orgId, humanUsers: batch }] }, timeout: '5m0s' };
  writeFileSync(join(outDir, `importBody-${String(++file).padStart(5, '0')}.json`), JSON.stringify(body));
  batch = [];
};
for await (const line of lines(profilesPath)) {
  const u = JSON.parse(line);
  const [first, ...rest] = (u.name ?? '').split(' ');
  const hash = hashes.get(u.user_id);
  batch.push({
    userId: u.user_id,
    user: {
      userName: u.email ?? u.user_id,
      profile: { firstName: u.given_name ?? first, lastName: u.family_name ?? (rest.join(' ') || first), displayName: u.name },
      email: { email: u.email, isEmailVerified: u.email_verified === true },
      ...(hash ? { hashedPassword: { value: hash } } : {}),
    },
  });
  if (batch.length === 1000) flush();
}
if (batch.length) flush();
