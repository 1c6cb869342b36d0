import { describe, expect, it } from 'vitest';
import { decodeCell, rowToObject } from './csv-cells.js';

describe('CSV cells', () => {
  it("strips the leading ' of string cells and keeps typed unprefixed cells", () => {
    expect(decodeCell('name', "'O'Brien")).toBe("O'Brien");
    expect(decodeCell('name', "'")).toBe('');
    expect(decodeCell('name', '')).toBeUndefined();
    expect(decodeCell('email_verified', 'true')).toBe(true);
    expect(decodeCell('email_verified', "'false")).toBe(false);
    expect(decodeCell('logins_count', '12')).toBe(12);
    expect(decodeCell('user_id', '12')).toBe('12');
    expect(decodeCell('user_metadata.code', "'007")).toBe('007');
    expect(decodeCell('identities', `'[{"provider":"auth0"}]`)).toEqual([{ provider: 'auth0' }]);
    expect(decodeCell('identities', "'not json")).toBe('not json');
  });

  it('rebuilds nested objects from leaf paths', () => {
    const columns = ['user_id', 'user_metadata.plan', 'user_metadata.address.city', 'app_metadata.tier'].map((c) => c.split('.'));
    expect(rowToObject(columns, ["'auth0|1", "'pro", "'Zürich", '2'])).toEqual({
      user_id: 'auth0|1',
      user_metadata: { plan: 'pro', address: { city: 'Zürich' } },
      app_metadata: { tier: 2 },
    });
  });
});
