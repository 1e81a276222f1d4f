/**
 * All metrics of one turn, composed from the measuring modules. Pure: the trace and the configuration in,
 * numbers out.
 */
import { BYTES_PER_MS } from '../audio/wav.js';
import { itemIdOf, responseIdOf } from '../trace/ids.js';
import type { CloseEntry, Trace } from '../trace/trace.js';
import type { DetectionConfig } from './config.js';
import { turnConnectionMetrics } from './connection.js';
import { coverageMetrics } from './coverage.js';
import { deliveryMetrics } from './delivery.js';
import { expectedContent } from './expectedContent.js';
import { ms1 } from './fields.js';
import type { Rates } from './history.js';
import type { PlaybackMetrics, TurnMetrics } from './metrics.js';
import { outputFormats } from './outputFormat.js';
import { phaseMetrics } from './phases.js';
import { playResponse, type Playback } from './playback.js';
import { probeMetrics, probeStalls } from './probeHealth.js';
import { terminalMetrics, usageMetrics } from './terminal.js';
import { timingMetrics } from './timing.js';
import { trailingTranscriptChars, transcriptMetrics } from './transcript.js';
import { repeatedAudio } from './repeats.js';
import type { ResponseView, TurnView } from './turnView.js';

/** Everything measured about one turn. */
export function measureTurn(
  trace: Trace,
  view: TurnView,
  config: DetectionConfig,
  rates: Rates,
  close: CloseEntry | undefined,
): TurnMetrics {
  const decoded = view.deltas.reduce((s, d) => s + d.audio.bytes, 0);
  const audioMs = decoded / BYTES_PER_MS;
  // as they came over the wire (G.711 decoded by the probe counts its own bytes): what the format check weighs
  const bytes = view.deltas.reduce((s, d) => s + (d.audio.wireBytes ?? d.audio.bytes), 0);
  const transcript = transcriptMetrics(view.responses);
  const usage = usageMetrics(view.responses);
  const prompt = trace.meta.prompts.find((p) => p.turn === view.turn);
  const audioItems = new Set(view.deltas.map((d) => `${responseIdOf(d) ?? ''}/${itemIdOf(d) ?? ''}`));
  const playbacks = new Map(view.responses.map((r) => [r, playResponse(r, config.jitterBufferMs)]));
  const phases = phaseMetrics(view, config, playbacks);
  const formats = outputFormats(trace, view.fromMs);
  return {
    timing: timingMetrics(view, trace.meta.options.turnDetection, phases),
    audio: {
      totalMs: ms1(audioMs),
      bytes,
      deltas: view.deltas.length,
      oddLengthDeltas: view.deltas.filter((d) => d.audio.bytes % 2 !== 0).length,
      items: audioItems.size,
      repeated: repeatedAudio(view),
      requestedFormat: formats.requested,
      declaredFormat: formats.declared,
    },
    phases: phases.metrics,
    transcript,
    usage,
    silence: phases.silence,
    delivery: deliveryMetrics(view.responses, view.entries),
    playback: playbackMetrics(playbacks, config.jitterBufferMs),
    coverage: coverageMetrics(
      {
        audioMs,
        bytes,
        transcriptChars: transcript.length,
        outputAudioTokens: usage.outputAudioTokens,
        trailingTranscriptChars: trailingTranscriptChars(view.responses),
        audioItems: audioItems.size,
        overheadTokensPerItem: config.audioTokenOverheadPerItem,
      },
      rates,
    ),
    expected: expectedContent(transcript.text, prompt?.expect ?? []),
    terminal: terminalMetrics(view.responses),
    connection: turnConnectionMetrics(view, close),
    probe: probeMetrics(trace, view, probeStalls(trace)),
  };
}

function playbackMetrics(playbacks: ReadonlyMap<ResponseView, Playback>, jitterBufferMs: number): PlaybackMetrics {
  const underruns = [...playbacks.values()].flatMap((p) => p.underruns).map(({ delta: _delta, ...u }) => u);
  return { jitterBufferMs, underruns, totalUnderrunMs: ms1(underruns.reduce((s, u) => s + u.durationMs, 0)) };
}
