import { describe, expect, it } from 'vitest';
import { makeUser } from '../test-support.test-helpers.js';
import { buildImportRequest, ImportBodyBytes } from './build-import-request.js';

describe('ImportBodyBytes', () => {
  it('is exactly the JSON of buildImportRequest, record by record, and starts over after take()', () => {
    const records = [
      makeUser(1),
      makeUser(2, { profile: { firstName: 'Zoë "Q"', lastName: 'Ünïcødé \u2028 名前' } }, { passwordResetRequired: true }),
      makeUser(3, { hashedPassword: undefined }, { state: 'USER_STATE_LOCKED', metadata: [] }),
      makeUser(4, {}, { metadata: [{ key: 'a', value: 'YQ==' }, { key: 'b', value: 'Yg==' }] }),
    ];
    for (const org of [{ orgId: 'org-1' }, { orgId: 'org "2"', orgName: 'Acme \\ Inc' }]) {
      const text = new ImportBodyBytes(org, '5m0s');
      for (const record of records) text.add(record);
      expect(text.size).toBe(4);
      const copy = new ImportBodyBytes(org, '5m0s');
      for (const [user, metadata] of text.snapshot()) copy.addJson(user, metadata);
      expect(copy.take().toString()).toBe(JSON.stringify(buildImportRequest(records, org, '5m0s')));
      expect(text.take('\n').toString()).toBe(`${JSON.stringify(buildImportRequest(records, org, '5m0s'))}\n`);
      expect(text.size).toBe(0);
      text.add(records[0]);
      expect(text.take().toString()).toBe(JSON.stringify(buildImportRequest([records[0]], org, '5m0s')));
    }
  });
});
