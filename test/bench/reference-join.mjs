#!/usr/bin/env node
// The bare reference the auth0 source is measured against: stream both NDJSON files with a
// Buffer line splitter and JSON.parse, join passwords to profiles with a Map, discard.
// Usage: node reference-join.mjs <profiles.ndjson> <passwords.ndjson>
import { eachLine } from './ndjson-lines.mjs';

const [profiles, passwords] = process.argv.slice(2);
const byId = new Map();
await eachLine(passwords, (p) => byId.set(`auth0|${p.alt_id ?? p._id.$oid}`, p));
let joined = 0;
let users = 0;
await eachLine(profiles, (u) => {
  users++;
  if (byId.get(u.user_id)) joined++;
});
console.log(JSON.stringify({ users, joined }));
