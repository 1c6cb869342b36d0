// The README's first command runs `idflow demo`: through the built command (bundled), a synthetic
// export is migrated into the embedded emulator and verified with real logins.
import { join } from 'node:path';
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
    expect(result.stdout).toContain('every migrated user found; 5 real logins succeeded');
    expect(result.stdout).toContain(join(out, 'migration', 'dead-letter.ndjson'));
  }, 120_000);
});
