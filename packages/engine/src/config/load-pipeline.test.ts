// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these strings are pipeline text using ${VAR} interpolation, not templates
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeEach, describe, expect, it } from 'vitest';
import { ConfigError } from '../errors.js';
import { definePlugin, type Plugin } from '../plugin.js';
import { createRegistry } from '../registry.js';
import { loadPipeline } from './load-pipeline.js';
import { pipelineSchema } from './pipeline-schema.js';
import { schemaDefinitionProblem } from './validate-schema.js';
import type { PluginCatalog } from './plugin-catalog.js';

const fileSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['path'],
  properties: {
    path: { type: 'string', description: 'File.' },
    batchSize: { type: 'integer', minimum: 1, maximum: 20000, default: 1000, description: 'Records per batch.' },
  },
};
const builtins: Plugin[] = [
  definePlugin({ name: 'ndjson', kind: 'source', description: 'in', schema: fileSchema, create: () => { throw new Error('unused'); } }),
  definePlugin({ name: 'ndjson', kind: 'sink', description: 'out', schema: fileSchema, create: () => { throw new Error('unused'); } }),
  definePlugin({
    name: 'redact',
    kind: 'transform',
    description: 'mask',
    schema: {
      type: 'object',
      additionalProperties: false,
      required: ['fields'],
      properties: { fields: { type: 'array', items: { type: 'string' } }, mask: { type: 'string', default: '***' }, clientSecret: { type: 'string' } },
    },
    create: () => { throw new Error('unused'); },
  }),
];

/** A catalog over a plain list that imports custom modules for real. */
function catalog(): PluginCatalog & { plugins: Plugin[] } {
  const plugins = [...builtins];
  return {
    plugins,
    list: () => plugins,
    async loadModule(specifier, baseDir) {
      const module = (await import(pathToFileURL(resolve(baseDir, specifier)).href)) as { default: Plugin | Plugin[] };
      plugins.push(...[module.default].flat());
    },
  };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'idflow-config-'));
});

function pipelineFile(lines: string[], name = 'p.yaml'): string {
  const file = join(dir, name);
  writeFileSync(file, lines.join('\n') + '\n');
  return file;
}

/** The formatted problem lines of the ConfigError that loading throws, with the temp dir cut out. */
async function problemsOf(file: string, options: { set?: string[]; env?: NodeJS.ProcessEnv } = {}): Promise<string[]> {
  try {
    await loadPipeline(file, { registry: catalog(), env: {}, ...options });
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).message.split('\n').map((line) => line.replace(`${dir}/`, ''));
  }
  throw new Error('expected a ConfigError');
}

const valid = ['version: 1', 'name: copy', 'source:', '  use: ndjson', '  with:', '    path: in.ndjson', 'sink:', '  use: ndjson', '  with:', '    path: out.ndjson'];

