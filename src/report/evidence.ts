/**
 * `evidence.zip`, written next to report.html at publish time: everything a support engineer (or the on-call
 * engineer) needs from one run in one download — the event log (`events.jsonl`), the answer and prompt WAVs,
 * `report.json`, and `support-summary.txt`, ready to paste into an Azure support request (session id, response
 * ids, request ids, region, times in UTC). A configuration problem of the canary carries `what-to-fix.txt` instead:
 * there is nothing to send to support. Pure: the same inputs give the same bytes (entries are stamped with the
 * run's start time, not the clock). Secrets are scrubbed from every text file.
 */
import { zipSync, type Zippable } from 'fflate';
import type { Report } from '../analysis/report.js';
import { EVENTS_FILE, serializeEvents, traceWavs } from '../probe/traceFile.js';
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
}

/** The zip of one run's evidence. */
export function buildEvidenceZip(input: EvidenceInput): Buffer {
  const { report, trace } = input;
  const secrets = input.secrets ?? [];
  const text = (s: string): Uint8Array => new TextEncoder().encode(scrub(s, secrets));
  const mtime = Number.isNaN(Date.parse(report.times.startedAt)) ? 0 : Date.parse(report.times.startedAt);
  const files: Zippable = {};
  const config = configurationProblem(report);
  if (config) files[WHAT_TO_FIX_FILE] = [text(`${config.what}\n\nWhat to fix: ${config.fix}\n\nThis is a configuration problem of the canary, not a service incident: no support case is needed.\n`), { mtime }];
  else files[SUPPORT_SUMMARY_FILE] = [text(`${supportSummary(report, correlationOf(report, trace))}\n`), { mtime }];
  files['report.json'] = [text(JSON.stringify(report, null, 2)), { mtime }];
  files[EVENTS_FILE] = [text(serializeEvents(trace, secrets)), { mtime }];
  // PCM barely compresses: store the WAVs as they are.
  for (const [name, wav] of traceWavs(trace)) files[name] = [new Uint8Array(wav.buffer, wav.byteOffset, wav.length), { level: 0, mtime }];
  return Buffer.from(zipSync(files, { level: 6 }));
}
