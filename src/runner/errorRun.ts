/**
 * Runs that have no analysis — a target whose configuration cannot be used (missing secret, unknown prompt),
 * a probe that did not end, analysis or rendering that threw on a hostile trace — still become a run:
 * report.json as an error document saying what to fix, and a small report.html; ./summarize.ts makes its
 * `error` summary (index line, alert, dashboard cell) from that document. Never a silent skip. (Analysed runs get
 * their category from src/analysis/category.ts.)
 */
import type { TargetConfig } from '../config/targets.js';
import { ConfigError } from '../errors.js';
import { escapeText } from '../report/escape.js';
import type { RunCategory } from '../analysis/category.js';
import type { ErrorReport } from '../sinks/runSink.js';

/** What went wrong and where. */
export interface RunError {
  stage: ErrorReport['error']['stage'];
  message: string;
}

/** A sentence on what to do, by stage and (for configuration) by the field named. */
export function fixFor(e: RunError): string {
  if (e.stage === 'configuration') {
    if (/secretSetting/.test(e.message))
      return (
        'Set the app setting this target names in "secretSetting" (or grant the app access to the Key Vault ' +
        'secret it references); the next round probes it.'
      );
    if (/^prompt/.test(e.message))
      return 'Use a prompt id from the catalogue (prompts/) or a .wav path in CANARY_PROMPTS or the target\'s "prompts".';
    return 'Fix the named field of this target in CANARY_TARGETS (or the config blob); the next round probes it.';
  }
  if (e.stage === 'probe')
    return 'The session did not end within the round deadline; check the endpoint, or lower CANARY_TURNS / raise CANARY_ROUND_DEADLINE_MS.';
  return 'The trace is kept next to this report (events.jsonl.gz): the service sent data the canary could not analyse or render. Report it with this run id.';
}

/** report.json and report.html of an error run. */
export interface ErrorRun {
  report: ErrorReport;
  html: string;
}

/** The {@link ErrorRun} of a target that failed at stage `e`. */
export function errorRun(
  cfg: TargetConfig,
  e: RunError,
  at: { runId: string; startedAt: string; region: string; host: string; flavour: string },
): ErrorRun {
  const category: RunCategory = e.stage === 'configuration' ? 'configuration' : 'incident';
  const fix = fixFor(e);
  const report: ErrorReport = {
    schemaVersion: 1,
    kind: 'error-report',
    runId: at.runId,
    target: {
      name: cfg.name,
      flavour: at.flavour,
      host: at.host,
      deployment: cfg.deployment ?? null,
      region: at.region,
    },
    verdict: 'error',
    category,
    error: { stage: e.stage, message: e.message, fix },
    times: { startedAt: at.startedAt },
  };
  const html =
    `<!doctype html><html lang="en"><meta charset="utf-8"><title>ERROR · ${escapeText(cfg.name)}</title>
<body style="font-family:system-ui,sans-serif;max-width:760px;margin:24px auto"><h1>ERROR · ${escapeText(cfg.name)}</h1>
<p>Run ${escapeText(at.runId)} · ${escapeText(at.startedAt)} · ${escapeText(at.region)}</p>
<h2>${escapeText(e.stage === 'configuration' ? 'Configuration problem' : `The ${e.stage} failed`)}</h2>` +
    `<pre style="white-space:pre-wrap">${escapeText(e.message)}</pre>
<h2>What to do</h2><p>${escapeText(fix)}</p></body></html>`;
  return { report, html };
}

/** The error of a thrown value, as a stage and a message (a ConfigError's names its field). */
export function runError(stage: RunError['stage'], err: unknown): RunError {
  return {
    stage,
    message:
      err instanceof ConfigError ? err.message : err instanceof Error ? `${err.name}: ${err.message}` : String(err),
  };
}
