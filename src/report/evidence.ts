/**
 * `evidence.zip`, written next to report.html at publish time: everything a support engineer (or the on-call
 * engineer) needs from one run in one download — the event log (`events.jsonl`), the answer and prompt WAVs,
 * `report.json`, and `support-summary.txt`, ready to paste into an Azure support request (session id, response
 * ids, request ids, region, times in UTC). A configuration problem of the canary carries `what-to-fix.txt` instead:
 * there is nothing to send to support. Pure: the same inputs give the same bytes (entries are stamped with the
 * run's start time, not the clock). Secrets are scrubbed from every text file. The zip is streamed: each WAV's
 * PCM goes in as it sits in the trace (no second copy of the audio), and the archive is one allocation.
 */
import { Zip, ZipDeflate, ZipPassThrough, type ZipInputFile } from 'fflate';
import { wavParts } from '../audio/wav.js';
import type { Report } from '../analysis/report.js';
import { EVENTS_FILE, serializeEvents, traceAudio } from '../probe/traceFile.js';
import type { Trace } from '../probe/trace.js';
import { scrub } from '../realtime/redact.js';
import { configurationProblem } from './configuration.js';
import { correlationOf } from './correlation.js';
import { supportSummary } from './supportSummary.js';

/** The file name the report links to (next to report.html). */
export const EVIDENCE_ZIP = 'evidence.zip';
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

/** The zip of one run's evidence. */
export function buildEvidenceZip(input: EvidenceInput): Buffer {
  const { report, trace } = input;
  const secrets = input.secrets ?? [];
  const text = (s: string): Uint8Array => new TextEncoder().encode(scrub(s, secrets));
  const mtime = Number.isNaN(Date.parse(report.times.startedAt)) ? 0 : Date.parse(report.times.startedAt);
  const chunks: Uint8Array[] = [];
  const zip = new Zip((err, chunk) => {
    if (err) throw err;
    chunks.push(chunk);
  });
  const add = <F extends ZipInputFile & { push(chunk: Uint8Array, final?: boolean): void }>(file: F, parts: Uint8Array[]): void => {
    file.mtime = mtime;
    zip.add(file);
    parts.forEach((p, i) => file.push(p, i === parts.length - 1));
  };
  const config = configurationProblem(report);
  if (config) add(new ZipDeflate(WHAT_TO_FIX_FILE, { level: 6 }), [text(`${config.what}\n\nWhat to fix: ${config.fix}\n\nThis is a configuration problem of the canary, not a service incident: no support case is needed.\n`)]);
  else add(new ZipDeflate(SUPPORT_SUMMARY_FILE, { level: 6 }), [text(`${supportSummary(report, correlationOf(report, trace))}\n`)]);
  add(new ZipDeflate('report.json', { level: 6 }), [text(JSON.stringify(report, null, 2))]);
  add(new ZipDeflate(EVENTS_FILE, { level: 6 }), [text(input.events ?? serializeEvents(trace, secrets))]);
  // PCM barely compresses: the WAVs are stored as they are
  for (const [name, pcm] of traceAudio(trace)) add(new ZipPassThrough(name), wavParts(pcm));
  zip.end();
  return Buffer.concat(chunks);
}
