/**
 * Whether the answers of a WebRTC call are still playing out to the listener. The service sends its events as fast
 * as the model makes them, but plays the audio in real time, so `response.done` comes seconds before the caller has
 * heard the answer; a real client speaks again only after that. A speaking response has played out at its
 * `output_audio_buffer.stopped` (or `.cleared`); when the service sends no `output_audio_buffer.started` for it, at
 * its `response.done` plus the last RTP packet plus the playout model (no packet for {@link PLAYOUT_IDLE_MS}); one
 * whose audio never began, when the media deadline gave up on it. Pure bookkeeping on the transport's clock.
 */
import { FRAME_MS } from '../../media/frames.js';

/**
 * No RTP for this long after `response.done`: the answer has played out. Healthy RTP arrives every 20 ms and the
 * listener's jitter buffer holds far less (the analysis models 100 ms by default).
 */
export const PLAYOUT_IDLE_MS = 1_000;

interface Answer {
  createdAt: number;
  done: boolean;
  /** `output_audio_buffer.started` came: its `stopped` says when it ends. */
  started: boolean;
}

export class PlayoutTracker {
  readonly #answers = new Map<string, Answer>();
  #lastRtpAt = -Infinity;
  #lastStoppedAt = -Infinity;
  #mediaGaveUpAt = -Infinity;

  constructor(private readonly now: () => number) {}

  /** A response that speaks was created. */
  created(responseId: string, t: number): void {
    if (!this.#answers.has(responseId)) this.#answers.set(responseId, { createdAt: t, done: false, started: false });
  }

  done(responseId: string): void {
    const a = this.#answers.get(responseId);
    if (a) a.done = true;
  }

  started(responseId: string): void {
    const a = this.#answers.get(responseId);
    if (a) a.started = true;
  }

  /** `output_audio_buffer.stopped` / `.cleared`: that response (or, without an id, every one) is over. */
  stopped(responseId: string | undefined, t: number): void {
    this.#lastStoppedAt = t;
    if (responseId === undefined) this.#answers.clear();
    else this.#answers.delete(responseId);
  }

  rtp(t: number): void {
    this.#lastRtpAt = t;
  }

  /** The media deadline passed without RTP: the answers whose audio had not begun never will. */
  mediaGaveUp(t: number): void {
    this.#mediaGaveUpAt = t;
  }

  /** True while an answer is being made or played. */
  get playing(): boolean {
    const now = this.now();
    for (const [id, a] of this.#answers) {
      if (!a.done || a.started) return true;
      const heard = this.#lastRtpAt > a.createdAt;
      if (!heard && this.#mediaGaveUpAt < a.createdAt) return true; // its audio has not begun: the media deadline decides
      if (heard && now - this.#lastRtpAt < PLAYOUT_IDLE_MS) return true;
      this.#answers.delete(id);
    }
    return false;
  }

  /** When the audio played so far ended for the listener: the last `stopped`, else the last packet's end. */
  get endedAt(): number {
    return Math.max(this.#lastStoppedAt, this.#lastRtpAt + FRAME_MS);
  }
}
