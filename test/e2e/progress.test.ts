// The progress a run shows on a large export (over 250,000 password records, where the join index
// goes to disk and the source takes a while before its first user): users done of an estimated
// total, a percentage below 100 % until the end, and an ETA that follows the rate — read from the
// progress lines the CLI logs when its output is not a terminal (--log-format json carries the
// numbers as fields).
import { join } from 'node:path';
import { generateAuth0Export } from '@idflow/fixtures';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, repoRoot, runCli } from './helpers.js';

const USERS = 300_000;

interface ProgressLine {
  msg: string;
  users: { done: number; total?: number; totalExact: boolean; perSecond: number; etaMs?: number };
}

let temp: ReturnType<typeof makeTempDir>;
let lines: ProgressLine[];
let result: Awaited<ReturnType<typeof runCli>>;

beforeAll(async () => {
  temp = makeTempDir('idflow-progress-');
  const generated = await generateAuth0Export({ dir: join(temp.dir, 'export'), users: USERS, seed: 42, formats: ['ndjson'], edgeCases: false });
  result = await runCli(['run', join(repoRoot, 'pipelines', 'auth0-to-file.yaml'), '--log-format', 'json'], {
    env: {
      AUTH0_PROFILES: generated.profiles.ndjson!,
      AUTH0_PASSWORDS: generated.passwords,
      ZITADEL_ORG_ID: '200000000000000001',
      OUT_DIR: join(temp.dir, 'out'),
      IDFLOW_PROGRESS_INTERVAL_MS: '400',
    },
  });
  lines = result.stderr
    .split('\n')
    .filter((line) => line.includes('"msg":"progress: '))
    .map((line) => JSON.parse(line) as ProgressLine);
}, 300_000);
afterAll(() => temp.cleanup());

describe(`progress of a ${USERS.toLocaleString('en-US')}-user export`, () => {
  it('runs to the end', () => {
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    expect(result.stderr).toContain('join index for passwords spilled to disk');
  });

  it('shows users done of an estimated total close to the real one, below 100 % until the end', () => {
    const underway = lines.filter((line) => line.users.done > 0 && line.users.done < USERS);
    expect(underway.length).toBeGreaterThanOrEqual(3);
    for (const { msg, users } of underway) {
      expect(users.total, msg).toBeDefined();
      const percent = Number(/users done \((\d+)%\)/.exec(msg)?.[1]);
      expect(percent, msg).toBeLessThan(100);
      expect(percent, msg).toBe(Math.floor((100 * users.done) / users.total!));
      expect(msg).toContain(`${users.done.toLocaleString('en-US')} of ~${users.total!.toLocaleString('en-US')} users done`);
      // Past the first few percent, the estimate is within 10 % of the real total.
      if (users.done > USERS * 0.05) expect(Math.abs(users.total! - USERS) / USERS, msg).toBeLessThan(0.1);
    }
  });

  it('gives an ETA that is the users left at the current rate', () => {
    const withEta = lines.filter((line) => line.users.etaMs !== undefined && line.users.done < USERS);
    expect(withEta.length).toBeGreaterThanOrEqual(2);
    for (const { msg, users } of withEta) {
      expect(msg).toMatch(/, ETA \d+(s|m\d\ds|h\d\dm)$/);
      const expected = ((users.total! - users.done) / users.perSecond) * 1000;
      // perSecond is rounded in the line: allow for it.
      expect(Math.abs(users.etaMs! - expected), msg).toBeLessThanOrEqual(Math.max(1000, expected * 0.01));
    }
  });
});
