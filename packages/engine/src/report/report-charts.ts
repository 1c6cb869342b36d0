// The HTML report's charts, drawn without scripts: horizontal bars as table rows whose width is a
// share of the largest, and the throughput over time as an inline SVG polyline.

import { formatCount } from '../format-count.js';
import { formatElapsed } from '../format-elapsed.js';
import type { TimelinePoint } from '../runner/run-timeline.js';
import { hideSecrets } from './hide-secrets.js';
import { html, type Html } from './html.js';

export interface Bar {
  label: string;
  count: number;
  /** Where the count is in report.json, for the page's readers and its test. */
  path: string[];
  /** A second line under the label (e.g. the stage). */
  note?: string;
}

/** Rows of bars, largest first; `empty` when there are none. */
export function barChart(id: string, bars: Bar[], empty: string): Html {
  if (bars.length === 0) return html`<p class="empty" id="${id}">${empty}</p>`;
  const sorted = mergeShownAlike(bars).sort((a, b) => b.count - a.count);
  const max = Math.max(1, ...sorted.map((bar) => bar.count));
  const rows = sorted.map(
    (bar) => html`<tr>
  <th scope="row">${bar.label}${bar.note ? html`<small>${bar.note}</small>` : ''}</th>
  <td class="num">${countCell(bar.count, bar.path, 'report')}</td>
  <td class="bar-cell"><span class="bar" style="width:${((100 * bar.count) / max).toFixed(1)}%"></span></td>
</tr>`,
  );
  return html`<table class="bars" id="${id}"><tbody>${rows}</tbody></table>`;
}

/**
 * A number, tagged with where it comes from. A key of the report that holds a hash (a reason
 * quoting one) is shown with the hash hidden, in the path too: such a path names every key that
 * reads the same once hidden, and the number is their sum (see mergeShownAlike).
 */
export function countCell(count: number, path: string[], from: 'report' | 'verify'): Html {
  return html`<span class="count" data-from="${from}" data-path="${JSON.stringify(shownPath(path))}">${formatCount(count)}</span>`;
}

function shownPath(path: string[]): string[] {
  return path.map(hideSecrets);
}

/** Bars whose paths read the same once hashes are hidden, as one bar. */
function mergeShownAlike(bars: Bar[]): Bar[] {
  const byPath = new Map<string, Bar>();
  for (const bar of bars) {
    const key = JSON.stringify(shownPath(bar.path));
    const seen = byPath.get(key);
    if (seen) seen.count += bar.count;
    else byPath.set(key, { ...bar });
  }
  return [...byPath.values()];
}

const WIDTH = 720;
const HEIGHT = 220;
const PAD = { left: 64, right: 12, top: 12, bottom: 28 };

/** Users per second between consecutive points: delivered and read. */
export function ratesOf(points: readonly TimelinePoint[]): { atMs: number; delivered: number; read: number }[] {
  const rates = [];
  for (let i = 1; i < points.length; i++) {
    const seconds = (points[i].atMs - points[i - 1].atMs) / 1000;
    if (seconds <= 0) continue;
    rates.push({
      atMs: points[i].atMs,
      delivered: (points[i].delivered - points[i - 1].delivered) / seconds,
      read: (points[i].read - points[i - 1].read) / seconds,
    });
  }
  return rates;
}

/** Users read and delivered per second over the run, as an SVG line chart. */
export function throughputChart(points: readonly TimelinePoint[]): Html {
  const rates = ratesOf(points);
  if (rates.length < 2) return html`<p class="empty" id="throughput">the run was too short to draw its throughput</p>`;
  const endMs = rates.at(-1)!.atMs;
  const top = Math.max(1, ...rates.map((r) => Math.max(r.delivered, r.read)));
  const x = (atMs: number) => PAD.left + ((WIDTH - PAD.left - PAD.right) * atMs) / Math.max(1, endMs);
  const y = (rate: number) => HEIGHT - PAD.bottom - ((HEIGHT - PAD.top - PAD.bottom) * rate) / top;
  const line = (pick: (r: (typeof rates)[number]) => number) => rates.map((r) => `${x(r.atMs).toFixed(1)},${y(pick(r)).toFixed(1)}`).join(' ');
  return html`<svg id="throughput" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="users per second over time">
  <title>users read and delivered per second over the run</title>
  <line class="axis" x1="${PAD.left}" y1="${HEIGHT - PAD.bottom}" x2="${WIDTH - PAD.right}" y2="${HEIGHT - PAD.bottom}"/>
  <line class="axis" x1="${PAD.left}" y1="${PAD.top}" x2="${PAD.left}" y2="${HEIGHT - PAD.bottom}"/>
  <text x="${PAD.left - 6}" y="${PAD.top + 10}" text-anchor="end">${formatCount(top)}/s</text>
  <text x="${PAD.left - 6}" y="${HEIGHT - PAD.bottom}" text-anchor="end">0</text>
  <text x="${WIDTH - PAD.right}" y="${HEIGHT - 8}" text-anchor="end">${formatElapsed(endMs)}</text>
  <polyline class="read" points="${line((r) => r.read)}"/>
  <polyline class="delivered" points="${line((r) => r.delivered)}"/>
</svg>
<p class="legend"><span class="key read"></span> read <span class="key delivered"></span> delivered (written or already present)</p>`;
}
