// In-memory plugins for runner tests: a counting source, transforms and a scriptable sink whose
// "storage" outlives a run, so resume after a crash can be checked record by record.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRegistry, type PluginRegistry } from '../registry.js';
import type { LoadedPipeline, PipelineConfig, RunEvent, RunOptions, RunReport } from '../pipeline.js';
import {
  type BatchPolicy,
  definePlugin,
  type Origin,
  type PluginContext,
  type RecordEnvelope,
  type RetryPolicy,
  type Sink,
  type SinkFinishInfo,
  type SinkFinishResult,
  type SinkOutcome,
  type SinkTarget,
  type Source,
  type SourceItem,
  type TransformResult,
} from '../plugin.js';
import { runPipeline } from './run-pipeline.js';

export interface TestRecord {
  id: number;
  name: string;
}

/** Shared between a test and the source it configures. */
export interface SourceProbe {
  /** Records yielded so far (pulled by the runner). */
  pulled: number;
  closed: number;
  fingerprint: string;
  /** Line numbers yielded as malformed (source rejects). */
  malformed: Set<number>;
  /** Called after each yield: lets a test abort mid-run at an exact point. */
  afterYield?: (line: number) => void;
  lastResumeAfter?: Origin;
}

export function sourceProbe(): SourceProbe {
  return { pulled: 0, closed: 0, fingerprint: 'fp-1', malformed: new Set() };
}

function originOf(line: number): Origin {
  return { file: 'mem.ndjson', line, offset: (line - 1) * 100 };
}

/** `memory` source: records {id: 1..count}; resumes after an origin by line number. */
export function memorySourcePlugin(probe: SourceProbe) {
  return definePlugin({
    name: 'memory',
    kind: 'source',
    description: 'test source',
    schema: { type: 'object' },
    create(config: { count: number }): Source<TestRecord> {
      return {
        async *read({ resumeAfter }): AsyncIterable<SourceItem<TestRecord>> {
          probe.lastResumeAfter = resumeAfter;
          for (let line = (resumeAfter?.line ?? 0) + 1; line <= config.count; line++) {
            probe.pulled += 1;
            if (probe.malformed.has(line)) {
              yield { origin: originOf(line), reject: { reason: 'malformed JSON: bad', raw: `{bad ${line}` } };
            } else {
              yield { origin: originOf(line), data: { id: line, name: `user-${line}` } };
            }
            probe.afterYield?.(line);
          }
        },
        fingerprint: async () => probe.fingerprint,
        progress: () => ({ done: probe.pulled * 100, total: config.count * 100 }),
        close: async () => {
          probe.closed += 1;
        },
      };
    },
  });
}

/** `reject-odd` transform: rejects odd ids, async when `async: true`. */
export const rejectOddPlugin = definePlugin({
  name: 'reject-odd',
  kind: 'transform',
  description: 'test transform',
  schema: { type: 'object' },
  create(config: { async?: boolean }) {
    const decide = (record: RecordEnvelope<TestRecord>): TransformResult<TestRecord> =>
      record.data.id % 2 === 1
        ? { ok: false, rejection: { reason: 'odd id', detail: { id: record.data.id } } }
        : { ok: true, value: { ...record.data, name: record.data.name.toUpperCase() } };
    return {
      apply: (record: RecordEnvelope<TestRecord>) => (config.async ? Promise.resolve().then(() => decide(record)) : decide(record)),
    };
  },
});

/** Storage of the scriptable sink: survives between runs like a file would. */
export interface SinkStore {
  /** Records written, in order (the "file"). */
  rows: TestRecord[];
  batches: number[];
  inFlight: number;
  maxInFlight: number;
  opened: unknown[];
  closed: number;
  /** Max of (records pulled from the source − records the sink has answered for), sampled at each write. */
  maxAhead: number;
  answered: number;
  attempts: Map<number, number>;
  preflights: number;
  /** What `probe.pulled` was when the sink's preflight ran. */
  pulledAtPreflight?: number;
  /** Each `finish` call's info. */
  finishes: SinkFinishInfo[];
  /** `ctx.diffPath` each opened sink got. */
  diffPaths: (string | undefined)[];
}

export function sinkStore(): SinkStore {
  return { rows: [], batches: [], inFlight: 0, maxInFlight: 0, opened: [], closed: 0, maxAhead: 0, answered: 0, attempts: new Map(), preflights: 0, finishes: [], diffPaths: [] };
}

/** The memory sink's `with:`: its roles are what checkpoint binding tests need. */
const memorySinkSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    url: { type: 'string', 'x-idflow': 'target', description: 'Where it writes.' },
    mode: { type: 'string', description: 'A setting.' },
    batchSize: { type: 'integer', 'x-idflow': 'tuning', description: 'Tuning.' },
    token: { type: 'string', 'x-idflow': 'secret', description: 'A credential.' },
  },
};

