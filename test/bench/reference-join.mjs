#!/usr/bin/env node
// The bare reference the auth0 source is measured against: stream both NDJSON files with a
// Buffer line splitter and JSON.parse, join passwords to profiles with a Map, discard.
// Usage: node reference-join.mjs <profiles.ndjson> <passwords.ndjson>
import { createReadStream } from 'node:fs';

async function eachLine(path, onRecord) {
  let carry = Buffer.alloc(0);
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const buffer = carry.length ? Buffer.concat([carry, chunk]) : chunk;
    let start = 0;
    for (let end = buffer.indexOf(10); end !== -1; start = end + 1, end = buffer.indexOf(10, start)) {
      if (end > start) onRecord(JSON.parse(buffer.toString('utf8', start, end)));
    }
    carry = buffer.subarray(start);
  }
  if (carry.length) onRecord(JSON.parse(carry.toString('utf8')));
}

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
