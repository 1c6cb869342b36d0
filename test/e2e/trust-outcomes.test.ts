// Issue 13 case 4, the engine's side: a run that delivered nothing from a non-empty input exits 1,
// and the shipped pipelines stop (exit 1) once too many users are refused, with the numbers.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateAuth0Export } from '@idflow/fixtures';
import { type RunningEmulator, startEmulator } from '@idflow/zitadel-emulator';
import { afterAll, describe, expect, it } from 'vitest';
import { makeTempDir, readNdjson, repoRoot, runCli, userLines, writeLines, writePipeline } from './helpers.js';

const temp = makeTempDir('idflow-outcomes-e2e-');
const emulators: RunningEmulator[] = [];
afterAll(async () => {
  for (const emu of emulators) await emu.close();
  temp.cleanup();
});

async function emulator(options: Parameters<typeof startEmulator>[0] = {}): Promise<RunningEmulator> {
  const emu = await startEmulator({ port: 0, ...options });
  emulators.push(emu);
  return emu;
}

function zitadelEnv(emu: RunningEmulator, profiles: string, passwords: string, outDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  return { AUTH0_PROFILES: profiles, AUTH0_PASSWORDS: passwords, ZITADEL_URL: emu.url, ZITADEL_PAT: emu.pat, ZITADEL_ORG_ID: emu.orgId, OUT_DIR: outDir, ...extra };
}

describe('nothing delivered from a non-empty input', () => {
  it('a UTF-16 export (every profile unreadable) exits 1 and says no user was delivered', async () => {
    const emu = await emulator();
    const generated = await generateAuth0Export({ dir: join(temp.dir, 'utf16'), users: 200, seed: 4, formats: ['ndjson'], edgeCases: false });
    const profiles = join(temp.dir, 'utf16', 'profiles-utf16.json');
    const { readFileSync } = await import('node:fs');
    writeFileSync(profiles, Buffer.from(`\ufeff${readFileSync(generated.profiles.ndjson!, 'utf8')}`, 'utf16le'));
    const outDir = join(temp.dir, 'utf16-out');
    // maxRejects out of the way: this is about the outcome itself. The auth0 source reads UTF-16 by
    // its byte-order mark since auth0-inputs; told the file is UTF-8, every line is unreadable.
    const result = await runCli(['run', join(repoRoot, 'pipelines', 'auth0-to-zitadel.yaml'), '--set', 'source.with.encoding=utf-8'], {
      env: zitadelEnv(emu, profiles, generated.passwords, outDir, { IDFLOW_MAX_REJECTS: '100%' }),
    });
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/auth0-to-zitadel: failed: no user was delivered/);
    expect(result.stderr).toMatch(/^idflow: (no user was delivered: all [\d,]+ users read were rejected|the input holds no users)/m);
    const report = JSON.parse(readFileSync(join(outDir, 'report.json'), 'utf8')) as { status: string; error: { code: string }; counts: { written: number } };
    expect(report).toMatchObject({ status: 'nothing-delivered', error: { code: 'NOTHING_DELIVERED' }, counts: { written: 0 } });
    expect(emu.stats().users).toBe(0);
  }, 120_000);

  it('every record rejected exits 1, in a dry run too', async () => {
    writeLines(join(temp.dir, 'garbage.ndjson'), ['not json', '{"broken": ', '\u0000\u0001\u0002']);
    writePipeline(temp.dir, 'garbage.yaml', [
      'version: 1',
      'source: { use: ndjson, with: { path: garbage.ndjson } }',
      'sink: { use: ndjson, with: { path: garbage-out/users.ndjson } }',
      'dlq: { path: garbage-out/dead-letter.ndjson }',
    ]);
    const run = await runCli(['run', 'garbage.yaml'], { cwd: temp.dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('idflow: no user was delivered: all 3 users read were rejected; most common reason: malformed JSON');
    expect(readNdjson(join(temp.dir, 'garbage-out', 'dead-letter.ndjson'))).toHaveLength(3);
    const dry = await runCli(['run', 'garbage.yaml', '--dry-run'], { cwd: temp.dir });
    expect(dry.code).toBe(1);
    expect(dry.stderr).toContain('idflow: no user would be delivered: all 3 users read were rejected');
  });
});

describe('the shipped pipelines carry a maxRejects default', () => {
  it('stops once more than 10% of the users are refused (judged after 1,000), giving the numbers; IDFLOW_MAX_REJECTS overrides', async () => {
    // The instance does enable md5plain: otherwise the sink stops the run at the first md5plain
    // users ZITADEL refuses (a verifier the pipeline claims but the instance lacks), before maxRejects.
    const emu = await emulator({ verifiers: ['bcrypt', 'md5plain'] });
    const generated = await generateAuth0Export({ dir: join(temp.dir, 'verifiers'), users: 3000, seed: 9, formats: ['ndjson'] });
    const pipeline = join(repoRoot, 'pipelines', 'auth0-to-zitadel.yaml');
    // A verifier list that leaves out bcrypt, which most users have: a setting mistake, not a few bad users.
    const env = zitadelEnv(emu, generated.profiles.ndjson!, generated.passwords, join(temp.dir, 'verifiers-out'), { ZITADEL_VERIFIERS: 'md5plain' });
    const stopped = await runCli(['run', pipeline], { env });
    expect(stopped.code).toBe(1);
    expect(stopped.stdout).toContain('stopped: too many rejected records (maxRejects)');
    const message = /^idflow: stopped: ([\d,]+) of ([\d,]+) rejected = (\d+\.\d) % > 10 % \(maxRejects\); see the dead-letter output$/m.exec(stopped.stderr);
    expect(message, stopped.stderr).not.toBeNull();
    const [rejected, read] = [Number(message![1].replace(/,/g, '')), Number(message![2].replace(/,/g, ''))];
    expect(read).toBeGreaterThanOrEqual(1000);
    expect(read).toBeLessThan(3000);
    expect(Number(message![3])).toBe(Math.round((rejected / read) * 1000) / 10);

    const allowed = await runCli(['run', pipeline, '--fresh'], { env: { ...env, IDFLOW_MAX_REJECTS: '100%' } });
    expect(allowed.code, allowed.stderr.slice(-2000)).toBe(0);
  }, 300_000);

  it('a count works as well as a percentage', async () => {
    writeLines(join(temp.dir, 'copy-in.ndjson'), [...userLines(20), 'broken', 'broken too']);
    const result = await runCli(['run', join(repoRoot, 'pipelines', 'ndjson-copy.yaml')], {
      env: { IDFLOW_INPUT: join(temp.dir, 'copy-in.ndjson'), IDFLOW_OUTPUT_DIR: join(temp.dir, 'copy-out'), IDFLOW_MAX_REJECTS: '1' },
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('idflow: stopped: 2 records rejected > 1 (maxRejects); see the dead-letter output');
  });
});
