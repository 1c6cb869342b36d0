// The source of `idflow retry`: the records of a dead-letter file, in file order, each with the
// origin it had in the original input (so what fails again is reported where it came from). It
// yields only the replayable, selected lines; the retry plan (retry-plan.ts) counts the others.
// A retry resumes like a run: after the last acknowledged record, found by its origin.

import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { FatalError } from '../errors.js';
import { definePlugin, type Origin, type ReadOptions, type Source, type SourceItem } from '../plugin.js';
import { type DeadLetterSelection, isSelected, readDeadLetters, sameOrigin } from './dead-letter-lines.js';

/** The source's name in the retry's pipeline (and its checkpoint's settings). */
export const DEAD_LETTER_SOURCE = 'dead-letters';

export interface DeadLetterSourceConfig {
  /** The dead-letter file (absolute). */
  path: string;
  /** `--reason`, as given (case-insensitive). */
  reason?: string;
}

export function selectionOf(config: Pick<DeadLetterSourceConfig, 'reason'>): DeadLetterSelection {
  return { reason: config.reason === undefined ? undefined : new RegExp(config.reason, 'i') };
}

class DeadLetterSource implements Source {
  private bytesRead = 0;
  private size = 0;

  constructor(private readonly config: DeadLetterSourceConfig) {}

  async *read({ resumeAfter }: ReadOptions): AsyncIterable<SourceItem> {
    this.size = (await stat(this.config.path)).size;
    const selection = selectionOf(this.config);
    let skipping = resumeAfter !== undefined;
    for await (const { line, bytesRead } of readDeadLetters(this.config.path)) {
      this.bytesRead = bytesRead;
      if (line.kind !== 'replayable' || !isSelected(selection, line.stage, line.reason)) continue;
      if (skipping) {
        if (sameOrigin(line.origin, resumeAfter as Origin)) skipping = false;
        continue;
      }
      yield { origin: line.origin, data: line.record };
    }
    if (skipping) {
      throw new FatalError(`cannot resume the retry: ${this.config.path} no longer holds the record it stopped after; run with --fresh to start the retry over`, 'RETRY_RESUME');
    }
  }

  /** The file's whole content: a dead-letter file that changed (a resumed run appended to it) is another input. */
  async fingerprint(): Promise<string> {
    const hash = createHash('sha256');
    for await (const chunk of createReadStream(this.config.path)) hash.update(chunk as Buffer);
    return `dead-letters:sha256:${hash.digest('hex')}`;
  }

  progress(): { done: number; total: number } | undefined {
    return this.size > 0 ? { done: this.bytesRead, total: this.size } : undefined;
  }

  async close(): Promise<void> {}
}

export const deadLetterSourcePlugin = definePlugin({
  name: DEAD_LETTER_SOURCE,
  kind: 'source',
  description: 'The records of a dead-letter file, for idflow retry.',
  schema: {
    type: 'object',
    additionalProperties: false,
    required: ['path'],
    properties: {
      path: { type: 'string', 'x-idflow': 'input-path', description: 'The dead-letter file.' },
      reason: { type: 'string', description: 'Only dead letters whose reason (or `stage: reason`) matches this regular expression, case-insensitive.' },
    },
  },
  create(config: DeadLetterSourceConfig): Source {
    return new DeadLetterSource(config);
  },
});
