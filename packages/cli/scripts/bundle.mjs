// Bundles the `idflow` command (dist/main.js and everything it imports: engine, built-in plugins,
// their dependencies) into dist/bundle/, and points dist/bin.js at it, so a run starts by loading
// a few files instead of ~700 modules (Node 20 spends ~0.5 s resolving and linking those). Native
// and worker-thread code stays where tsc put it: `import.meta.url` in each bundled module is
// rewritten to that module's own file, relative to the bundle, so workers, package.json reads and
// createRequire resolve as before.
import { chmodSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const cliDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(cliDir, 'dist', 'bundle');

/** `import.meta.url` of a bundled module → the URL of the file it came from, relative to the bundle. */
const ownImportMetaUrl = {
  name: 'own-import-meta-url',
  transform(code, id) {
    if (!code.includes('import.meta.url') || id.includes('\0')) return null;
    const path = relative(outDir, id).split('\\').join('/');
    return { code: code.replaceAll('import.meta.url', `new URL(${JSON.stringify(path)}, import.meta.url).href`), map: null };
  },
};

rmSync(outDir, { recursive: true, force: true });
const bundle = await rolldown({
  input: { main: join(cliDir, 'dist', 'main.js') },
  platform: 'node',
  // Native addons load from node_modules as usual: from this package's (hence its dependency on
  // better-sqlite3, which the bundled emulator and stores import).
  external: ['better-sqlite3'],
  plugins: [ownImportMetaUrl],
  logLevel: 'warn',
  onLog(level, log, handler) {
    if (log.code === 'INEFFECTIVE_DYNAMIC_IMPORT') return;
    handler(level, log);
  },
});
await bundle.write({ dir: outDir, format: 'esm', entryFileNames: '[name].js', chunkFileNames: '[name]-[hash].js' });
await bundle.close();

// The entry point tsc built from src/bin.ts, importing the bundle instead of the separate modules.
const bin = join(cliDir, 'dist', 'bin.js');
const entry = readFileSync(bin, 'utf8');
const bundled = entry.replace("from './main.js'", "from './bundle/main.js'");
if (!bundled.includes("'./bundle/main.js'")) throw new Error(`dist/bin.js does not import './main.js' as expected:\n${entry}`);
writeFileSync(bin, bundled);
chmodSync(bin, 0o755);
