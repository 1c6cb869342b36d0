// The emulator as a process of its own (`idflow emulator`), for tests where the target really goes
// away (killed) and comes back (restarted on the same port, with the same SQLite file).
import type { RunningEmulator } from '@idflow/zitadel-emulator';
import { type RunningCli, startCli, waitFor } from './helpers.js';

export interface EmulatorProcess {
  url: string;
  pat: string;
  orgId: string;
  running: RunningCli;
  /** Kills it without warning (SIGKILL): a crash, a network cut. */
  kill(): Promise<void>;
  /** Stops it (SIGTERM) and waits for it to exit. */
  stop(): Promise<void>;
}

export interface EmulatorProcessOptions {
  db: string;
  pat: string;
  org: string;
  /** 0 picks a free port. */
  port?: number;
  writeCostMs?: number;
  /** Enabled hash verifiers, comma-separated (the emulator's default: bcrypt). */
  verifiers?: string;
}

/** Starts `idflow emulator` and resolves once it listens. */
export async function startEmulatorProcess(options: EmulatorProcessOptions): Promise<EmulatorProcess> {
  const args = ['emulator', '--port', String(options.port ?? 0), '--db', options.db, '--pat', options.pat, '--org', options.org];
  if (options.writeCostMs) args.push('--write-cost-ms', String(options.writeCostMs));
  if (options.verifiers) args.push('--verifiers', options.verifiers);
  const running = startCli(args);
  let url: string | undefined;
  await waitFor(() => {
    url = /listening on (http:\/\/\S+)/.exec(running.output().stdout)?.[1];
    if (running.child.exitCode !== null) throw new Error(`the emulator exited: ${running.output().stderr}`);
    return url !== undefined;
  }, 'the emulator to listen');
  return {
    url: url!,
    pat: options.pat,
    orgId: options.org,
    running,
    async kill() {
      running.child.kill('SIGKILL');
      await running.done;
    },
    async stop() {
      running.child.kill('SIGTERM');
      await running.done;
    },
  };
}

/** What `emulatorUserIds` and the exact-migration check need of an emulator they only reach over HTTP. */
export function overHttp(emulator: EmulatorProcess, users: number): RunningEmulator {
  return { url: emulator.url, pat: emulator.pat, orgId: emulator.orgId, stats: () => ({ users }) } as unknown as RunningEmulator;
}
