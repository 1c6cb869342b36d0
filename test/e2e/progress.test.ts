// The progress a run shows: users done of an estimated total, a percentage below 100 % until the
// end, and an ETA that is the users left at the rate users get done — on a large export (over
// 250,000 password records, where the join index goes to disk and the source takes a while before
// its first user), and with an online sink whose rate limit, not the reading, sets the pace. Read
// from the progress lines the CLI logs when its output is not a terminal (--log-format json
// carries the numbers as fields).
import { join } from 'node:path';
import { generateAuth0Export } from '@idflow/fixtures';
import { type RunningEmulator, startEmulator } from '@idflow/zitadel-emulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, repoRoot, runCli } from './helpers.js';

const USERS = 300_000;

interface ProgressLine {
  msg: string;
  counts: { read: number };
  users: { done: number; total?: number; totalExact: boolean; perSecond: number; etaMs?: number };
}

function progressLines(stderr: string): ProgressLine[] {
  return stderr
    .split('\n')
    .filter((line) => line.includes('"msg":"progress: '))
    .map((line) => JSON.parse(line) as ProgressLine);
}

/** Lines while under way: a total near `users`, below 100 %, the ETA the users left at the shown rate. */
function expectHonestProgress(lines: ProgressLine[], users: number): void {
  const underway = lines.filter((line) => line.users.done > 0 && line.users.done < users);
  expect(underway.length).toBeGreaterThanOrEqual(3);
  for (const { msg, users: u } of underway) {
    expect(u.total, msg).toBeDefined();
    const percent = Number(/users done \((\d+)%\)/.exec(msg)?.[1]);
    expect(percent, msg).toBeLessThan(100);
    expect(percent, msg).toBe(Math.floor((100 * u.done) / u.total!));
    expect(msg).toContain(`${u.done.toLocaleString('en-US')} of ${u.totalExact ? '' : '~'}${u.total!.toLocaleString('en-US')} users done`);
    // Past the first few percent, the estimate is within 10 % of the real total.
    if (u.done > users * 0.05) expect(Math.abs(u.total! - users) / users, msg).toBeLessThan(0.1);
  }
  const withEta = underway.filter((line) => line.users.etaMs !== undefined);
  expect(withEta.length).toBeGreaterThanOrEqual(2);
  for (const { msg, users: u } of withEta) {
    expect(msg).toMatch(/, ETA \d+(s|m\d\ds|h\d\dm)$/);
    const expected = ((u.total! - u.done) / u.perSecond) * 1000;
    // perSecond is rounded in the line: allow for it.
    expect(Math.abs(u.etaMs! - expected), msg).toBeLessThanOrEqual(Math.max(1000, expected * 0.02));
  }
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
  lines = progressLines(result.stderr);
}, 300_000);
afterAll(() => temp.cleanup());

describe(`progress of a ${USERS.toLocaleString('en-US')}-user export`, () => {
  it('runs to the end', () => {
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
    expect(result.stderr).toContain('join index for passwords spilled to disk');
  });

  it('shows users done of an estimated total close to the real one, below 100 % until the end, and an ETA from the rate', () => {
    expectHonestProgress(lines, USERS);
  });
});

describe('progress with an online sink held back by the target’s rate limit', () => {
  // Well over what is in flight at once (4 calls of 256 users, and a batch being filled).
  const users = 3_000;
  let emulator: RunningEmulator;
  let online: ProgressLine[];

  beforeAll(async () => {
    const generated = await generateAuth0Export({ dir: join(temp.dir, 'online-export'), users, seed: 9, formats: ['ndjson'], edgeCases: false });
    emulator = await startEmulator({ port: 0 });
    const run = await runCli(['run', join(repoRoot, 'pipelines', 'auth0-to-zitadel-v2.yaml'), '--log-format', 'json'], {
      env: {
        AUTH0_PROFILES: generated.profiles.ndjson!,
        AUTH0_PASSWORDS: generated.passwords,
        ZITADEL_URL: emulator.url,
        ZITADEL_PAT: emulator.pat,
        ZITADEL_ORG_ID: emulator.orgId,
        ZITADEL_CONCURRENCY: '4',
        // Requests per second: the whole export is read long before the target has taken it.
        ZITADEL_RATE_LIMIT: '150',
        OUT_DIR: join(temp.dir, 'online-out'),
        // What the target refuses is not what this test is about.
        IDFLOW_MAX_REJECTS: '50%',
        IDFLOW_PROGRESS_INTERVAL_MS: '1000',
      },
    });
    expect(run.code, run.stdout + run.stderr.slice(-1000)).toBe(0);
    online = progressLines(run.stderr);
  }, 120_000);
  afterAll(async () => {
    await emulator?.close();
  });

  it('estimates the total from the users handed on, not the bytes read ahead, and times the ETA by the users the target took', () => {
    expectHonestProgress(online, users);
    // Users are read ahead of the target (in flight): the ETA counts the ones it acknowledged.
    expect(online.some((line) => line.counts.read > line.users.done)).toBe(true);
    // The total was an estimate for a while: the export was not read whole at once.
    expect(online.some((line) => line.users.done > 0 && !line.users.totalExact)).toBe(true);
  });
});
