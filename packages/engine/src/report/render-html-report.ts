// report.html: the run's report for people, one self-contained page (inline CSS and SVG, no script,
// no font, no image, and a Content-Security-Policy that forbids loading anything), readable offline
// and fit to share: no hash, no secret, e-mails masked in the sample. Every text from the input is
// escaped (html.ts) and has hashes hidden (hide-secrets.ts). Every count carries the path of the
// number it shows in report.json (or verify.json), so the page can be checked against the file.

import { formatCount } from '../format-count.js';
import { formatElapsed } from '../format-elapsed.js';
import type { RunReport } from '../pipeline.js';
import { type Bar, barChart, countCell, throughputChart } from './report-charts.js';
import { funnelOf } from './report-funnel.js';
import { REPORT_STYLE } from './report-style.js';
import { hideSecrets } from './hide-secrets.js';
import { html, type Html } from './html.js';
import type { VerificationSummary } from './verification.js';

const STATUS_TEXT: { [status in RunReport['status']]: string } = {
  completed: 'completed',
  incomplete: 'incomplete: some users could not be delivered — run the same command again to deliver them',
  'nothing-delivered': 'failed: no user was delivered',
  interrupted: 'interrupted — run the same command again to resume',
  'max-rejects': 'stopped: too many users refused (maxRejects)',
  failed: 'failed',
};

/** Why a user was written without a password, as `written.without-password.<cause>` names it. */
const CAUSE_TEXT: { [cause: string]: string } = {
  social: 'social or enterprise login: Auth0 holds no password',
  passwordless: 'passwordless login: Auth0 holds no password',
  'no-hash-in-export': 'no hash in the password export',
  'empty-hash': 'an empty hash in the password export',
  'hash-refused': 'hash refused, password dropped (the user resets it)',
};

