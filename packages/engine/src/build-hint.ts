// What to tell someone whose plugin module is not built yet: Node imports JavaScript, so a `.ts`
// file (or a package whose `dist/` does not exist) must be compiled first. The hint names the
// command for where the plugin lives: its package's build script, its tsconfig, or plain tsc.
import { existsSync, readFileSync } from 'node:fs';
import { basename, dirname, extname, isAbsolute, join, relative } from 'node:path';

/** True for a file Node 20 cannot import as such (TypeScript). */
export function isTypeScriptFile(path: string): boolean {
  return /\.(?:ts|mts|cts|tsx)$/.test(path) && !path.endsWith('.d.ts');
}

/**
 * `build it first: …, then list …` for a TypeScript plugin file; a built file that may be the one
 * meant is named as `plugins:` would (relative to `baseDir`, absolute when `specifier` was).
 */
export function typeScriptPluginHint(path: string, specifier: string, baseDir: string): string {
  const found = builtCandidate(path);
  const built = found && (isAbsolute(specifier) ? found : asRelative(relative(baseDir, found)));
  const then = built ? `then list the built file instead: ${built}` : 'then list the .js file it writes under `plugins:`';
  return `plugin module "${specifier}" is TypeScript, which Node cannot load: build it first (${buildCommand(dirname(path), path)}), ${then}`;
}

/** The command that builds the package or project holding `dir` (`file`: a lone file, else undefined). */
export function buildCommand(dir: string, file?: string): string {
  const pkg = nearest(dir, 'package.json');
  if (pkg) {
    const scripts = (JSON.parse(readFileSync(pkg, 'utf8')) as { scripts?: { [name: string]: string } }).scripts ?? {};
    if (scripts.build) return `cd ${dirname(pkg)} && npm run build`;
  }
  const tsconfig = nearest(dir, 'tsconfig.json');
  if (tsconfig) return `npx tsc -p ${tsconfig}`;
  return file ? `npx tsc --module nodenext --target es2022 --outDir ${join(dir, 'dist')} ${file}` : `cd ${dir} && npx tsc`;
}

/** A built file next to the source that may be the one meant: `x.js` beside `x.ts`, or `dist/x.js`. */
function builtCandidate(path: string): string | undefined {
  const stem = basename(path, extname(path));
  const dir = dirname(path);
  const candidates = [join(dir, `${stem}.js`), join(dir, 'dist', `${stem}.js`), join(dirname(dir), 'dist', `${stem}.js`)];
  return candidates.find((candidate) => existsSync(candidate));
}

/** `dist/x.js` → `./dist/x.js`: a `plugins:` path must start with `.` or `/`. */
function asRelative(path: string): string {
  return path.startsWith('.') ? path : `./${path}`;
}

/** The closest `name` in `dir` or a parent, up to the file system's root. */
function nearest(dir: string, name: string): string | undefined {
  for (let current = dir; ; current = dirname(current)) {
    const candidate = join(current, name);
    if (existsSync(candidate)) return candidate;
    if (dirname(current) === current) return undefined;
  }
}
