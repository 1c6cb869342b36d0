// The HTML report's style sheet, inlined into the page (no external file may be loaded).

export const REPORT_STYLE = `
:root { color-scheme: light; --ink: #1d2733; --muted: #5b6775; --line: #d8dee6; --bar: #3f7fd0; --ok: #1f7a3e; --bad: #b3261e; --warn: #9a6200; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); max-width: 1040px; margin: 2rem auto; padding: 0 1.2rem; }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; } h2 { font-size: 1.2rem; margin: 2rem 0 .6rem; border-bottom: 1px solid var(--line); padding-bottom: .2rem; } h3 { font-size: 1rem; margin: 1.2rem 0 .4rem; }
.status { font-weight: 600; margin: .2rem 0; } .status.ok { color: var(--ok); } .status.bad, .error { color: var(--bad); } .status.warn { color: var(--warn); }
.meta { display: grid; grid-template-columns: max-content 1fr; gap: .15rem 1rem; margin: .8rem 0; } .meta dt { color: var(--muted); } .meta dd { margin: 0; overflow-wrap: anywhere; }
table { border-collapse: collapse; width: 100%; } th, td { text-align: left; vertical-align: top; padding: .3rem .5rem; border-bottom: 1px solid var(--line); }
th small, td small { display: block; color: var(--muted); font-weight: normal; font-size: .85em; }
.bars th { width: 45%; font-weight: 500; } .bars .num, .plain .num { width: 8rem; text-align: right; font-variant-numeric: tabular-nums; }
.bar-cell { width: 40%; } .bar { display: block; height: .9rem; background: var(--bar); border-radius: 2px; min-width: 1px; } .bar.funnel { background: #4c9a6a; }
.plain { width: auto; min-width: 50%; } .total th, .total td { font-weight: 600; }
.unknown, .empty, .note, .legend { color: var(--muted); }
svg { width: 100%; max-width: 720px; height: auto; display: block; margin-top: .8rem; } svg text { font-size: 11px; fill: var(--muted); }
svg .axis { stroke: var(--line); } svg polyline { fill: none; stroke-width: 2; } svg .read { stroke: #9aa5b1; } svg .delivered { stroke: var(--bar); }
.key { display: inline-block; width: 1.4rem; height: .25rem; vertical-align: middle; } .key.read { background: #9aa5b1; } .key.delivered { background: var(--bar); }
.sample { margin-bottom: 1rem; } .pair { display: grid; grid-template-columns: 1fr 1fr; gap: .8rem; } figure { margin: 0; } figcaption { color: var(--muted); font-size: .85em; }
pre { background: #f5f7fa; border: 1px solid var(--line); padding: .5rem; overflow-x: auto; font-size: 12px; margin: .2rem 0; white-space: pre-wrap; overflow-wrap: anywhere; }
code { font-size: .9em; overflow-wrap: anywhere; } footer { margin: 2.5rem 0 1rem; color: var(--muted); font-size: .85em; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } .sample { break-inside: avoid; } }
`;
