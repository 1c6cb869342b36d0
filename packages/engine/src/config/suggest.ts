// "Did you mean …?" for misspelt keys and plugin names.
import { distance } from 'fastest-levenshtein';

/** The candidate closest to `word` when it is close enough to be a likely typo, else undefined. */
export function closestMatch(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: { candidate: string; cost: number } | undefined;
  for (const candidate of candidates) {
    // Case-only differences (`batchsize` for `batchSize`) are the most common typo: treat as cost 0.
    const cost = candidate.toLowerCase() === lower ? 0 : distance(lower, candidate.toLowerCase());
    if (!best || cost < best.cost) best = { candidate, cost };
  }
  // Short words allow one edit (`pth` → `path`, not `id` → `dlq`); longer ones two, or one per
  // three characters, so a swapped pair (`feild`) still finds its key.
  const allowed = word.length <= 3 ? 1 : Math.max(2, Math.floor(word.length / 3));
  return best && best.cost <= allowed ? best.candidate : undefined;
}

/** `(did you mean "x"?)` or an empty string. */
export function didYouMean(word: string, candidates: readonly string[]): string {
  const match = closestMatch(word, candidates);
  return match === undefined ? '' : ` (did you mean "${match}"?)`;
}