/** The page for `report`, with what `idflow verify` found when it checked the target after this run. */
export function renderHtmlReport(report: RunReport, verification?: VerificationSummary): string {
  const title = `${report.pipeline}: ${report.dryRun ? 'dry run, ' : ''}${report.status}`;
  const page = html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — idflow report</title>
<style>${REPORT_STYLE}</style>
</head>
<body>
${header(report)}
${funnelSection(report, verification)}
${rejectionsSection(report)}
${withoutPasswordSection(report)}
${statesSection(report, verification)}
${warningsSection(report)}
${timeSection(report)}
${sampleSection(report)}
${filesSection(report)}
<footer>Written by idflow when the run ended; <code>idflow report ${folderOf(report)}</code> rebuilds it from report.json (and verify.json, when <code>idflow verify</code> ran after the run).</footer>
</body>
</html>
`;
  return page.text;
}

function shown(text: string): string {
  return hideSecrets(text);
}

function folderOf(report: RunReport): string {
  const path = report.reportPath ?? '';
  const cut = path.lastIndexOf('/');
  return cut > 0 ? path.slice(0, cut) : '<folder>';
}

function header(report: RunReport): Html {
  const statusClass = report.status === 'completed' ? 'ok' : report.status === 'interrupted' ? 'warn' : 'bad';
  const stages = [report.stages.source, ...report.stages.transforms, report.stages.sink].join(' → ');
  return html`<header>
<h1>${report.pipeline}</h1>
<p class="status ${statusClass}" id="status">${report.dryRun ? 'dry run — nothing was written to the target; ' : ''}${STATUS_TEXT[report.status]} (exit code ${report.exitCode})</p>
${report.error ? html`<p class="error" id="error">${shown(report.error.message)}</p>` : ''}
${report.alreadyCompleted ? html`<p class="note">The checkpoint said this pipeline had already completed: nothing was read or written.</p>` : ''}
<dl class="meta">
<dt>pipeline file</dt><dd>${report.file}</dd>
<dt>stages</dt><dd>${stages}</dd>
<dt>started</dt><dd>${report.startedAt}</dd>
<dt>finished</dt><dd>${report.finishedAt}</dd>
<dt>took</dt><dd>${formatElapsed(report.durationMs)} (${countCell(report.recordsPerSecond, ['recordsPerSecond'], 'report')} records/s)</dd>
${report.resumedFrom ? html`<dt>resumed after</dt><dd>${report.resumedFrom.file}:${report.resumedFrom.line} (counts include the earlier runs)</dd>` : ''}
</dl>
</header>`;
}

function funnelSection(report: RunReport, verification: VerificationSummary | undefined): Html {
  const steps = funnelOf(report, verification);
  const widest = Math.max(1, ...steps.map((step) => step.count ?? 0));
  const rows = steps.map((step) => {
    const value = step.count === undefined || !step.path ? html`<span class="unknown">not checked</span>` : countCell(step.count, step.path, step.from);
    const width = step.count === undefined ? 0 : (100 * step.count) / widest;
    return html`<tr>
  <th scope="row">${step.label}<small>${step.note}</small></th>
  <td class="num">${value}</td>
  <td class="bar-cell"><span class="bar funnel" style="width:${width.toFixed(1)}%"></span></td>
</tr>`;
  });
  const { counts } = report;
  return html`<section id="funnel">
<h2>From the export to the target</h2>
<table class="bars"><tbody>${rows}</tbody></table>
<p class="totals">Refused for good: ${countCell(counts.rejected, ['counts', 'rejected'], 'report')} users (in the dead-letter file and failures.csv).
Skipped on purpose (a filter): ${countCell(counts.skipped, ['counts', 'skipped'], 'report')} (final, not failures).
Undeliverable: ${countCell(counts.undeliverable, ['counts', 'undeliverable'], 'report')} (the target did not take them; not final — the next run sends them).
${counts.resumedSkipped > 0 ? html`Skipped as done by an earlier run: ${countCell(counts.resumedSkipped, ['counts', 'resumedSkipped'], 'report')}.` : ''}</p>
</section>`;
}

function rejectionsSection(report: RunReport): Html {
  const bars: Bar[] = Object.entries(report.rejectedByReason).flatMap(([stage, byReason]) =>
    Object.entries(byReason).map(([reason, count]) => ({ label: shown(reason), note: stage, count, path: ['rejectedByReason', stage, reason] })),
  );
  const undeliverable: Bar[] = Object.entries(report.undeliverableByReason ?? {}).map(([reason, count]) => ({
    label: shown(reason),
    count,
    path: ['undeliverableByReason', reason],
  }));
  const skipped: Bar[] = Object.entries(report.skippedByReason ?? {}).flatMap(([stage, byReason]) =>
    Object.entries(byReason).map(([reason, count]) => ({ label: shown(reason), note: stage, count, path: ['skippedByReason', stage, reason] })),
  );
  return html`<section id="rejections-section">
<h2>Refused, by reason</h2>
${barChart('rejections', bars, 'No record was refused.')}
${skipped.length > 0 ? html`<h3>Skipped on purpose, by reason</h3>${barChart('skipped', skipped, '')}` : ''}
${undeliverable.length > 0 ? html`<h3>Undeliverable, by the target’s last answer</h3>${barChart('undeliverable', undeliverable, '')}` : ''}
</section>`;
}

function withoutPasswordSection(report: RunReport): Html {
  const bars: Bar[] = Object.entries(report.writtenWithoutPassword ?? {}).map(([cause, count]) => ({
    label: CAUSE_TEXT[cause] ?? shown(cause),
    note: cause,
    count,
    path: ['writtenWithoutPassword', cause],
  }));
  return html`<section id="without-password-section">
<h2>Written without a password, by cause</h2>
${barChart('without-password', bars, 'Every user written got a password hash (or the sink does not count users without one).')}
</section>`;
}

/** `state.<state>` and `notifications.<kind>` counters of the sink. */
function sinkBars(report: RunReport, prefix: string): Bar[] {
  const sink = report.stages.sink;
  return Object.entries(report.metrics[sink] ?? {})
    .filter(([metric]) => metric.startsWith(prefix))
    .map(([metric, count]) => ({ label: metric.slice(prefix.length), count, path: ['metrics', sink, metric] }));
}

function statesSection(report: RunReport, verification: VerificationSummary | undefined): Html {
  const states = sinkBars(report, 'state.');
  const notifications = sinkBars(report, 'notifications.');
  return html`<section id="states-section">
<h2>Users’ state in the target</h2>
<p class="note">As the sink created them (users written by this job).</p>
${barChart('states', states, `The sink ${report.stages.sink} does not count the states users land in.`)}
<h3>Messages the target would send (when its SMTP / SMS provider is set up)</h3>
${barChart('notifications', notifications, report.dryRun ? 'Dry run: no user was created.' : 'None: no user gets an init or verification e-mail or SMS.')}
${verification ? verifiedStates(verification) : html`<p class="note">Not checked in the target: <code>idflow verify</code> reads every migrated user’s state back.</p>`}
</section>`;
}

function verifiedStates(verification: VerificationSummary): Html {
  const rows = Object.entries(verification.states).map(
    ([state, count]) => html`<tr><th scope="row">${state}</th><td class="num">${countCell(count, ['states', state], 'verify')}</td></tr>`,
  );
  const messages =
    typeof verification.messages === 'string'
      ? html`<p class="note">Messages sent: unknown (${verification.messages}).</p>`
      : html`<table class="plain"><tbody>${Object.entries(verification.messages).map(
          ([kind, count]) => html`<tr><th scope="row">${kind}</th><td class="num">${countCell(count, ['messages', kind], 'verify')}</td></tr>`,
        )}</tbody></table>`;
  return html`<h3>As idflow verify found them (${verification.verifiedAt})</h3>
<p class="note">${countCell(verification.checked, ['checked'], 'verify')} users checked: ${countCell(verification.missing, ['missing'], 'verify')} missing,
${countCell(verification.different, ['different'], 'verify')} different, ${countCell(verification.wrongState, ['wrongState'], 'verify')} in a wrong state.</p>
<table class="plain" id="verified-states"><tbody>${rows}</tbody></table>
${messages}`;
}

function warningsSection(report: RunReport): Html {
  const bars: Bar[] = Object.entries(report.warningsByKind ?? {}).flatMap(([plugin, kinds]) =>
    Object.entries(kinds).map(([kind, count]) => ({ label: shown(kind), note: plugin, count, path: ['warningsByKind', plugin, kind] })),
  );
  return html`<section id="warnings-section">
<h2>Warnings, by kind</h2>
<p class="note">${countCell(report.warnings, ['warnings'], 'report')} warnings; each is a line of warnings.csv with the user it is about.</p>
${barChart('warnings', bars, 'No warning.')}
</section>`;
}

function timeSection(report: RunReport): Html {
  const rows = report.timings.map((timing) => html`<tr><th scope="row">${timing.phase}</th><td class="num">${formatElapsed(timing.ms)}</td></tr>`);
  return html`<section id="time-section">
<h2>Time and throughput</h2>
<table class="plain" id="timings"><tbody>${rows}<tr class="total"><th scope="row">total</th><td class="num">${formatElapsed(report.durationMs)}</td></tr></tbody></table>
${throughputChart(report.timeline?.points ?? [])}
<p class="note">Sampled every ${formatElapsed(report.timeline?.everyMs ?? 0)} (the interval doubles on long runs); this run only.</p>
</section>`;
}

function sampleSection(report: RunReport): Html {
  const users = report.sample ?? [];
  const blocks = users.map(
    (user) => html`<div class="sample">
<h3>${user.origin}</h3>
<div class="pair"><figure><figcaption>from the source</figcaption><pre>${JSON.stringify(user.before, null, 2)}</pre></figure>
<figure><figcaption>sent to the target</figcaption><pre>${JSON.stringify(user.after, null, 2)}</pre></figure></div>
</div>`,
  );
  return html`<section id="sample-section">
<h2>A few users, before and after</h2>
<p class="note">Spread over the run; password hashes and credentials hidden, e-mail addresses masked, phone numbers cut.</p>
${users.length > 0 ? blocks : html`<p class="empty">No user passed the transforms.</p>`}
</section>`;
}

function filesSection(report: RunReport): Html {
  const files: [string, string | undefined, string][] = [
    ['failures', report.failuresPath, 'who was refused and why: user id, e-mail, stage, reason, origin (no record, no hash)'],
    ['warnings', report.warningsPath, 'whose data was changed: user id, e-mail, plugin, kind, message, origin'],
    ['dead letters', report.dlqPath, 'the refused records in full, for replay — holds password hashes: do not share'],
    ['report', report.reportPath, 'these numbers as JSON'],
    ['checkpoint', report.checkpointPath, 'where a resumed run goes on from'],
  ];
  const rows = files
    .filter(([, path]) => path)
    .map(([label, path, what]) => html`<tr><th scope="row">${label}</th><td><code>${path}</code><small>${what}</small></td></tr>`);
  return html`<section id="files-section">
<h2>Files</h2>
<table class="plain"><tbody>${rows}</tbody></table>
<p class="note">Totals: ${formatCount(report.counts.read)} records read, ${formatCount(report.counts.written)} written, ${formatCount(report.counts.present)} already present, ${formatCount(report.counts.rejected)} refused.</p>
</section>`;
}
