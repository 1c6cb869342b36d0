// Placeholder: `idflow demo` is written by another part of the project; until then it says so.
import { ExitCode, IdflowError } from '@idflow/engine';
import type { CommandModule } from 'yargs';

const demoCommand: CommandModule = {
  command: 'demo',
  describe: 'Run the demo migration end to end (not available yet)',
  handler: () => {
    throw new IdflowError('"idflow demo" is not available yet', 'NOT_AVAILABLE', ExitCode.config);
  },
};
export default demoCommand;
