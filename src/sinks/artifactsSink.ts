/**
 * The artifacts sink: one target's run folder in the store — the gzip'd event log, the audio, report.json and
 * report.html, evidence.zip (the event log, WAVs, report.json and a support summary in one download), for WebRTC
 * the RTP logs, and its confirmation probes in `confirm-<n>/` — written as soon as that probe ended, plus the
 * healthy-turn history the analysis learns from.
 * Every artifact is written on its own (one that cannot be serialized does not stop the others), every text
 * is scrubbed, and the event log is serialized by `serializeEvents`, which cannot throw (an entry nested deeper
 * than JSON.stringify can follow keeps its top-level fields), so the rest of the event log is kept.
 */
import type { HistorySample } from '../analysis/history.js';
import { wavParts } from '../audio/wav.js';
import { evidenceZipParts } from '../report/evidence.js';
import { serializeEvents, traceAudio } from '../trace/traceFile.js';
import type { Trace } from '../trace/trace.js';
import { scrub } from '../realtime/redact.js';
import type { ArtifactStore, Body } from '../store/artifactStore.js';
import { gzipText } from '../store/gzip.js';
import {
  contentTypeFor,
  EVENTS_GZ,
  EVIDENCE_ZIP,
  REPORT_HTML,
  REPORT_JSON,
  historyPath,
  rtpLogName,
} from '../store/layout.js';
import { errorText } from './fanOut.js';
import { isAnalysisReport, type RunSink } from './runSink.js';

/** Turns kept per target in `history/`. */
export const HISTORY_KEEP = 50;

/** A store that can be told to stop trying (the spool wrapper): writes after that go to the local spool. */
export type DivertableStore = ArtifactStore & { markUnavailable?: (reason: string) => void };

export function artifactsSink(store: DivertableStore, budgetMs = 90_000): RunSink {
  /** Every artifact is stored with the layout's content type for its path. */
  const put = (path: string, body: Body): Promise<void> => store.put(path, body, contentTypeFor(path));
  return {
    name: 'artifacts',
    budgetMs,
    stage: 'record',
    async onArtifacts(run, ctx) {
      // past this sink's budget the store is too slow: the remaining writes go to the local spool, not lost
      const onAbort = (): void => store.markUnavailable?.('artifact writes ran out of their budget (slow storage)');
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      const failed: string[] = [];
      const attempt = async (what: string, write: () => Promise<void>): Promise<void> => {
        try {
          await write();
        } catch (err) {
          failed.push(`${what}: ${errorText(err)}`);
        }
      };
      const { paths, secrets, trace } = run;
      try {
        // serialized once, for events.jsonl.gz and evidence.zip
        const events = trace ? await serializeEvents(trace, secrets) : '';
        if (trace) {
          await attempt('events', async () => put(paths.events, await gzipText(events)));
          await attempt('audio', async () => {
            // each WAV is its header and the trace's PCM as it sits, written in parts: the audio is not copied
            for (const [name, pcm] of traceAudio(trace)) await put(paths.dir + name, wavParts(pcm));
            for (const [turn, log] of trace.rtp ?? []) await put(paths.dir + rtpLogName(turn), log);
          });
        }
        await attempt(REPORT_JSON, () => put(paths.reportJson, scrub(JSON.stringify(run.report, null, 2), secrets)));
        const report = run.report;
        if (trace && isAnalysisReport(report)) {
          await attempt(EVIDENCE_ZIP, async () =>
            put(paths.dir + EVIDENCE_ZIP, await evidenceZipParts({ report, trace, secrets, events })),
          );
        }
        if (run.html !== undefined) {
          const html = run.html;
          await attempt(REPORT_HTML, () => put(paths.reportHtml, scrub(html, secrets)));
        }
        for (const c of run.confirmations ?? []) {
          const dir = paths.dir + c.dir;
          const ct = c.trace;
          if (ct) {
            await attempt(`${c.dir}events`, async () =>
              put(dir + EVENTS_GZ, await gzipText(await serializeEvents(ct, secrets))),
            );
            await attempt(`${c.dir}audio`, async () => {
              for (const [name, pcm] of traceAudio(ct)) await put(dir + name, wavParts(pcm));
            });
          }
          await attempt(c.dir + REPORT_JSON, () =>
            put(dir + REPORT_JSON, scrub(JSON.stringify(c.report, null, 2), secrets)),
          );
        }
        // the analysis's learning, not the run's record (and not spoolable: an ETag-guarded update): a warning, so a
        // queued probe is not retried — probed again — for it
        if (run.history.length > 0)
          await rememberHealthy(store, run.region, run.target, run.history).catch((err: unknown) =>
            ctx.log.warn(`${run.target}: its healthy turns were not added to the history (${errorText(err)})`),
          );
      } finally {
        ctx.signal.removeEventListener('abort', onAbort);
      }
      if (failed.length) throw new Error(`${run.target}: ${failed.join('; ')}`);
    },
    async onSummary(run) {
      if (run.report) await put(run.paths.reportJson, scrub(JSON.stringify(run.report, null, 2), run.secrets));
    },
  };
}

async function rememberHealthy(
  store: ArtifactStore,
  region: string,
  target: string,
  samples: HistorySample[],
): Promise<void> {
  await store.updateJson<HistorySample[]>(historyPath(region, target), (cur) =>
    [...(Array.isArray(cur) ? cur : []), ...samples].slice(-HISTORY_KEEP),
  );
}