export interface SinkScript {
  batching?: BatchPolicy;
  retry?: RetryPolicy;
  delayMs?: number;
  /** Decides each record's outcome (default: written). */
  answer?: (record: TestRecord, attempt: number) => SinkOutcome;
  /** Throw from the Nth `write` call (1-based). */
  throwOnCall?: number;
  /** Supports checkpoints like a file sink: state = rows kept. */
  durable?: boolean;
  /** `Sink.preflight`; `preflights` counts its calls. */
  preflight?: () => Promise<void>;
  /** `Sink.target`, from the sink's `with:` (the memory sink declares `url` as its target). */
  target?: boolean;
  /** Never settle the Nth `write` call (1-based), nor `close`. */
  hangOnCall?: number;
  /** `Sink.finish`; its calls are kept in `finishes`. */
  finish?: (info: SinkFinishInfo) => SinkFinishResult | undefined;
}

/** `memory` sink, driven by `script`, writing into `store`. */
export function memorySinkPlugin(store: SinkStore, script: SinkScript, probe?: SourceProbe) {
  return definePlugin({
    name: 'memory',
    kind: 'sink',
    previewsChanges: true,
    description: 'test sink',
    schema: memorySinkSchema,
    create(config: { url?: string }, ctx: PluginContext): Sink<TestRecord> {
      store.diffPaths.push(ctx.diffPath);
      let calls = 0;
      const sink: Sink<TestRecord> = {
        batching: script.batching ?? { maxRecords: 10 },
        retry: script.retry,
        async open(state) {
          store.opened.push(state);
          const keep = (state as { rows?: number } | undefined)?.rows ?? 0;
          store.rows.length = Math.min(store.rows.length, keep);
        },
        async write(batch) {
          calls += 1;
          if (calls === script.hangOnCall) return new Promise<SinkOutcome[]>(() => {});
          store.batches.push(batch.length);
          store.inFlight += 1;
          store.maxInFlight = Math.max(store.maxInFlight, store.inFlight);
          if (probe) store.maxAhead = Math.max(store.maxAhead, probe.pulled - store.answered);
          try {
            if (script.delayMs) await new Promise((r) => setTimeout(r, script.delayMs));
            if (calls === script.throwOnCall) throw new Error('disk on fire');
            const outcomes = batch.map((record) => {
              const attempt = (store.attempts.get(record.data.id) ?? 0) + 1;
              store.attempts.set(record.data.id, attempt);
              const outcome = script.answer?.(record.data, attempt) ?? { status: 'written' };
              if (outcome.status === 'written') store.rows.push(record.data);
              return outcome;
            });
            store.answered += batch.length;
            return outcomes;
          } finally {
            store.inFlight -= 1;
          }
        },
        async close() {
          store.closed += 1;
          if (script.hangOnCall) await new Promise(() => {});
        },
      };
      const finish = script.finish;
      if (finish) {
        sink.finish = async (info) => {
          store.finishes.push(info);
          return finish(info);
        };
      }
      if (script.durable) sink.checkpointState = async () => ({ rows: store.rows.length });
      const preflight = script.preflight;
      if (preflight) {
        sink.preflight = async () => {
          store.preflights += 1;
          store.pulledAtPreflight = probe?.pulled;
          await preflight();
        };
      }
      if (script.target) sink.target = (): SinkTarget => ({ kind: 'memory', fields: { url: config.url ?? '(none)' } });
      return sink;
    },
  });
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'idflow-runner-'));
}

export function pipelineOf(dir: string, config: Partial<PipelineConfig> & { count?: number; sinkWith?: { [key: string]: unknown } }): LoadedPipeline {
  const { count = 100, sinkWith, ...rest } = config;
  return {
    file: join(dir, 'pipeline.yaml'),
    baseDir: dir,
    config: {
      version: 1,
      name: 'test',
      source: { use: 'memory', with: { count } },
      sink: { use: 'memory', with: sinkWith ?? {} },
      dlq: { path: 'out/dlq.ndjson' },
      ...rest,
    },
  };
}

export function registryWith(probe: SourceProbe, store: SinkStore, script: SinkScript = {}): PluginRegistry {
  const registry = createRegistry();
  registry.register([memorySourcePlugin(probe), rejectOddPlugin, memorySinkPlugin(store, script, probe)]);
  return registry;
}

/** Runs to the end, collecting every event. */
export async function runCollecting(
  pipeline: LoadedPipeline,
  registry: PluginRegistry,
  options: RunOptions = {},
): Promise<{ report: RunReport; events: RunEvent[] }> {
  const handle = runPipeline(pipeline, registry, options);
  const events: RunEvent[] = [];
  handle.events.subscribe((event) => events.push(event));
  const report = await handle.result;
  return { report, events };
}
