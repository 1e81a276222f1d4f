/**
 * One probe run end to end on the local side: probe → trace → analysis → report, written into a run folder
 * (`events.jsonl`, `turn-<n>.wav`, `prompt-<n>.wav`, `report.json`). Used by the CLI and the scheduled round.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { analyzeTrace, type DetectionConfig, type TargetHistory } from '../analysis/index.js';
import { buildReport, type Report } from '../analysis/report.js';
import type { ModelRetirement } from '../realtime/lifecycle.js';
import { scrub } from '../realtime/redact.js';
import type { ProbeOptions } from '../probe/options.js';
import { runProbe, targetSecrets, type ProbeTarget } from '../probe/session.js';
import type { Trace } from '../trace/trace.js';
import { writeTrace } from '../trace/traceFile.js';
import { REPORT_JSON } from '../store/layout.js';

export interface RunResult {
  trace: Trace;
  report: Report;
  /** The run folder, when one was written. */
  dir: string | undefined;
}

export interface RunOneOptions {
  probe: ProbeOptions;
  detection?: Partial<DetectionConfig>;
  history?: TargetHistory;
  /** The model-retirement table (default: the shipped one). */
  retirements?: readonly ModelRetirement[];
  /** Write the run folder here (omit to keep everything in memory). */
  outDir?: string;
}

export async function runOne(target: ProbeTarget, o: RunOneOptions): Promise<RunResult> {
  const trace = await runProbe(target, o.probe);
  const analysis = analyzeTrace(trace, o.detection, o.history, o.retirements);
  const report = buildReport(trace, analysis);
  if (o.outDir) await writeRunFolder(o.outDir, trace, report, targetSecrets(target));
  return { trace, report, dir: o.outDir };
}

export async function writeRunFolder(
  dir: string,
  trace: Trace,
  report: Report,
  secrets: readonly string[],
): Promise<void> {
  await writeTrace(dir, trace, secrets);
  await writeFile(join(dir, REPORT_JSON), scrub(JSON.stringify(report, null, 2), secrets) + '\n');
}
