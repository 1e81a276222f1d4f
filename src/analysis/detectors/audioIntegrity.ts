/**
 * Whether the audio is what usage accounts for: in another format than the one requested (bytes per usage-implied
 * ms about ×6 off), or sent twice (more audio than usage, with byte-identical repeated deltas).
 */
import { audioBeyondUsageMs } from '../coverage.js';
import type { Finding } from '../findings.js';
import { dur, pct, sec } from '../format.js';
import { FORMAT_BYTES_PER_MS, FORMAT_NAMES, formatFamily, formatOfRatio } from '../outputFormat.js';
import { answered } from './audioContent.js';
import type { TurnDetector } from './types.js';

/**
 * `audio_format_mismatch`: the bytes per usage-implied ms fit another format than the one requested (PCM16 when none
 * is named) or the one the service declared, within `formatRatioTolerance`, for a completed answer whose usage
 * implies at least `formatCheckMinMs` and whose transcript did not go on after the audio (that is a cut,
 * `audio_truncated`).
 */
export const audioFormatMismatch: TurnDetector = {
  name: 'audio_format_mismatch',
  detect(ctx): Finding[] {
    const { view, metrics, config } = ctx;
    const c = metrics.coverage;
    if (!answered(ctx) || metrics.terminal.status !== 'completed' || metrics.audio.bytes === 0) return [];
    if (c.usageBytesPerMs === null || c.usageImpliedMs === null || c.usageImpliedMs < config.formatCheckMinMs)
      return [];
    if (c.trailingTranscriptMs >= config.trailingTranscriptMinMs) return [];
    const sent = formatOfRatio(c.usageBytesPerMs, config.formatRatioTolerance);
    const { requestedFormat, declaredFormat } = metrics.audio;
    const asked = formatFamily(requestedFormat) ?? 'pcm16';
    const declared = formatFamily(declaredFormat);
    if (!sent || (sent === asked && (declared === undefined || sent === declared))) return [];
    const [what, name, family] =
      sent !== asked ? ['requested', requestedFormat, asked] : ['the service declared', declaredFormat, declared!];
    return [
      {
        code: 'audio_format_mismatch',
        severity: 'major',
        turn: view.turn,
        message:
          `The audio is not in the format ${what} (${name ? `${name}, ` : ''}${FORMAT_NAMES[family]}, ` +
          `${FORMAT_BYTES_PER_MS[family]} bytes per ms): ${metrics.audio.bytes} bytes for the ` +
          `${sec(c.usageImpliedMs)} usage accounts for (${metrics.usage.outputAudioTokens} audio tokens) is ` +
          `${c.usageBytesPerMs.toFixed(1)} bytes per ms — ${FORMAT_NAMES[sent]}. A client decoding it as ${what} ` +
          'plays noise.',
      },
    ];
  },
};

/**
 * `repeated_audio`: more audio than usage accounts for (by the tolerance a shortfall needs), at least half of the
 * excess — and at least `usageShortfallMinMs` — in deltas that repeat earlier ones byte for byte. Without the copies
 * an excess is a deployment counting fewer tokens (history corrects the rate); without the excess, copies are not
 * extra audio.
 */
export const repeatedAudio: TurnDetector = {
  name: 'repeated_audio',
  detect({ view, metrics, config }): Finding[] {
    const excess = audioBeyondUsageMs(metrics.coverage, metrics.audio.totalMs, config);
    const rep = metrics.audio.repeated;
    if (!excess || rep.ms < Math.max(config.usageShortfallMinMs, excess / 2) || rep.firstAtMs === null) return [];
    return [
      {
        code: 'repeated_audio',
        severity: 'major',
        turn: view.turn,
        atMs: rep.firstAtMs,
        durationMs: rep.ms,
        message:
          `${sec(excess)} more audio arrived than usage accounts for (coverage ` +
          `${pct(metrics.coverage.usageRatio ?? 0)}), and ${rep.deltas} deltas (${dur(rep.ms)}) repeat earlier ones ` +
          `byte for byte, the first at ${sec(rep.firstAtMs)} into the answer: the listener hears the answer stutter.`,
      },
    ];
  },
};
