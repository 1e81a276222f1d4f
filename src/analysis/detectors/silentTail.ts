/**
 * `silent_tail`: the audio keeps arriving but goes silent for the rest of the answer while the transcript goes on —
 * "it behaves as though it simply stops talking". The deltas, `.done` events and usage can all look complete, so
 * neither `audio_truncated` nor `silent_gap` (silence *inside* the speech) sees it.
 *
 * Judged when the trailing silence (after the last non-silent audio) is at least `silentTailMinMs` — natural endings
 * are well under a second — and either
 * - the transcript implies at least `silentTailSpeechMs` more speech than the audio holds before it went silent, or
 * - transcript text implying at least `trailingTranscriptMinMs` of speech arrived after the audio had gone silent
 *   (the service went on "saying" words while it sent silence).
 */
import type { Finding } from '../findings.js';
import { dur, sec } from '../format.js';
import { ms1 } from '../fields.js';
import { transcriptCharsAfterPosition } from '../transcript.js';
import { answered } from './audioContent.js';
import type { TurnDetector } from './types.js';

export const silentTail: TurnDetector = {
  name: 'silent_tail',
  detect(ctx): Finding[] {
    const { metrics, view, config } = ctx;
    const { speechEndMs, trailingSilenceMs } = metrics.silence;
    if (ctx.modality !== 'audio' || !answered(ctx) || speechEndMs === null || trailingSilenceMs === null) return [];
    if (trailingSilenceMs < config.silentTailMinMs || metrics.terminal.status === 'cancelled') return [];
    const cps = metrics.coverage.charsPerSecond;
    const implied = metrics.coverage.transcriptImpliedMs;
    const remainingMs = implied === null ? 0 : implied - speechEndMs;
    const tailChars = transcriptCharsAfterPosition(view.responses, view.deltas, speechEndMs + config.frameMs);
    const tailMs = cps > 0 ? (tailChars * 1000) / cps : 0;
    const clauses: string[] = [];
    if (remainingMs >= config.silentTailSpeechMs)
      clauses.push(`the ${metrics.transcript.length}-character transcript implies ≈ ${sec(implied!)} of speech`);
    if (tailMs >= config.trailingTranscriptMinMs)
      clauses.push(`${tailChars} characters of transcript (≈ ${sec(tailMs)}) arrived while the audio was silent`);
    if (!clauses.length) return [];
    return [
      {
        code: 'silent_tail',
        severity: 'major',
        turn: view.turn,
        atMs: speechEndMs,
        durationMs: ms1(trailingSilenceMs),
        message:
          `The audio goes silent at ${sec(speechEndMs)} and stays silent (below ${config.silenceDbfs} dBFS) ` +
          `for the last ${dur(trailingSilenceMs)} of the answer, while ${clauses.join(' and ')}: the voice stopped before the answer did.`,
      },
    ];
  },
};