describe('loadPipeline', () => {
  it('returns the config with defaults filled in, the file and its directory', async () => {
    const file = pipelineFile([...valid, 'transforms:', '  - use: redact', '    with: { fields: [email] }', 'dlq: { path: dlq.ndjson }', 'maxRejects: "5%"', 'concurrency: 8']);
    const loaded = await loadPipeline(file, { registry: catalog(), env: {} });
    expect(loaded.file).toBe(file);
    expect(loaded.baseDir).toBe(dir);
    expect(loaded.config).toEqual({
      version: 1,
      name: 'copy',
      source: { use: 'ndjson', with: { path: 'in.ndjson', batchSize: 1000 } },
      sink: { use: 'ndjson', with: { path: 'out.ndjson', batchSize: 1000 } },
      transforms: [{ use: 'redact', with: { fields: ['email'], mask: '***' } }],
      dlq: { path: 'dlq.ndjson' },
      maxRejects: '5%',
      concurrency: 8,
    });
  });

  it("names the pipeline after its file when name is absent", async () => {
    const file = pipelineFile(valid.filter((line) => !line.startsWith('name:')), 'nightly-copy.yaml');
    expect((await loadPipeline(file, { registry: catalog(), env: {} })).config.name).toBe('nightly-copy');
  });

  it('locates a bound violation at the value, with what it got', async () => {
    const file = pipelineFile([...valid, '    batchSize: 50000']);
    expect(await problemsOf(file)).toEqual(['p.yaml:11:16 sink.with.batchSize: must be <= 20000 (got 50000)']);
  });

  it('reports unknown keys at the key, with did-you-mean at the top level and inside with:', async () => {
    const file = pipelineFile([...valid, '    batchsize: 10', 'concurency: 4', 'colour: red']);
    expect(await problemsOf(file)).toEqual([
      'p.yaml:11:5 sink.with.batchsize: unknown key "batchsize" (did you mean "batchSize"?)',
      'p.yaml:12:1 concurency: unknown key "concurency" (did you mean "concurrency"?)',
      'p.yaml:13:1 colour: unknown key "colour"; known keys: version, name, plugins, source, transforms, sink, dlq, checkpoint, concurrency, maxRejects, timeouts',
    ]);
  });

  it('reports every problem at once, in file order', async () => {
    const file = pipelineFile([
      'version: 2',
      'source:',
      '  use: ndjsn',
      'transforms:',
      '  - use: redact',
      '    with: { fields: email, mask: 5 }',
      'sink:',
      '  with: { path: x }',
      'concurrency: 0',
      'maxRejects: lots',
      'dlq: {}',
    ]);
    expect(await problemsOf(file)).toEqual([
      'p.yaml:1:10 version: must be 1 (got 2)',
      'p.yaml:3:8 source.use: unknown source plugin "ndjsn" (did you mean "ndjson"?)',
      'p.yaml:6:21 transforms.0.with.fields: must be an array (got "email")',
      'p.yaml:6:34 transforms.0.with.mask: must be a string (got 5)',
      'p.yaml:8:3 sink.use: is required',
      'p.yaml:9:14 concurrency: must be >= 1 (got 0)',
      'p.yaml:10:13 maxRejects: must be a count (an integer >= 0), or a percentage like "5%" (got "lots")',
      'p.yaml:11:6 dlq.path: is required',
    ]);
  });

  it('says when a plugin exists but of another kind, and lists the plugins of the wanted kind', async () => {
    const file = pipelineFile([...valid, 'transforms:', '  - use: ndjson', '  - use: zzz']);
    expect(await problemsOf(file)).toEqual([
      'p.yaml:12:10 transforms.0.use: plugin "ndjson" is a source and sink, not a transform; transform plugins: redact',
      'p.yaml:13:10 transforms.1.use: unknown transform plugin "zzz"; transform plugins: redact',
    ]);
  });

  it('locates YAML syntax errors', async () => {
    const file = pipelineFile(['version: 1', 'source:', '  use: ndjson', '   with: x', 'sink: { use: x']);
    expect(await problemsOf(file)).toEqual([
      'p.yaml:3:8 YAML syntax: Nested mappings are not allowed in compact mappings',
      'p.yaml:3:8 YAML syntax: Implicit keys need to be on a single line',
      'p.yaml:6:1 YAML syntax: Flow map in block collection must be sufficiently indented and end with a }',
    ]);
  });

  it('reports duplicate keys as YAML errors', async () => {
    const file = pipelineFile([...valid, 'name: again']);
    expect(await problemsOf(file)).toEqual(['p.yaml:11:1 YAML syntax: Map keys must be unique']);
  });

  it('reports a missing file and a file that is not a map', async () => {
    expect(await problemsOf(join(dir, 'missing.yaml'))).toEqual(['missing.yaml cannot read pipeline file: ENOENT']);
    expect(await problemsOf(pipelineFile(['- a', '- b']))).toEqual(['p.yaml a pipeline must be a map with at least version, source and sink']);
  });

  it('interpolates variables, types single expressions, and names unset variables with their location', async () => {
    const file = pipelineFile([
      'version: 1',
      'source: { use: ndjson, with: { path: "${IN_DIR}/users.ndjson" } }',
      'sink:',
      '  use: ndjson',
      '  with:',
      '    path: ${OUT:?set OUT to the output file}',
      '    batchSize: ${BATCH:-500}',
      'concurrency: ${WORKERS}',
    ]);
    expect(await problemsOf(file, { env: { IN_DIR: '/data' } })).toEqual([
      'p.yaml:6:11 sink.with.path: environment variable OUT is not set: set OUT to the output file',
      'p.yaml:8:14 concurrency: environment variable WORKERS is not set (use ${WORKERS:-default} for a default)',
    ]);
    const loaded = await loadPipeline(file, { registry: catalog(), env: { IN_DIR: '/data', OUT: 'o.ndjson', WORKERS: '3' } });
    expect(loaded.config.source.with).toEqual({ path: '/data/users.ndjson', batchSize: 1000 });
    expect(loaded.config.sink.with).toEqual({ path: 'o.ndjson', batchSize: 500 });
    expect(loaded.config.concurrency).toBe(3);
  });

  it('keeps the original text of a typed ${VAR} where the schema wants a string (no lost digits)', async () => {
    const file = pipelineFile([...valid.slice(0, 9).filter((line) => line !== 'name: copy'), '    path: ${OUT}', '    batchSize: ${BATCH}', 'name: ${NAME}', 'concurrency: ${WORKERS}']);
    const env = { OUT: '123456789012345678', BATCH: '250', NAME: 'true', WORKERS: '007' };
    const loaded = await loadPipeline(file, { registry: catalog(), env });
    expect(loaded.config.sink.with).toEqual({ path: '123456789012345678', batchSize: 250 });
    expect(loaded.config.name).toBe('true');
    expect(loaded.config.concurrency).toBe(7);
    expect(await problemsOf(file, { env: { ...env, BATCH: 'many' } })).toEqual(['p.yaml:10:16 sink.with.batchSize: must be an integer (got "many")']);
  });

  it('applies --set overrides before validation and marks problems they cause', async () => {
    const file = pipelineFile(valid);
    const loaded = await loadPipeline(file, { registry: catalog(), env: {}, set: ['sink.with.path=other.ndjson', 'concurrency=16', 'transforms.0.use=redact', 'transforms.0.with.fields=[a]'] });
    expect(loaded.config.sink.with?.path).toBe('other.ndjson');
    expect(loaded.config.concurrency).toBe(16);
    expect(loaded.config.transforms).toEqual([{ use: 'redact', with: { fields: ['a'], mask: '***' } }]);
    expect(await problemsOf(file, { set: ['sink.with.batchSize=50000', 'oops'] })).toEqual([
      'p.yaml --set "oops": expected path=value, e.g. sink.with.path=out.ndjson',
      'p.yaml sink.with.batchSize: must be <= 20000 (got 50000) (set by --set sink.with.batchSize)',
    ]);
  });

  it('gives --set values read as numbers or booleans their text back where the schema wants a string; never rounds an id', async () => {
    const file = pipelineFile(valid);
    const loaded = await loadPipeline(file, { registry: catalog(), env: {}, set: ['sink.with.path=200000000000000001', 'source.with.path=12345', 'name=true'] });
    expect(loaded.config.sink.with?.path).toBe('200000000000000001');
    expect(loaded.config.source.with?.path).toBe('12345');
    expect(loaded.config.name).toBe('true');
    // Where the schema wants a number, a number that would lose digits is refused, not rounded.
    expect(await problemsOf(file, { set: ['sink.with.batchSize=200000000000000001'] })).toEqual([
      'p.yaml sink.with.batchSize: must be an integer (got "200000000000000001") (set by --set sink.with.batchSize)',
    ]);
  });

  it('never echoes values of secret-looking keys', async () => {
    const file = pipelineFile([...valid, 'transforms:', '  - use: redact', '    with: { fields: [], clientSecret: 123456 }']);
    expect(await problemsOf(file)).toEqual(['p.yaml:13:39 transforms.0.with.clientSecret: must be a string']);
  });

  it('loads custom plugin modules relative to the pipeline file and validates their config', async () => {
    writeFileSync(
      join(dir, 'upper.mjs'),
      `export default { name: 'upper', kind: 'transform', description: 'x', create() {},
        schema: { type: 'object', additionalProperties: false, required: ['field'], properties: { field: { type: 'string', description: 'f' } } } };`,
    );
    const file = pipelineFile([...valid, 'plugins: [./upper.mjs, ./missing.mjs]', 'transforms:', '  - use: upper', '    with: { feild: name }']);
    const problems = await problemsOf(file);
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/^p\.yaml:11:24 plugins\.1: cannot load plugin module "\.\/missing\.mjs": .*missing\.mjs/);
    expect(problems.slice(1)).toEqual([
      'p.yaml:14:11 transforms.0.with.field: is required',
      'p.yaml:14:13 transforms.0.with.feild: unknown key "feild" (did you mean "field"?)',
    ]);
  });

  it('reports a plugin whose schema is itself invalid', async () => {
    writeFileSync(join(dir, 'bad.mjs'), `export default { name: 'bad', kind: 'transform', description: 'x', create() {}, schema: { type: 'frobnicate' } };`);
    const file = pipelineFile([...valid, 'plugins: [./bad.mjs]', 'transforms: [{ use: bad }]']);
    const problems = await problemsOf(file);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^p\.yaml:12:21 transforms\.0\.use: plugin "bad" has an invalid config schema: /);
  });

  it('checks a custom plugin schema against the meta-schema, even where ajv would compile it', async () => {
    writeFileSync(join(dir, 'odd.mjs'), `export default { name: 'odd', kind: 'transform', description: 'x', create() {}, schema: { type: 'object', properties: { a: { type: 'string', minLength: -1 } } } };`);
    const file = pipelineFile([...valid, 'plugins: [./odd.mjs]', 'transforms: [{ use: odd }]']);
    const problems = await problemsOf(file);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/plugin "odd" has an invalid config schema: schema is invalid: .*minLength must be >= 0/);
  });

  it('ships a pipeline schema that is a valid JSON Schema (so starts need not check it)', () => {
    expect(schemaDefinitionProblem(pipelineSchema)).toBeUndefined();
    expect(schemaDefinitionProblem({ type: 'frobnicate' })).toMatch(/^schema is invalid: /);
  });

  it('works with the real plugin registry: its loading errors are located on the plugins entry', async () => {
    writeFileSync(
      join(dir, 'upper.mjs'),
      `export default { name: 'upper', kind: 'transform', description: 'x', create() {}, schema: { type: 'object', additionalProperties: false } };`,
    );
    const file = pipelineFile([...valid, 'plugins:', '  - ./upper.mjs', '  - ./nowhere.mjs', 'transforms: [{ use: upper }]']);
    const registry = createRegistry();
    registry.register(builtins);
    await expect(loadPipeline(file, { registry, env: {} })).rejects.toThrow(
      `${file}:13:5 plugins.1: plugin module "./nowhere.mjs" not found (looked for ${join(dir, 'nowhere.mjs')})`,
    );
    expect(registry.has('upper', 'transform')).toBe(true);
  });
});
