/**
 * Energy-based server VAD: 10 ms frames, a frame is voiced when its RMS exceeds a level derived from the
 * session's `threshold` (0.5 → −45 dBFS). Speech starts after 30 ms of voiced frames and stops once
 * `silence_duration_ms` of unvoiced audio follows it. Positions are in ms of all input audio of the session.
 */
import { BYTES_PER_MS } from '../audio/wav.js';

const FRAME_MS = 10;
const FRAME_BYTES = FRAME_MS * BYTES_PER_MS;
const ONSET_FRAMES = 3;

export type VadEvent =
  | { kind: 'start'; ms: number }
  /** `ms` is where the stop was detected (last voice + silence); `speechMs` is the voiced span. */
  | { kind: 'stop'; ms: number; speechMs: number };

export interface VadSettings {
  threshold: number;
  silence_duration_ms: number;
}

/** The voiced level (dBFS) a threshold in [0, 1] stands for. */
export function thresholdDbfs(threshold: number): number {
  return -70 + 50 * Math.max(0, Math.min(1, threshold));
}

function frameDbfs(pcm: Buffer, offset: number): number {
  let sum = 0;
  for (let i = offset; i < offset + FRAME_BYTES; i += 2) {
    const v = pcm.readInt16LE(i) / 32768;
    sum += v * v;
  }
  return 10 * Math.log10(sum / (FRAME_BYTES / 2) + 1e-12);
}

/** Streaming detector; feed it appended audio in any chunking, it frames it consistently. */
export class EnergyVad {
  #pending: Buffer = Buffer.alloc(0);
  #posMs = 0;
  #voicedRun = 0;
  #speechStart: number | undefined;
  #lastVoicedEnd = 0;
  readonly #levelDb: number;

  /** `startMs`: input audio already received before this detector was configured. */
  constructor(
    private readonly settings: VadSettings,
    startMs = 0,
  ) {
    this.#levelDb = thresholdDbfs(settings.threshold);
    this.#posMs = startMs;
  }

  /** True between a `start` and its `stop`. */
  get inSpeech(): boolean {
    return this.#speechStart !== undefined;
  }

  /** Processes appended audio; returns the events it caused, in order. */
  feed(pcm: Buffer): VadEvent[] {
    const events: VadEvent[] = [];
    const data = this.#pending.length ? Buffer.concat([this.#pending, pcm]) : pcm;
    let o = 0;
    for (; o + FRAME_BYTES <= data.length; o += FRAME_BYTES) {
      const voiced = frameDbfs(data, o) > this.#levelDb;
      const frameEnd = this.#posMs + FRAME_MS;
      if (voiced) {
        this.#voicedRun++;
        this.#lastVoicedEnd = frameEnd;
        if (this.#speechStart === undefined && this.#voicedRun >= ONSET_FRAMES) {
          this.#speechStart = frameEnd - ONSET_FRAMES * FRAME_MS;
          events.push({ kind: 'start', ms: this.#speechStart });
        }
      } else {
        this.#voicedRun = 0;
        if (this.#speechStart !== undefined && frameEnd - this.#lastVoicedEnd >= this.settings.silence_duration_ms) {
          events.push({ kind: 'stop', ms: frameEnd, speechMs: this.#lastVoicedEnd - this.#speechStart });
          this.#speechStart = undefined;
        }
      }
      this.#posMs = frameEnd;
    }
    this.#pending = Buffer.from(data.subarray(o));
    return events;
  }

  /** Forgets any speech in progress (after `input_audio_buffer.clear`); the position keeps counting. */
  reset(): void {
    this.#speechStart = undefined;
    this.#voicedRun = 0;
  }
}

/** The voiced span (ms) of the first speech segment in `pcm`, as the detector would report it. */
export function firstSpeechMs(pcm: Buffer, settings: VadSettings): number | undefined {
  const vad = new EnergyVad(settings);
  const silence = Buffer.alloc(Math.ceil(settings.silence_duration_ms + 2 * FRAME_MS) * BYTES_PER_MS);
  for (const e of [...vad.feed(pcm), ...vad.feed(silence)]) if (e.kind === 'stop') return e.speechMs;
  return undefined;
}
