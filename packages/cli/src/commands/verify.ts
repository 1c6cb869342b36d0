// `idflow verify <pipeline>`: checks that ZITADEL holds every user the run delivered, in a state
// that lets it log in as before (a migrated hash never INITIAL, a user blocked in Auth0 locked),
// shows every user's state and the messages ZITADEL sends them, and with --login/--logins tries
// real logins. The logic lives in @idflow/plugin-zitadel.
import { resolve } from 'node:path';
import { ExitCode, IdflowError, loadPipeline } from '@idflow/engine';
import { type LoginCheck, formatVerifyReport, parseLoginArgument, readLoginsFile, verifyMigration } from '@idflow/plugin-zitadel';
import type { Argv, CommandModule } from 'yargs';
import { createBuiltinRegistry } from '../builtins.js';

interface VerifyArgs {
  pipeline: string;
  set: string[];
  login: string[];
  logins?: string;
}

const verifyCommand: CommandModule<object, VerifyArgs> = {
  command: 'verify <pipeline>',
  describe:
    'Check that the target holds every user the run wrote, with the right userName, email and state (no migrated hash INITIAL, blocked users locked); show states and the messages ZITADEL sends; optionally try real logins',
  builder: (yargs: Argv) =>
    yargs
      .positional('pipeline', { type: 'string', demandOption: true, describe: 'The pipeline file the migration ran with' })
      .option('set', { type: 'string', array: true, default: [], describe: 'Override a pipeline key: path=value (repeatable)' })
      .option('login', { type: 'string', array: true, default: [], describe: 'Try to log in as email:password through the Session API (repeatable)' })
      .option('logins', { type: 'string', describe: 'File of {email, password} to log in with (NDJSON or a JSON list)' }) as unknown as Argv<VerifyArgs>,
  handler: async (args) => {
    const registry = createBuiltinRegistry();
    const pipeline = await loadPipeline(args.pipeline, { set: args.set, env: process.env, registry });
    const logins: LoginCheck[] = args.login.map(parseLoginArgument);
    if (args.logins) logins.push(...(await readLoginsFile(resolve(args.logins))));
    const report = await verifyMigration({ pipeline, catalog: registry, logins });
    process.stdout.write(`${formatVerifyReport(report).join('\n')}\n`);
    if (!report.ok) throw new IdflowError('verify found missing or different users, users in a wrong state, or failed logins', 'VERIFY_FAILED', ExitCode.incomplete);
  },
};
export default verifyCommand;
