// The README's first command runs `idflow demo`: through the built command (bundled), a synthetic
// export is migrated into the embedded emulator and verified with real logins, every user ACTIVE
// (locked when blocked) with no code and no message.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { makeTempDir, runCli } from './helpers.js';

let temp: ReturnType<typeof makeTempDir>;
beforeEach(() => {
  temp = makeTempDir();
});
afterEach(() => temp.cleanup());

describe('idflow demo', () => {
  it('migrates a small synthetic export into the embedded emulator and logs users in', async () => {
    const out = join(temp.dir, 'demo');
    const result = await runCli(['demo', '--users', '300', '--logins', '5', '--out', out], { cwd: temp.dir });
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/migrated:\s+\d+ users/);
    // The default onboarding: users the bulk import would make INITIAL go through AddHumanUser;
    // none ends INITIAL, and ZITADEL would send nobody anything.
    expect(result.stdout).toMatch(/through:\s+bulk import \d+, v2 AddHumanUser [1-9]\d* \(e-mail not verified \d+/);
    expect(result.stdout).toMatch(/in the target:\s+\d+ users: \d+ active, 0 initial, [1-9]\d* locked, 0 inactive/);
    expect(result.stdout).toContain('messages sent:     0 init e-mails, 0 verification e-mails, 0 SMS');
    expect(result.stdout).toContain('every migrated user found; 5 real logins succeeded');
    expect(result.stdout).toContain(join(out, 'migration', 'dead-letter.ndjson'));
    // The recap links the page to open.
    const html = join(out, 'migration', 'report.html');
    expect(result.stdout).toContain(`report (open it):  ${pathToFileURL(html).href}`);
    expect(readFileSync(html, 'utf8')).toContain('<title>auth0-to-zitadel: completed — idflow report</title>');
  }, 120_000);
});
