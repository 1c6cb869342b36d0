// Placeholder: `idflow emulator` is written by another part of the project; until then it says so.
import { ExitCode, IdflowError } from '@idflow/engine';
import type { CommandModule } from 'yargs';

const emulatorCommand: CommandModule = {
  command: 'emulator',
  describe: 'Run the local ZITADEL emulator (not available yet)',
  handler: () => {
    throw new IdflowError('"idflow emulator" is not available yet', 'NOT_AVAILABLE', ExitCode.config);
  },
};
export default emulatorCommand;
