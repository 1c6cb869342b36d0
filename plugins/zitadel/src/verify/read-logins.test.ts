import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseLoginArgument, readLoginsFile } from './read-logins.js';

describe('logins', () => {
  it('parses email:password, keeping colons in the password', () => {
    expect(parseLoginArgument('a@b.c:pa:ss')).toEqual({ email: 'a@b.c', password: 'pa:ss' });
    expect(() => parseLoginArgument('a@b.c')).toThrow(/email:password/);
  });
  it('reads NDJSON and JSON lists, locating bad lines without printing passwords', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'logins-'));
    const ndjson = join(dir, 'logins.ndjson');
    await writeFile(ndjson, '{"email":"a@b.c","password":"x1"}\n\n{"email":"d@e.f","password":"x2"}\n');
    expect(await readLoginsFile(ndjson)).toEqual([
      { email: 'a@b.c', password: 'x1' },
      { email: 'd@e.f', password: 'x2' },
    ]);
    const list = join(dir, 'logins.json');
    await writeFile(list, '[{"email":"a@b.c","password":"x1"}]');
    expect(await readLoginsFile(list)).toEqual([{ email: 'a@b.c', password: 'x1' }]);
    const bad = join(dir, 'bad.ndjson');
    await writeFile(bad, '{"email":"a@b.c","password":"x1"}\n{"email":"a@b.c","password":"secret-9"\n');
    await expect(readLoginsFile(bad)).rejects.toThrow(/bad\.ndjson:2/);
    await expect(readLoginsFile(bad)).rejects.not.toThrow(/secret-9/);
  });
});
