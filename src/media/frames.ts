/**
 * The frame clock of the WebRTC media path, shared by both ends of a call (src/media/webrtc.ts: the probe and
 * the simulator) and by the analysis of its RTP log: Opus in 20 ms frames of PCM16 24 kHz mono, on a 48 kHz RTP
 * clock. Constants only, so analysis can read them without loading a codec.
 */
import { BYTES_PER_MS } from '../audio/wav.js';

export const FRAME_MS = 20;
/** RTP ticks per ms on the 48 kHz Opus clock. */
export const TICKS_PER_MS = 48;
/** RTP ticks per 20 ms frame. */
export const TICKS_PER_FRAME = FRAME_MS * TICKS_PER_MS;
/** PCM16 24 kHz mono bytes per 20 ms frame. */
export const FRAME_BYTES = FRAME_MS * BYTES_PER_MS;
