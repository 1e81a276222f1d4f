/**
 * The run report's header, findings and correlation sections. Everything from the service or the configuration
 * is escaped here.
 *
 * DOM hooks: `[data-testid=header]` with `data-verdict` and `data-kind` (`incident` | `configuration` |
 * `capacity`), `[data-testid=configuration-problem]` / `[data-testid=capacity-problem]`, `nav[data-testid=run-links]`
 * with `a[data-testid=link-baseline]`, `a[data-testid=link-previous]`, `a[data-testid=link-dashboard]`, `a[data-testid=download-evidence]`,
 * `[data-testid=findings]` with `li[data-code]`, `[data-testid=correlation]` (ids `div[data-header]`),
 * `textarea[data-testid=support-summary]`, `button[data-testid=copy-support]`.
 */
import { FINDING_WORDS } from '../analysis/findings.js';
import type { Report } from '../analysis/report.js';
import { escapeAttr, escapeText } from './escape.js';
import { isRelative } from './turnHtml.js';
import { duration, utc } from './format.js';
import type { ReportProblem } from './configuration.js';
import { transportName, type Correlation } from './correlation.js';

/** Links from a run's report to the pages around it; relative ones resolve against the report. */
export interface RunLinks {
  /** The baseline's run of the same round. */
  baseline?: string;
  /** This target's previous run. */
  previousRun?: string;
  /** The fleet dashboard. */
  dashboard?: string;
  /** `evidence.zip` next to report.html (event log, WAVs, report.json, support summary). */
  evidence?: string;
}

/** "3 (1 failing)", "2, neither could run", "3 (1 failing, 1 could not run)". */
export function turnsText(report: Report): string {
  const { turns, failingTurns, errorTurns } = report.summary;
  if (turns > 0 && errorTurns === turns)
    return `${turns}, ${turns === 2 ? 'neither' : turns === 1 ? 'it' : 'none'} could run`;
  return `${turns} (${failingTurns} failing${errorTurns ? `, ${errorTurns} could not run` : ''})`;
}

/** The header: verdict, target, flavour, transport, region, deployment, UTC time, duration, the headline and the links. */
export function headerHtml(report: Report, links: RunLinks = {}, problem?: ReportProblem): string {
  const t = report.target;
  const facts: [string, string][] = [
    ['target', t.name],
    ['flavour', `${t.flavour} (${t.dialect})`],
    ['transport', transportName(report)],
    ['region', t.region ?? '—'],
    ['deployment', t.deployment ?? '—'],
    ['started', utc(report.times.startedAt)],
    ['duration', duration(report.times.durationMs)],
    ['turns', turnsText(report)],
  ];
  const kind = problem?.category ?? 'incident';
  const headline = problem
    ? problemBox(problem)
    : `<p class="headline">${escapeText(report.summary.headline ?? (report.verdict === 'pass' ? 'Every turn healthy.' : 'No failing finding.'))}</p>`;
  const badge = problem
    ? `<span class="badge v-${kind}">${kind}</span>`
    : `<span class="badge v-${escapeAttr(report.verdict)}">${escapeText(report.verdict)}</span>`;
  return (
    `<header data-testid="header" data-verdict="${escapeAttr(report.verdict)}" data-kind="${kind}">
<h1>${badge} ${escapeText(t.name)} ` +
    `<span class="muted">· ${escapeText(t.host)}</span></h1>
${headline}
${t.notice ? `<p class="notice" data-testid="flavour-notice">⚠ ${escapeText(t.notice)}</p>\n` : ''}${linksHtml(links)}
<dl class="facts">${facts.map(([k, v]) => `<div><dt>${escapeText(k)}</dt><dd>${escapeText(v)}</dd></div>`).join('')}</dl>
<nav class="muted"><a href="#findings">Findings</a> ` +
    `· ${report.turns.map((x) => `<a href="#turn-${escapeAttr(x.turn)}">Turn ${escapeText(x.turn)}</a>`).join(' · ')} ` +
    `· <a href="#correlation">${problem ? 'Ids' : 'Ids for support'}</a> · <a href="#events">Events</a></nav>
</header>`
  );
}

