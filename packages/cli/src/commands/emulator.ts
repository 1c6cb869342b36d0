// `idflow emulator`: run the local ZITADEL emulator until SIGINT/SIGTERM. Thin on purpose: flags →
// options (in @idflow/zitadel-emulator, tested there) → startEmulator → banner → wait → close.
import { ExitCode, IdflowError } from '@idflow/engine';
import type { Auth0StandInFlags, EmulatorFlags, RunningAuth0StandIn } from '@idflow/zitadel-emulator';
import type { Argv, CommandModule } from 'yargs';
import { UsageError } from '../exit-codes.js';

interface EmulatorArgs extends EmulatorFlags, Auth0StandInFlags {
  createServiceUser?: string;
  auth0?: boolean;
}

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      for (const name of SIGNALS) process.off(name, onSignal);
      resolve(signal);
    };
    for (const name of SIGNALS) process.on(name, onSignal);
  });
}

const emulatorCommand: CommandModule<object, EmulatorArgs> = {
  command: 'emulator',
  describe: 'Run a local ZITADEL-compatible API (import, users v2, sessions, events) backed by SQLite',
  builder: (yargs: Argv) =>
    yargs
      .option('port', { type: 'number', default: 8080, describe: 'TCP port (0 picks a free one)' })
      .option('host', { type: 'string', default: '127.0.0.1', describe: 'Interface to listen on' })
      .option('db', { type: 'string', default: ':memory:', describe: 'SQLite file that keeps everything across restarts, or :memory:' })
      .option('pat', { type: 'string', describe: 'Use this IAM_OWNER personal access token instead of a generated one' })
      .option('org', { type: 'string', array: true, describe: 'An org id that must exist (repeatable); default: one ready org' })
      .option('idp', {
        type: 'string',
        array: true,
        describe:
          'An identity provider IdP links may name (repeatable): id[:name[:flags]], flags comma-separated from create, link, autocreate, autoupdate, autolink=username|email, or none; default create,link',
      })
      .option('verifiers', { type: 'string', describe: 'Enabled hash verifiers, comma-separated (default bcrypt), e.g. bcrypt,argon2,pbkdf2' })
      .option('rate-limit', { type: 'string', describe: 'Requests per second per client (429 beyond), or "cloud" for 50/s' })
      .option('faults', { type: 'string', describe: 'Fault probabilities, e.g. 503=0.05,429=0.02,slow=0.1,reset=0.01,timeout=0.01,slowMs=2000' })
      .option('fault-seed', { type: 'number', describe: 'Seed of the fault PRNG: the same seed repeats the same faults' })
      .option('write-cost-ms', { type: 'number', describe: 'Simulated write cost per user in ms (default 0)' })
      .option('max-concurrent', { type: 'number', describe: 'Requests in work at once before overload answers (default 64)' })
      .option('overload-status', { type: 'number', choices: [429, 503], describe: 'Answer beyond --max-concurrent (default 503)' })
      .option('token-ttl', { type: 'number', describe: 'Access token lifetime in seconds (default 43199)' })
      .option('issuer', { type: 'string', describe: 'Issuer URL that JWT assertions must use as aud (default: the emulator URL)' })
      .option('create-service-user', {
        type: 'string',
        describe: 'Create an IAM_OWNER service user: write its key JSON to this file (mode 0600) and print its client id/secret',
      })
      .option('auth0', { type: 'boolean', default: false, describe: 'Also start the Auth0 Management API stand-in (token, users-export jobs, download) for the auth0-management source' })
      .option('auth0-port', { type: 'number', default: 0, describe: 'Port of the Auth0 stand-in (0 picks a free one)' })
      .option('auth0-users', { type: 'number', default: 1000, describe: 'Users in the stand-in tenant (generated, with their password export)' })
      .option('auth0-seed', { type: 'number', default: 1, describe: 'Seed of the stand-in tenant' })
      .option('auth0-dir', { type: 'string', describe: 'Folder for the stand-in tenant and its export files (default: a temp folder removed on exit)' }) as unknown as Argv<EmulatorArgs>,
  handler: async (args) => {
    // Loaded here, not at startup: every other command would pay for it.
    const { Auth0StandInFlagError, EmulatorFlagError, auth0StandInOptionsFromFlags, emulatorOptionsFromFlags, formatAuth0Banner, formatStartupBanner, startAuth0StandIn, startEmulator } =
      await import('@idflow/zitadel-emulator');
    let options: ReturnType<typeof emulatorOptionsFromFlags>;
    let auth0Options: ReturnType<typeof auth0StandInOptionsFromFlags> | undefined;
    try {
      options = emulatorOptionsFromFlags(args);
      if (args.auth0) auth0Options = auth0StandInOptionsFromFlags(args);
    } catch (error) {
      if (error instanceof EmulatorFlagError || error instanceof Auth0StandInFlagError) throw new UsageError(error.message);
      throw error;
    }
    const emulator = await startEmulator(options).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        throw new IdflowError(`port ${args.port} on ${args.host} is in use; pick another with --port (0 = any free port)`, 'PORT_IN_USE', ExitCode.config);
      }
      if (error instanceof RangeError) throw new UsageError(error.message);
      throw error;
    });
    let standIn: RunningAuth0StandIn | undefined;
    try {
      const serviceUser = args.createServiceUser ? await emulator.createServiceUser({ keyFile: args.createServiceUser }) : undefined;
      if (auth0Options) standIn = await startAuth0StandIn(auth0Options);
      process.stdout.write(formatStartupBanner(emulator, serviceUser).replace(/Press Ctrl\+C to stop\.\n$/, ''));
      if (standIn) process.stdout.write(formatAuth0Banner(standIn));
      process.stdout.write('Press Ctrl+C to stop.\n');
      const signal = await untilSignal();
      process.stderr.write(`${signal}: closing the emulator\n`);
    } finally {
      await standIn?.close();
      await emulator.close();
    }
  },
};
export default emulatorCommand;
