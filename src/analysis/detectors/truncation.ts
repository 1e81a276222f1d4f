/**
 * `audio_truncated`: the answer's audio ends before the answer does.
 *
 * Evidence, any one of which rules truncation (for a response the service finished, and not one it cancelled):
 * - usage: the output audio tokens (less a few per item of overhead) imply more audio than arrived, at the documented
 *   20 tokens/s, by at least `usageShortfallMinMs` and `usageShortfallFraction` of the implied length (the last ~0.7 s
 *   of an answer of up to ~40 s). With the default, unlearned ratio, a coverage below `defaultUsageCoverageFloor` is
 *   believed only together with a trailing transcript — a deployment counting several times the documented rate
 *   looks like that and must not fail every turn;
 * - trailing transcript: transcript deltas implying at least `trailingTranscriptMinMs` of speech arrived after
 *   the last audio delta — the text went on, the audio did not;
 * - transcript coverage: audio below `transcriptCoverageMin` (learned rate: `learnedTranscriptCoverageMin`) of the
 *   speech the transcript implies, when that is at least `minImpliedSpeechMs`. Loose on purpose: speaking rates vary;
 * - late deltas: audio deltas more than `audioDoneGraceMs` after their item's audio `.done` — a client that stops at
 *   `.done` (after a grace period) loses them. Deltas within the grace period are tolerated.
 */
import { BYTES_PER_MS } from '../../audio/wav.js';
import type { Finding } from '../findings.js';
import { dur, pct, sec } from '../format.js';
import { ms1 } from '../fields.js';
import type { TurnContext, TurnDetector } from './types.js';
import { answered } from './audioContent.js';

/** The reasons to believe the audio was cut short, and the best estimate of how much is missing. */
export function truncationEvidence(ctx: TurnContext): { clauses: string[]; missingMs: number } | undefined {
  const { metrics, config } = ctx;
  const c = metrics.coverage;
  const audioMs = metrics.audio.totalMs;
  const trailing = c.trailingTranscriptMs >= config.trailingTranscriptMinMs;
  const minCoverage =
    c.charsPerSecondSource === 'default' ? config.transcriptCoverageMin : config.learnedTranscriptCoverageMin;
  const shortTranscript =
    c.transcriptImpliedMs !== null &&
    c.transcriptRatio !== null &&
    c.transcriptImpliedMs >= config.minImpliedSpeechMs &&
    c.transcriptRatio < minCoverage;

  let usage = false;
  if (c.usageImpliedMs !== null && c.usageRatio !== null) {
    const shortfall = c.usageImpliedMs - audioMs;
    usage = shortfall >= Math.max(config.usageShortfallMinMs, config.usageShortfallFraction * c.usageImpliedMs);
    // Below the floor, the default ratio is more likely wrong than the audio 40 % short: believe it only when the
    // transcript also went on after the audio (a large cut without that is caught by the transcript coverage).
    if (usage && c.audioTokensSource === 'default' && c.usageRatio < config.defaultUsageCoverageFloor) usage = trailing;
  }
  const clauses: string[] = [];
  if (usage)
    clauses.push(
      `usage reports ${metrics.usage.outputAudioTokens} audio tokens ≈ ${sec(c.usageImpliedMs!)} (received ${pct(c.usageRatio!)})`,
    );
  if (trailing)
    clauses.push(
      `${c.trailingTranscriptChars} characters of transcript (≈ ${sec(c.trailingTranscriptMs)}) arrived after the last audio delta`,
    );
  if (shortTranscript)
    clauses.push(
      `the ${metrics.transcript.length}-character transcript implies ≈ ${sec(c.transcriptImpliedMs!)} (received ${pct(c.transcriptRatio!)})`,
    );
  if (!clauses.length) return undefined;
  const missingMs = usage
    ? c.usageImpliedMs! - audioMs
    : trailing
      ? c.trailingTranscriptMs
      : c.transcriptImpliedMs! - audioMs;
  return { clauses, missingMs: ms1(missingMs) };
}

function lateDeltaFindings(ctx: TurnContext): Finding[] {
  const grace = ctx.config.audioDoneGraceMs;
  const out: Finding[] = [];
  for (const r of ctx.view.responses) {
    for (const item of r.items) {
      const doneAt = item.done?.t;
      if (doneAt === undefined) continue;
      const late = item.deltas.filter((d) => d.t - doneAt > grace);
      if (!late.length) continue;
      const lateMs = late.reduce((s, d) => s + d.audio.bytes, 0) / BYTES_PER_MS;
      const lastLateness = late[late.length - 1]!.t - doneAt;
      out.push({
        code: 'audio_truncated',
        severity: 'major',
        turn: ctx.view.turn,
        atMs: ms1(late[0]!.audio.offset / BYTES_PER_MS),
        durationMs: ms1(lateMs),
        traceMs: ms1(doneAt),
        message:
          `${dur(lateMs)} of audio (${late.length} deltas) arrived up to ${dur(lastLateness)} after the ` +
          `audio .done of item ${item.id ?? '(no id)'}, beyond the ${dur(grace)} grace period; a client that stops at .done loses it.`,
      });
    }
  }
  return out;
}

export const audioTruncated: TurnDetector = {
  name: 'audio_truncated',
  detect(ctx): Finding[] {
    const { metrics, view } = ctx;
    if (
      metrics.audio.bytes === 0 ||
      !answered(ctx) ||
      !metrics.terminal.responseDone ||
      metrics.terminal.status === 'cancelled'
    )
      return [];
    const out = lateDeltaFindings(ctx);
    const evidence = truncationEvidence(ctx);
    if (evidence) {
      out.unshift({
        code: 'audio_truncated',
        severity: 'major',
        turn: view.turn,
        atMs: metrics.audio.totalMs,
        durationMs: evidence.missingMs,
        message: `The audio ends at ${sec(metrics.audio.totalMs)}, about ${dur(evidence.missingMs)} short: ${evidence.clauses.join('; ')}.`,
      });
    }
    return out;
  },
};