/** Why a report has no support case summary. */
function noSummaryReason(problem: ReportProblem | undefined): string {
  return problem?.category === 'capacity'
    ? 'this is a capacity or quota problem (retry, raise the quota or move region), not a service incident'
    : 'this is a configuration problem of the canary, not a service incident';
}

/** What a configuration or capacity problem is and what to do: in the header, instead of the headline. */
function problemBox(p: ReportProblem): string {
  const [title, then, label] =
    p.category === 'configuration'
      ? [
          'Configuration problem, not a service incident.',
          'Nothing is wrong with the service that a support case could fix.',
          'What to fix:',
        ]
      : ['Capacity or quota, not a service incident.', 'It is transient; retrying is the first remedy.', 'What to do:'];
  return (
    `<div class="${p.category}-problem problem-box" data-testid="${p.category}-problem">` +
    `<p><b>${title}</b> ${escapeText(p.what)} ${then}</p><p><b>${label}</b> ${escapeText(p.fix)}</p></div>`
  );
}

function linksHtml(links: RunLinks): string {
  const a = (id: string, href: string | undefined, text: string, extra = ''): string =>
    href
      ? `<a class="btn" data-testid="${id}" data-href="${escapeAttr(href)}"${isRelative(href) ? ' data-rel="1"' : ''}${extra}>${text}</a>`
      : '';
  const parts = [
    a('download-evidence', links.evidence, '⬇ Download evidence', ' download="evidence.zip"'),
    a('link-baseline', links.baseline, 'Baseline’s run, same minute'),
    a('link-previous', links.previousRun, 'Previous run of this target'),
    a('link-dashboard', links.dashboard, 'Dashboard'),
  ].filter(Boolean);
  return parts.length ? `<nav class="run-links" data-testid="run-links">${parts.join('')}</nav>` : '';
}

/** Every finding with its explanation, run-level first, then by turn. */
export function findingsHtml(report: Report): string {
  const findings = [...report.findings, ...report.turns.flatMap((t) => t.findings)];
  if (!findings.length)
    return '<section id="findings" data-testid="findings"><h2>Findings</h2><p class="muted">None: every turn was healthy.</p></section>';
  const items = findings.map((f) => {
    const help = FINDING_WORDS[f.code];
    const where = f.turn === null ? 'session' : `<a href="#turn-${escapeAttr(f.turn)}">turn ${escapeText(f.turn)}</a>`;
    return (
      `<li data-code="${escapeAttr(f.code)}" data-turn="${escapeAttr(f.turn)}"><details><summary>` +
      `<span class="sev sev-${escapeAttr(f.severity)}">${escapeText(f.severity)}</span> ` +
      `<b>${escapeText(help?.title ?? f.code)}</b> <span class="muted">(${where}, ` +
      `<code>${escapeText(f.code)}</code>)</span> — ${escapeText(f.message)}</summary>` +
      `<p class="explain">${escapeText(help?.explanation ?? '')}</p></details></li>`
    );
  });
  return `<section id="findings" data-testid="findings"><h2>Findings</h2><ul class="findings">${items.join('')}</ul></section>`;
}

/**
 * The ids support asks for, and (for an incident, not a configuration or capacity problem) the ready-to-paste case
 * summary; without one, `problem` says why there is none.
 */
