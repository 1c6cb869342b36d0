import 'reflect-metadata';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { container } from 'tsyringe';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './errors.js';
import { definePlugin } from './plugin.js';
import { createRegistry, PLUGIN_REGISTRY } from './registry.js';

const source = definePlugin({ name: 'ndjson', kind: 'source', description: 's', schema: {}, create: () => ({}) as never });
const sink = definePlugin({ name: 'ndjson', kind: 'sink', description: 's', schema: {}, create: () => ({}) as never });
const upper = definePlugin({ name: 'upper', kind: 'transform', description: 't', schema: {}, create: () => ({}) as never });

const pluginModule = (name: string) => `export default {
  name: '${name}', kind: 'transform', description: 'shouts', schema: { type: 'object' },
  create() { return { apply: (r) => ({ ok: true, value: String(r.data).toUpperCase() }) }; },
};\n`;

describe('PluginRegistry', () => {
  it('keys plugins by kind and name, and resolves through its tsyringe container', () => {
    const child = container.createChildContainer();
    const registry = createRegistry(child);
    registry.register([source, sink]);
    registry.register(upper);
    registry.register(upper); // same object again: no-op
    expect(child.resolve(PLUGIN_REGISTRY)).toBe(registry);
    expect(createRegistry(child)).toBe(registry);
    expect(registry.get('ndjson', 'source')).toBe(source);
    expect(registry.get('ndjson', 'sink')).toBe(sink);
    expect(registry.has('ndjson', 'transform')).toBe(false);
    expect(registry.list().map((p) => `${p.kind}:${p.name}`)).toEqual(['source:ndjson', 'transform:upper', 'sink:ndjson']);
    // Registries do not leak into each other.
    expect(createRegistry().list()).toEqual([]);
  });

  it('names the known plugins of that kind when one is missing', () => {
    const registry = createRegistry();
    registry.register([source, sink, upper]);
    expect(() => registry.get('ndjsn', 'sink')).toThrow(ConfigError);
    expect(() => registry.get('ndjsn', 'sink')).toThrow('unknown sink plugin "ndjsn"; known sink plugins: ndjson');
    expect(() => registry.get('x', 'transform')).toThrow('transforms: unknown transform plugin "x"; known transform plugins: upper');
  });

  it('refuses a second, different plugin under the same kind and name', () => {
    const registry = createRegistry();
    registry.register(upper);
    expect(() => registry.register({ ...upper })).toThrow('a transform plugin named "upper" is already registered');
  });

  it('loads custom plugins from a path, a package directory and a package name', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'idflow-registry-'));
    writeFileSync(join(dir, 'shout.mjs'), pluginModule('shout'));
    mkdirSync(join(dir, 'local-pkg', 'dist'), { recursive: true });
    writeFileSync(join(dir, 'local-pkg', 'package.json'), JSON.stringify({ name: 'local-pkg', type: 'module', exports: { '.': { default: './dist/index.js' } } }));
    writeFileSync(join(dir, 'local-pkg', 'dist', 'index.js'), pluginModule('from-dir'));
    mkdirSync(join(dir, 'node_modules', '@acme', 'idflow-plugin', 'lib'), { recursive: true });
    writeFileSync(join(dir, 'node_modules', '@acme', 'idflow-plugin', 'package.json'), JSON.stringify({ name: '@acme/idflow-plugin', type: 'module', main: 'lib/main.js' }));
    writeFileSync(join(dir, 'node_modules', '@acme', 'idflow-plugin', 'lib', 'main.js'), `${pluginModule('from-package').replace('export default {', 'export default [{')}`.replace(/};\n$/, '}];\n'));
    mkdirSync(join(dir, 'pipelines'));

    const registry = createRegistry();
    const loaded = await registry.loadModule('../shout.mjs', join(dir, 'pipelines'));
    expect(loaded.map((p) => p.name)).toEqual(['shout']);
    await registry.loadModule('./local-pkg', dir);
    await registry.loadModule('@acme/idflow-plugin', join(dir, 'pipelines'));
    const shout = await registry.get('shout', 'transform').create({} as never, {} as never);
    expect(await shout.apply({ seq: 1, origin: { file: 'f', line: 1, offset: 0 }, data: 'hi' })).toEqual({ ok: true, value: 'HI' });
    expect(registry.has('from-dir', 'transform')).toBe(true);
    expect(registry.has('from-package', 'transform')).toBe(true);
  });

  it('says what is wrong with a module that is missing or not a plugin', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'idflow-registry-'));
    writeFileSync(join(dir, 'none.mjs'), 'export const x = 1;\n');
    writeFileSync(join(dir, 'bad.mjs'), "export default { name: 'bad', kind: 'filter' };\n");
    const registry = createRegistry();
    await expect(registry.loadModule('./missing.mjs', dir)).rejects.toThrow(/plugin module "\.\/missing\.mjs" not found/);
    await expect(registry.loadModule('no-such-package-xyz', dir)).rejects.toThrow(
      /cannot resolve plugin package "no-such-package-xyz": not installed in .* or a parent directory's node_modules/,
    );
    await expect(registry.loadModule('./none.mjs', dir)).rejects.toThrow(/has no default export/);
    await expect(registry.loadModule('./bad.mjs', dir)).rejects.toThrow(
      /is not a valid plugin: it has kind "filter" \(expected source, transform or sink\), has no create\(\) function, has no JSON schema/,
    );
  });

  it('says a TypeScript plugin must be built first, with the command for where it lives', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'idflow-registry-'));
    // A package with a build script, its source only.
    mkdirSync(join(dir, 'pkg', 'src'), { recursive: true });
    writeFileSync(join(dir, 'pkg', 'package.json'), JSON.stringify({ name: 'pkg', type: 'module', main: 'dist/index.js', scripts: { build: 'tsc' } }));
    writeFileSync(join(dir, 'pkg', 'src', 'index.ts'), 'export default {};\n');
    // A project with a tsconfig and no package.json build script, built already.
    mkdirSync(join(dir, 'proj', 'src'), { recursive: true });
    mkdirSync(join(dir, 'proj', 'dist'));
    writeFileSync(join(dir, 'proj', 'tsconfig.json'), '{}');
    writeFileSync(join(dir, 'proj', 'src', 'plugin.ts'), 'export default {};\n');
    writeFileSync(join(dir, 'proj', 'dist', 'plugin.js'), 'export default {};\n');
    const registry = createRegistry();
    await expect(registry.loadModule('./pkg/src/index.ts', dir)).rejects.toThrow(
      `plugin module "./pkg/src/index.ts" is TypeScript, which Node cannot load: build it first (cd ${join(dir, 'pkg')} && npm run build), then list the .js file it writes under \`plugins:\``,
    );
    await expect(registry.loadModule('./pkg', dir)).rejects.toThrow(
      `plugin package "./pkg" points to ${join(dir, 'pkg', 'dist', 'index.js')}, which does not exist: build it first (cd ${join(dir, 'pkg')} && npm run build)`,
    );
    await expect(registry.loadModule('./proj/src/plugin.ts', dir)).rejects.toThrow(
      `build it first (npx tsc -p ${join(dir, 'proj', 'tsconfig.json')}), then list the built file instead: ./proj/dist/plugin.js`,
    );
  });
});
