// Shared by this package's tests: an emulator on a random loopback port, closed after the test.
import { type EmulatorOptions, type RunningEmulator, startEmulator } from '@idflow/zitadel-emulator';
import { afterEach } from 'vitest';

export type Emulator = RunningEmulator;

const running: RunningEmulator[] = [];
afterEach(async () => {
  while (running.length) await running.pop()!.close();
});

/** Starts an in-memory emulator for the current test. */
export async function useEmulator(options: EmulatorOptions = {}): Promise<RunningEmulator> {
  const emu = await startEmulator({ port: 0, db: ':memory:', ...options });
  running.push(emu);
  return emu;
}

/** Keeps an emulator started elsewhere open only until the end of the current test. */
export function closeAfterTest(emu: RunningEmulator): void {
  running.push(emu);
}
