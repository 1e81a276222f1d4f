/**
 * What the audio itself contains: silent stretches inside the speech, or no usable audio at all.
 */
import type { Finding } from '../findings.js';
import { dur, sec } from '../format.js';
import { cancelledByProbe } from '../terminal.js';
import { throttledTurn } from './capacity.js';
import type { TurnContext, TurnDetector } from './types.js';

/** `silent_gap`: a silent run inside the speech of at least `minSilentGapMs`. */
export const silentGap: TurnDetector = {
  name: 'silent_gap',
  detect({ view, metrics, config }): Finding[] {
    return metrics.silence.gaps.map((g) => ({
      code: 'silent_gap',
      severity: 'major',
      turn: view.turn,
      atMs: g.atMs,
      durationMs: g.durationMs,
      message: `${sec(g.durationMs)} of silence (below ${config.silenceDbfs} dBFS) at ${sec(g.atMs)} into the answer; speech resumes after it.`,
    }));
  },
};

/** Whether the service finished at least one response of the turn by itself. */
export function answered(ctx: TurnContext): boolean {
  return ctx.view.responses.some((r) => r.done !== undefined && !cancelledByProbe(r));
}

/**
 * `no_audio`: a finished audio-mode response with no audio bytes, or whose audio is all below the silence
 * threshold. Not raised in text-only mode, nor when the response never finished (`missing_response_done` says so),
 * nor when it was throttled (`rate_limited` / `capacity_unavailable` say so).
 */
export const noAudio: TurnDetector = {
  name: 'no_audio',
  detect(ctx): Finding[] {
    const { view, metrics, config, modality } = ctx;
    if (modality !== 'audio' || !answered(ctx) || throttledTurn(view)) return []; // throttled: ./capacity.ts
    const status = metrics.terminal.status ?? 'unknown';
    if (metrics.audio.bytes === 0) {
      const said = metrics.transcript.length
        ? `, although its ${metrics.transcript.source === 'output_text' ? 'text' : 'transcript'} has ${metrics.transcript.length} characters`
        : '';
      return [
        {
          code: 'no_audio',
          severity: 'critical',
          turn: view.turn,
          message: `The response (status ${status}) carried no audio${said}.`,
        },
      ];
    }
    if (metrics.silence.speechStartMs === null && metrics.audio.totalMs >= config.minSilentGapMs) {
      return [
        {
          code: 'no_audio',
          severity: 'critical',
          turn: view.turn,
          durationMs: metrics.audio.totalMs,
          message: `${dur(metrics.audio.totalMs)} of audio arrived but all of it is below ${config.silenceDbfs} dBFS.`,
        },
      ];
    }
    return [];
  },
};
