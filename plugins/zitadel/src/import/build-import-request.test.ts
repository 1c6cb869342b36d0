import { describe, expect, it } from 'vitest';
import { makeUser } from '../test-support.test-helpers.js';
import { buildImportRequest, ImportBodyBytes, metadataEntryJsons, userEntryJson } from './build-import-request.js';
import type { ZitadelUserRecord } from '@idflow/zitadel-model';

/** Adds a record as the zitadel-file sink and its writer do: its JSON built, then added. */
function add(body: ImportBodyBytes, record: ZitadelUserRecord): void {
  const metadata: string[] = [];
  metadataEntryJsons(record, metadata);
  body.addJson(userEntryJson(record), metadata);
}

/** The body's bytes as one buffer (the writer writes the parts in order). */
function take(body: ImportBodyBytes, suffix?: string): Buffer {
  return Buffer.concat(body.takeParts(suffix));
}

describe('ImportBodyBytes', () => {
  it('is exactly the JSON of buildImportRequest, record by record, and starts over after takeParts()', () => {
    const records = [
      makeUser(1),
      makeUser(2, { profile: { firstName: 'Zoë "Q"', lastName: 'Ünïcødé \u2028 名前' } }, { passwordResetRequired: true }),
      makeUser(3, { hashedPassword: undefined }, { state: 'USER_STATE_LOCKED', metadata: [] }),
      makeUser(4, {}, { metadata: [{ key: 'a', value: 'YQ==' }, { key: 'b', value: 'Yg==' }] }),
    ];
    for (const org of [{ orgId: 'org-1' }, { orgId: 'org "2"', orgName: 'Acme \\ Inc' }]) {
      const text = new ImportBodyBytes(org, '5m0s');
      for (const record of records) add(text, record);
      expect(text.size).toBe(4);
      const copy = new ImportBodyBytes(org, '5m0s');
      for (const [user, metadata] of text.snapshot()) copy.addJson(user, metadata);
      expect(take(copy).toString()).toBe(JSON.stringify(buildImportRequest(records, org, '5m0s')));
      expect(take(text, '\n').toString()).toBe(`${JSON.stringify(buildImportRequest(records, org, '5m0s'))}\n`);
      expect(text.size).toBe(0);
      add(text, records[0]);
      expect(take(text).toString()).toBe(JSON.stringify(buildImportRequest([records[0]], org, '5m0s')));
    }
  });
});
