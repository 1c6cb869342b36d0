import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunTally } from './run-tally.js';
import { WarningsFile } from './warnings-file.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'idflow-warnings-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const origin = (line: number) => ({ file: 'users.ndjson', line, offset: line * 100 });
const user = (n: number) => ({ profile: { user_id: `auth0|${n}`, email: `u${n}@example.com` } });
const lines = (path: string) => readFileSync(path, 'utf8').trimEnd().split('\r\n');

describe('WarningsFile', () => {
  it("writes and counts a transform's warning when its record is acknowledged, with the user it is about", () => {
    const tally = new RunTally();
    const file = new WarningsFile(join(dir, 'warnings.csv'), tally);
    file.open(undefined);
    file.enter(1, user(1), origin(1));
    file.note('field-mapper', 'transform', 'auth0|1: phone_number "555" is not E.164; phone dropped', origin(1), 'phone dropped');
    file.enter(2, user(2), origin(2));
    file.note('field-mapper', 'transform', 'auth0|2: profile.firstName cut from 201 to 200 runes', origin(2), 'field cut');
    expect(tally.warnings).toBe(0);
    file.acknowledged(2);
    file.acknowledged(1);
    file.close();
    expect(lines(join(dir, 'warnings.csv'))).toEqual([
      '"user id","e-mail","plugin","kind","message","origin"',
      '"auth0|2","u2@example.com","field-mapper","field cut","auth0|2: profile.firstName cut from 201 to 200 runes","users.ndjson:2"',
      '"auth0|1","u1@example.com","field-mapper","phone dropped","auth0|1: phone_number ""555"" is not E.164; phone dropped","users.ndjson:1"',
    ]);
    expect(tally.warningsByKind).toEqual({ 'field-mapper': { 'phone dropped': 1, 'field cut': 1 } });
    expect(statSync(join(dir, 'warnings.csv')).mode & 0o777).toBe(0o600);
  });

  it('ties a source warning to the record the source yields next; writes sink and runner warnings at once; drops those of a record not delivered', () => {
    const tally = new RunTally();
    const file = new WarningsFile(join(dir, 'warnings.csv'), tally);
    file.note('runner', 'runner', 'a stale lock was taken over', undefined, undefined);
    file.open(undefined);
    file.note('auth0', 'source', 'users.ndjson:3: duplicate key "email"', origin(3), 'duplicate keys');
    file.enter(3, user(3), origin(3));
    file.note('field-mapper', 'transform', 'auth0|3: phone dropped', origin(3), 'phone dropped');
    file.note('zitadel-import', 'sink', 'metadata "plan" of auth0|0 not imported', undefined, 'metadata not imported');
    file.enter(4, user(4), origin(4));
    file.note('field-mapper', 'transform', 'auth0|4: phone dropped', origin(4), 'phone dropped');
    file.dropped(4);
    file.acknowledged(3);
    file.finish();
    file.close();
    expect(lines(join(dir, 'warnings.csv')).slice(1)).toEqual([
      '"","","runner","other","a stale lock was taken over",""',
      '"","","zitadel-import","metadata not imported","metadata ""plan"" of auth0|0 not imported",""',
      '"auth0|3","u3@example.com","auth0","duplicate keys","users.ndjson:3: duplicate key ""email""","users.ndjson:3"',
      '"auth0|3","u3@example.com","field-mapper","phone dropped","auth0|3: phone dropped","users.ndjson:3"',
    ]);
    expect(tally.warnings).toBe(4);
    expect(file.holding).toBe(false);
  });
  it("holds only warnings that carry the record's origin; a transform's warning at close and a source's about another line are written at once", () => {
    const tally = new RunTally();
    const file = new WarningsFile(join(dir, 'warnings.csv'), tally);
    file.open(undefined);
    file.note('auth0', 'source', 'passwords.ndjson:9: duplicate key "email"', { file: 'passwords.ndjson', line: 9, offset: 900 }, 'duplicate keys');
    file.enter(1, user(1), origin(1));
    file.note('hash-validator', 'transform', 'verify account a@b.c was never seen in the input', undefined, 'test account not in the input');
    file.close();
    expect(lines(join(dir, 'warnings.csv')).slice(1)).toEqual([
      '"","","auth0","duplicate keys","passwords.ndjson:9: duplicate key ""email""","passwords.ndjson:9"',
      '"","","hash-validator","test account not in the input","verify account a@b.c was never seen in the input",""',
    ]);
    expect(file.holding).toBe(false);
  });

  it('on resume, leaves out what the source warned while preparing (the run resumed listed it), not what it warns about its records', () => {
    const tally = new RunTally();
    const file = new WarningsFile(join(dir, 'warnings.csv'), tally);
    file.open(undefined, true);
    file.note('auth0', 'source', 'passwords.ndjson:9: duplicate key "email"', { file: 'passwords.ndjson', line: 9, offset: 900 }, 'duplicate keys');
    file.note('auth0', 'source', 'users.ndjson:5: duplicate key "name"', origin(5), 'duplicate keys');
    file.note('auth0', 'source', 'users.ndjson:4: duplicate key "name"', origin(4), 'duplicate keys');
    file.skippedAsDone(origin(4));
    file.enter(5, user(5), origin(5));
    file.acknowledged(5);
    file.note('auth0', 'source', 'passwords.ndjson:12: duplicate key "email"', { file: 'passwords.ndjson', line: 12, offset: 1200 }, 'duplicate keys');
    file.finish();
    file.close();
    expect(lines(join(dir, 'warnings.csv')).slice(1).map((line) => line.split('","')[4])).toEqual(['users.ndjson:5: duplicate key ""name""', 'passwords.ndjson:12: duplicate key ""email""']);
    expect(tally.warnings).toBe(2);
  });

  it('is cut back to the length a checkpoint names, header kept, and counts without a file', () => {
    const path = join(dir, 'warnings.csv');
    const first = new WarningsFile(path, new RunTally());
    first.open(undefined);
    first.note('runner', 'runner', 'one', undefined, 'k');
    const keep = first.bytes;
    first.note('runner', 'runner', 'two (after the checkpoint)', undefined, 'k');
    first.close();
    const resumed = new WarningsFile(path, new RunTally());
    resumed.open(keep);
    resumed.note('runner', 'runner', 'three', undefined, 'k');
    resumed.close();
    expect(lines(path).map((line) => line.split(',')[4])).toEqual(['"message"', '"one"', '"three"']);

    const tally = new RunTally();
    const none = new WarningsFile(undefined, tally);
    none.open(undefined);
    none.note('runner', 'runner', 'counted', undefined, 'k');
    expect(tally.warningsByKind).toEqual({ runner: { k: 1 } });
  });
});
