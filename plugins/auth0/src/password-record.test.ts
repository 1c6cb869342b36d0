import { describe, expect, it } from 'vitest';
import { parsePasswordRecord } from './password-record.js';

const hash = '$2b$10$UcxceSJhPughEeF6alIe1uPeLeydRlR7MGvxoNgXn3cdPHxFlX68C';

describe('parsePasswordRecord', () => {
  it('reads the id under every spelling real exports use', () => {
    const spellings: { [key: string]: unknown }[] = [
      { _id: { $oid: '60425dc43519d90068f82973' } }, // Auth0 support's export
      { _ID: { $oid: '60425dc43519d90068f82973' } }, // zitadel-tools' example data
      { oid: '60425dc43519d90068f82973' }, // zitadel-tools' test data
      { _id: '60425dc43519d90068f82973' },
      { Oid: '60425dc43519d90068f82973' },
    ];
    for (const id of spellings) {
      const parsed = parsePasswordRecord({ ...id, passwordHash: hash });
      expect(parsed, JSON.stringify(id)).toMatchObject({ key: 'auth0|60425dc43519d90068f82973', password: { hash, oid: '60425dc43519d90068f82973' } });
    }
    expect(parsePasswordRecord({ _ID: { $oid: 'a1' }, alt_id: 'euclid', passwordHash: hash })).toMatchObject({ key: 'auth0|euclid', password: { altId: 'euclid', oid: 'a1' } });
  });

  it('reads the hash as passwordHash or password_hash, in any case', () => {
    for (const key of ['passwordHash', 'password_hash', 'PasswordHash', 'passwordhash']) {
      expect(parsePasswordRecord({ _id: { $oid: 'a1' }, [key]: hash }), key).toMatchObject({ password: { hash } });
    }
    expect(parsePasswordRecord({ _id: { $oid: 'a1' } })).toMatchObject({ password: { hash: '' } });
  });

  it('reads password_set_date in relaxed and canonical extended JSON', () => {
    const iso = '2019-12-06T18:36:12.412Z';
    const millis = Date.parse(iso);
    for (const date of [{ $date: iso }, { $date: { $numberLong: String(millis) } }, { $date: millis }, iso]) {
      expect(parsePasswordRecord({ _id: { $oid: 'a1' }, passwordHash: hash, password_set_date: date }), JSON.stringify(date)).toMatchObject({ password: { setDate: iso } });
    }
  });

  it('names the keys of a record without an id, never its values', () => {
    const parsed = parsePasswordRecord({ id: 'x', email: 'jane@example.com', passwordHash: hash });
    expect(parsed).toEqual({ error: 'password record without an id (_id, _ID or oid, as {"$oid": "…"} or a string, or alt_id); its keys: id, email, passwordHash' });
    expect(JSON.stringify(parsed)).not.toContain('$2b$');
    expect(parsePasswordRecord(['x'])).toEqual({ error: 'password record is not a JSON object' });
  });
});
