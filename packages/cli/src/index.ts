// Programmatic use of the CLI: `await main(['run', 'pipelines/x.yaml'])` resolves with the exit code.
export { main } from './main.js';
export { builtinPlugins, createBuiltinRegistry } from './builtins.js';
export { describeError, exitCodeFor } from './exit-codes.js';
