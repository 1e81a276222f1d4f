/**
 * `realtime-canary report <run-dir> [--out FILE]`: renders report.html from a run folder (events.jsonl or, as
 * downloaded from Blob Storage, events.jsonl.gz; the WAVs and report.json; without report.json the trace is
 * analysed again with the default thresholds).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { analyzeTrace } from '../analysis/index.js';
import { runProblem } from '../analysis/category.js';
import type { Trace } from '../trace/trace.js';
import { REPORT_SCHEMA_VERSION, buildReport, type Report } from '../analysis/report.js';
import { InputError } from '../errors.js';
import { encodePath } from '../report/escape.js';
import { renderRunHtml } from '../report/runHtml.js';
import { REPORT_HTML, REPORT_JSON, wavName } from '../store/layout.js';
import { UsageError, parse } from './args.js';
import { readRunFolder } from './runFolder.js';

const HELP = `realtime-canary report <run-dir> [--out FILE]

Renders the run folder's report as a self-contained HTML page (default <run-dir>/report.html) and prints its path.
The run folder is what "realtime-canary probe" writes (events.jsonl, turn-<n>.wav, prompt-<n>.wav, report.json)
or a run folder downloaded from Blob Storage (events.jsonl.gz instead of events.jsonl).
Without report.json the trace is analysed with the default detection thresholds.

  --out FILE   where to write the page; its audio players point at the WAVs in <run-dir>
Exit codes: 0 written, 2 usage error or unreadable run folder.`;

export async function reportCommand(argv: string[]): Promise<number> {
  const { values: f, positionals } = parse(argv, { help: { type: 'boolean', short: 'h' }, out: { type: 'string' } });
  if (f.help) {
    console.log(HELP);
    return 0;
  }
  if (positionals.length !== 1) {
    throw new UsageError(
      'run-dir',
      positionals.length
        ? `expects one run folder, got ${positionals.length}`
        : 'is required: realtime-canary report <run-dir>',
    );
  }
  const dir = resolve(positionals[0]!);
  const trace = await readRunFolder(dir);
  const stored = await readReport(join(dir, REPORT_JSON));
  const report = stored ? withProblem(stored, trace) : buildReport(trace, analyzeTrace(trace));
  if (report.runId !== trace.meta.runId) {
    throw new InputError(
      join(dir, REPORT_JSON),
      `belongs to run ${report.runId}, but events.jsonl to run ${trace.meta.runId}`,
    );
  }
  const out = resolve(f.out ?? join(dir, REPORT_HTML));
  const toRunDir = relative(dirname(out), dir).split(sep).join('/');
  const html = renderRunHtml(report, trace, {
    audioHref: (kind, turn) => encodePath(toRunDir ? `${toRunDir}/${wavName(kind, turn)}` : wavName(kind, turn)),
  });
  try {
    await writeFile(out, html);
  } catch (err) {
    throw new InputError(out, `cannot be written: ${(err as Error).message}`);
  }
  console.log(out);
  return 0;
}

/** A report.json written before runs were classified (no `problem`) gets its classification from the trace. */
function withProblem(report: Report, trace: Trace): Report {
  if (report.verdict === 'pass' || report.problem) return report;
  const problem = runProblem(trace, analyzeTrace(trace));
  return problem ? { ...report, problem } : report;
}

/** report.json of the folder, undefined when there is none; InputError when it is unreadable or of another version. */
async function readReport(path: string): Promise<Report | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new InputError(path, 'is not valid JSON');
  }
  const version =
    parsed !== null && typeof parsed === 'object' ? (parsed as { schemaVersion?: unknown }).schemaVersion : undefined;
  if (version !== REPORT_SCHEMA_VERSION) {
    throw new InputError(
      path,
      `has report schema version ${String(version)}; this build renders version ${REPORT_SCHEMA_VERSION}`,
    );
  }
  return parsed as Report;
}
