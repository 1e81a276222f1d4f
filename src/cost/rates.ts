/**
 * The rates money is worked out from, in one table. Audio tokens per second of speech and the special tokens per
 * audio item are OpenAI's (realtime costs guide: "Audio tokens in user messages are 1 token per 100 ms of audio,
 * while audio tokens in assistant messages are 1 token per 50ms", plus a few special tokens per message); the
 * speaking rate is what answers are assumed to be spoken at; the average month turns days into months. Read by the
 * cost projection, the detection defaults (../analysis/config.ts: the defaults of CANARY_THRESHOLDS'
 * `speechCharsPerSecond`, `audioTokensPerSecond`, `audioTokenOverheadPerItem`) and the simulator's usage
 * accounting (../sim/payloads.ts), so a rate is never coded twice.
 */

/** Output (assistant) audio tokens per second: 1 per 50 ms. */
export const OUTPUT_AUDIO_TOKENS_PER_S = 20;
/** Input (user) audio tokens per second: 1 per 100 ms. */
export const INPUT_AUDIO_TOKENS_PER_S = 10;
/** Tokens per audio item that count in `usage` without being audio ("special tokens"). */
export const AUDIO_TOKEN_OVERHEAD_PER_ITEM = 3;
/**
 * The speaking rate of an answer, in transcript characters per second (whitespace collapsed, punctuation counted):
 * 15 ≈ 160 words per minute, the fast end of conversational TTS. Detection uses it until history supplies a learned
 * rate; the projection uses it to turn a reference answer into seconds of audio.
 */
export const SPEECH_CHARS_PER_S = 15;
/** Bytes per millisecond of the Realtime API's audio (PCM16, 24 kHz, mono); defined with the format in ../audio/wav.ts. */
export { BYTES_PER_MS as PCM_BYTES_PER_MS } from '../audio/wav.js';
/** Days in an average month (365.25 / 12). */
export const DAYS_PER_MONTH = 30.44;
