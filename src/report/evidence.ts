/**
 * `evidence.zip`, written next to report.html at publish time: everything a support engineer (or the on-call
 * engineer) needs from one run in one download — the event log (`events.jsonl`), the answer and prompt WAVs, a
 * WebRTC run's RTP logs (`rtp-<n>.bin`), `report.json`, and `support-summary.txt`, ready to paste into an Azure
 * support request (session id, WebRTC call id, response ids, request ids, region, times in UTC). A configuration
 * problem of the canary, or a capacity problem (rate limited, no capacity), carries `what-to-fix.txt` instead: there
 * is nothing to send to support. Pure: the same inputs give the same bytes (entries are stamped with the run's start
 * time, not the clock). Secrets are scrubbed from every text file. The text files are deflated on zlib's thread pool
 * (a flooded event log is 30 MB: deflating it on the event loop stalled every other session for seconds); each WAV's
 * PCM and each RTP log go in as they sit in the trace (stored: PCM barely compresses), and the archive is handed to
 * the store as parts, so the audio is never copied to be zipped.
 */
import { promisify } from 'node:util';
import { crc32, deflateRaw } from 'node:zlib';
import { Zip, ZipPassThrough, type ZipInputFile } from 'fflate';
import { wavParts } from '../audio/wav.js';
import type { Report } from '../analysis/report.js';
import { EVENTS_JSONL, REPORT_JSON, rtpLogName } from '../store/layout.js';
import { serializeEvents, traceAudio } from '../trace/traceFile.js';
import type { Trace } from '../trace/trace.js';
import { scrub } from '../realtime/redact.js';
import { reportProblem, type ReportProblem } from './configuration.js';
import { correlationOf } from './correlation.js';
import { supportSummary } from './supportSummary.js';

const deflateRawAsync = promisify(deflateRaw);

/** The zip's own entries besides the run folder's files (the zip itself is layout.ts's EVIDENCE_ZIP). */
export const SUPPORT_SUMMARY_FILE = 'support-summary.txt';
export const WHAT_TO_FIX_FILE = 'what-to-fix.txt';

export interface EvidenceInput {
  report: Report;
  trace: Trace;
  /** Values that must never appear in the zip (keys, tokens, SAS signatures). */
  secrets?: readonly string[];
  /** The scrubbed events.jsonl text when the caller has it already (else serialized here). */
  events?: string;
}

/** The zip of one run's evidence, as one buffer. */
export async function buildEvidenceZip(input: EvidenceInput): Promise<Buffer> {
  return Buffer.concat(await evidenceZipParts(input));
}

/**
 * The zip of one run's evidence as the parts to write one after the other; the WAV entries' data parts are the
 * trace's own PCM (a store writes them from where they sit: no copy of the audio, see ../store/artifactStore.ts).
 */
export async function evidenceZipParts(input: EvidenceInput): Promise<Uint8Array[]> {
  const { report, trace } = input;
  const secrets = input.secrets ?? [];
  const mtime = Number.isNaN(Date.parse(report.times.startedAt)) ? 0 : Date.parse(report.times.startedAt);
  const problem = reportProblem(report);
  // the event log comes scrubbed line by line (serializeEvents); the other texts are scrubbed here
  const texts: [name: string, text: string][] = [
    problem
      ? [WHAT_TO_FIX_FILE, scrub(whatToFix(problem), secrets)]
      : [SUPPORT_SUMMARY_FILE, scrub(`${supportSummary(report, correlationOf(report, trace))}\n`, secrets)],
    [REPORT_JSON, scrub(JSON.stringify(report, null, 2), secrets)],
    [EVENTS_JSONL, input.events ?? (await serializeEvents(trace, secrets))],
  ];
  const deflated = await Promise.all(
    texts.map(async ([name, text]) => {
      const bytes = Buffer.from(text, 'utf8');
      return { name, size: bytes.length, crc: crc32(bytes), data: await deflateRawAsync(bytes, { level: 6 }) };
    }),
  );
  const chunks: Uint8Array[] = [];
  const zip = new Zip((err, chunk) => {
    if (err) throw err;
    chunks.push(chunk);
  });
  for (const d of deflated) {
    // an entry compressed already: fflate's documented ZipInputFile, fed its deflate stream in one chunk
    const file: ZipInputFile = { filename: d.name, size: d.size, crc: d.crc, compression: 8, mtime };
    zip.add(file);
    file.ondata!(null, d.data, true);
  }
  const stored = (name: string, parts: readonly Uint8Array[]): void => {
    const file = new ZipPassThrough(name);
    file.mtime = mtime;
    zip.add(file);
    parts.forEach((part, i) => file.push(part, i === parts.length - 1));
  };
  for (const [name, pcm] of traceAudio(trace)) stored(name, wavParts(pcm));
  // WebRTC: every received RTP packet (arrival time, sequence number, RTP timestamp), what media findings are read from
  for (const [turn, log] of trace.rtp ?? []) stored(rtpLogName(turn), [log]);
  zip.end();
  return chunks;
}

/** `what-to-fix.txt`: a configuration or capacity problem in words, instead of a support case summary. */
function whatToFix(p: ReportProblem): string {
  const kind =
    p.category === 'configuration'
      ? 'This is a configuration problem of the canary, not a service incident: no support case is needed.'
      : 'This is a capacity or quota problem, not a service incident: retry, raise the quota or move region; no support case is needed.';
  return `${p.what}\n\n${p.category === 'configuration' ? 'What to fix' : 'What to do'}: ${p.fix}\n\n${kind}\n`;
}
