import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PluginContext, SourceItem } from '@idflow/engine';

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'idflow-ndjson-'));
}

export function contextIn(baseDir: string): PluginContext {
  return { baseDir, dryRun: false, signal: new AbortController().signal, count: () => undefined, warn: () => undefined, log: () => undefined };
}

export async function collect(items: AsyncIterable<SourceItem>): Promise<SourceItem[]> {
  const all: SourceItem[] = [];
  for await (const item of items) all.push(item);
  return all;
}