export function correlationHtml(c: Correlation, summary: string | undefined, problem?: ReportProblem): string {
  const facts: [string, string][] = [
    ['Session id', c.sessionId ?? '—'],
    ...(c.callId ? [['WebRTC call id', c.callId] as [string, string]] : []),
    ['Conversation ids', c.conversationIds.join(', ') || '—'],
    ['Response ids', c.turns.flatMap((t) => t.responses.map((r) => r.id)).join(', ') || '—'],
    ['Item ids', c.turns.flatMap((t) => t.itemIds).join(', ') || '—'],
    ...c.ids.map((id): [string, string] => [`${id.label} (${id.header})`, id.value]),
    ['Client event ids', c.turns.flatMap((t) => t.clientEventIds).join(', ') || '— (the probe sent none)'],
    ['Started (UTC)', c.startedAt],
    ['Ended (UTC)', c.endedAt],
    ['Endpoint host', c.endpointHost],
    ['Transport', c.transport],
    [c.transport === 'WebRTC' ? 'Endpoint (WebRTC call)' : 'Endpoint', c.endpoint],
    ['Deployment', c.deployment ?? '—'],
    ['Model', c.model ?? '—'],
    ['API version', c.apiVersion ?? '—'],
    ['Client region', c.region ?? '—'],
    ['Run id', c.runId],
  ];
  const rows = c.turns.flatMap((t) =>
    t.responses.map(
      (r) =>
        `<tr><td>${escapeText(t.turn)}</td><td class="mono">${escapeText(r.id)}</td>` +
        `<td class="mono">${escapeText(r.createdAt ?? '—')}</td><td ` +
        `class="mono">${escapeText(r.doneAt ?? 'never')}</td>` +
        `<td>${escapeText(r.status ?? '—')}${r.statusDetails ? ` <code>${escapeText(r.statusDetails)}</code>` : ''}</td></tr>`,
    ),
  );
  const head =
    '<thead><tr><th>turn</th><th>response id</th><th>created (UTC)</th><th>done (UTC)</th><th>status</th></tr></thead>';
  const table = rows.length ? `<table class="responses">${head}<tbody>${rows.join('')}</tbody></table>` : '';
  const copy = '<button type="button" data-testid="copy-support">Copy</button>';
  const copyStatus = '<span class="muted" data-testid="copy-status" aria-live="polite"></span>';
  return `<section id="correlation" data-testid="correlation"><h2>${summary === undefined ? 'Ids' : 'Ids for support'}</h2>
<dl class="ids">${facts.map(([k, v]) => `<div><dt>${escapeText(k)}</dt><dd class="mono">${escapeText(v)}</dd></div>`).join('')}</dl>
${table}
${
  summary === undefined
    ? `<p class="muted" data-testid="no-support-summary">No support case summary: ${noSummaryReason(problem)}.</p>`
    : `<h3>Support case summary ${copy} ${copyStatus}</h3>
<textarea data-testid="support-summary" readonly rows="${Math.min(30, summary.split('\n').length + 1)}" spellcheck="false">${escapeText(summary)}</textarea>`
}
</section>`;
}

/** CSS for the header, findings and correlation sections. */
export const SECTIONS_CSS =
  `
.headline{font-size:15px;margin:4px 0 8px}.facts,.ids{display:grid;grid-template-columns:repeat(auto-fill,minmax(200px,1fr));gap:6px 18px;margin:8px 0}
.facts dt,.ids dt{color:var(--muted);font-size:12px}.facts dd,.ids dd{margin:0;font-weight:600;overflow-wrap:anywhere}
.ids{grid-template-columns:repeat(auto-fill,minmax(300px,1fr))}.findings{list-style:none;padding:0}.findings li{margin:4px 0}
.findings summary{cursor:pointer}.explain{margin:4px 0 8px 18px;color:var(--muted);max-width:900px}
textarea{width:100%;field-sizing:content;max-height:80vh;font:12.5px/1.4 ` +
  `ui-monospace,Menlo,Consolas,monospace;background:var(--panel);color:var(--fg);border:1px solid var(--line);border-radius:6px;padding:8px}
.responses{margin:8px 0;font-size:12.5px}
.run-links{display:flex;flex-wrap:wrap;gap:8px;margin:8px 0}.btn{display:inline-block;padding:3px 10px;border:1px ` +
  `solid var(--line);border-radius:6px;background:var(--panel);text-decoration:none;font-size:13px}
.v-configuration,.v-capacity{background:var(--error)}.problem-box{border-left:4px solid ` +
  `var(--error);background:var(--panel);padding:6px 12px;margin:8px 0;border-radius:0 6px 6px 0}.problem-box p{margin:4px 0}
`;
