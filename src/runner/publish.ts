/**
 * Writes one target's run into the artifact store, in the documented layout: the gzip'd event log, the
 * audio, report.json and report.html, then its line in the daily index and its `latest` summary.
 */
import type { Report } from '../analysis/report.js';
import { serializeEvents, traceWavs } from '../probe/traceFile.js';
import type { Trace } from '../probe/trace.js';
import type { ArtifactStore } from '../store/artifactStore.js';
import { gzipText } from '../store/gzip.js';
import { dailyIndexPath, latestPath, type RunPaths } from '../store/layout.js';
import type { RunSummary } from '../runSummary.js';
import { scrub } from '../realtime/redact.js';

export interface PublishInput {
  trace: Trace;
  report: Report;
  summary: RunSummary;
  paths: RunPaths;
  roundStartedAt: Date;
  secrets: readonly string[];
  /** report.html for this run (issue 5's renderer); omitted when none is available. */
  html?: string;
}

export async function publishRun(store: ArtifactStore, p: PublishInput): Promise<void> {
  await store.put(p.paths.events, await gzipText(serializeEvents(p.trace, p.secrets)), 'application/gzip');
  for (const [name, wav] of traceWavs(p.trace)) await store.put(p.paths.dir + name, wav, 'audio/wav');
  await store.put(p.paths.reportJson, scrub(JSON.stringify(p.report, null, 2), p.secrets), 'application/json');
  if (p.html !== undefined) await store.put(p.paths.reportHtml, scrub(p.html, p.secrets), 'text/html; charset=utf-8');
  const line = scrub(JSON.stringify(p.summary), p.secrets);
  await store.appendLine(dailyIndexPath(p.roundStartedAt), line);
  await store.put(latestPath(p.summary.region, p.summary.target), line, 'application/json');
}
