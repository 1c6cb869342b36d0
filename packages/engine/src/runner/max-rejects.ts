// `maxRejects`: a count ("stop after more than 100 rejects") or a percentage of the records read so
// far ("5%"); users a filter skipped count in neither. A percentage is only judged mid-run once
// enough records were read to mean something (the first hundred users of an export are no sample
// of it), and always at the end.

import { ConfigError } from '../errors.js';
import { formatCount } from '../format-count.js';
import type { RunCounts } from '../pipeline.js';

/** Records to read before a percentage limit is judged mid-run. */
export const PERCENT_MIN_SAMPLE = 1000;

export type RejectLimit = { kind: 'count'; max: number } | { kind: 'percent'; max: number; text: string };

export function parseMaxRejects(value: number | string | undefined): RejectLimit | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isFinite(value) && value >= 0) return { kind: 'count', max: value };
  if (typeof value === 'string') {
    const text = value.trim();
    const percent = /^(\d+(?:\.\d+)?)\s*%$/.exec(text);
    if (percent && Number(percent[1]) <= 100) return { kind: 'percent', max: Number(percent[1]), text };
    if (/^\d+$/.test(text)) return { kind: 'count', max: Number(text) };
  }
  throw new ConfigError([
    { path: 'maxRejects', message: `must be a count (e.g. 100) or a percentage (e.g. "5%"), got ${JSON.stringify(value)}` },
  ]);
}

/**
 * A message when the limit is passed, else undefined, e.g. "112 of 1,000 rejected = 11.2 % > 8 %".
 * `atEnd`: judge a percentage whatever the sample.
 */
export function checkRejectLimit(limit: RejectLimit | undefined, counts: RunCounts, atEnd: boolean): string | undefined {
  if (!limit) return undefined;
  if (limit.kind === 'count') {
    return counts.rejected > limit.max
      ? `stopped: ${formatCount(counts.rejected)} records rejected > ${formatCount(limit.max)} (maxRejects); see the dead-letter output`
      : undefined;
  }
  // Users a filter skipped are neither rejects nor part of the sample: the share is of the users
  // the run tried to migrate.
  const considered = counts.read - counts.skipped;
  if (considered <= 0 || (!atEnd && considered < PERCENT_MIN_SAMPLE)) return undefined;
  const percent = (counts.rejected / considered) * 100;
  if (percent <= limit.max) return undefined;
  const ofWhat = counts.skipped > 0 ? ' not skipped' : '';
  return `stopped: ${formatCount(counts.rejected)} of ${formatCount(considered)}${ofWhat} rejected = ${percent.toFixed(1)} % > ${limit.max} % (maxRejects); see the dead-letter output`;
}
