// Preloaded into a benchmarked child (`node --import ./rss-probe.mjs …`): on exit, writes the
// process's peak resident set size (bytes) to $IDFLOW_RSS_OUT, so benchmarks compare like with like.
import { writeFileSync } from 'node:fs';

const out = process.env.IDFLOW_RSS_OUT;
if (out) {
  process.on('exit', () => {
    writeFileSync(out, String(process.resourceUsage().maxRSS * 1024));
  });
}
