/**
 * What each finding code means for the person reading the report: a short title and an explanation of what was
 * measured, what the listener experienced and what usually causes it. Keyed by the stable finding codes, so the
 * compiler insists on an entry for every new code.
 */
import type { FindingCode } from '../analysis/findings.js';

export interface FindingHelp {
  title: string;
  explanation: string;
}

export const FINDING_HELP: Readonly<Record<FindingCode, FindingHelp>> = {
  connection_rejected: {
    title: 'Connection rejected',
    explanation:
      'The WebSocket upgrade was refused, so no session started. The HTTP status and body say why (401/403: key, token or role assignment; 404: deployment or path; 429: quota or rate limit; 5xx: service side). The request ids in the correlation block identify the attempt.',
  },
  connection_dropped: {
    title: 'Connection dropped',
    explanation:
      'The socket closed while a session or turn was still in progress: a 1006 means the connection was lost without a close frame (network, gateway or backend reset); 1001/1011 are closes initiated by the service.',
  },
  server_error_event: {
    title: 'Server error event',
    explanation: 'The service sent an `error` event. Its type, code and message are quoted verbatim; the event table has the full payload and its time.',
  },
  missing_response_done: {
    title: 'Missing response.done',
    explanation:
      'A response was started but its `response.done` never arrived before the turn deadline or the end of the session. Clients that wait for it hang; the audio may or may not be complete.',
  },
  response_not_completed: {
    title: 'Response not completed',
    explanation:
      '`response.done` arrived with a status other than `completed` (`incomplete`, `failed` or `cancelled`). `status_details` gives the reason: `max_output_tokens`, `content_filter`, `turn_detected`, `client_cancelled` or an error.',
  },
  no_audio: {
    title: 'No audio',
    explanation: 'An audio answer was requested but no audio delta arrived for the turn, although the response went on (or ended) without it.',
  },
  missing_audio_done: {
    title: 'Missing audio .done',
    explanation:
      'An output item carried audio but its `response.output_audio.done` never came. Players that wait for `.done` to flush their buffer may cut the end of the answer or never finish.',
  },
  audio_truncated: {
    title: 'Audio cut short',
    explanation:
      'The answer\'s audio ends before the answer does: the usage tokens or the transcript imply more speech than arrived, transcript text kept coming after the last audio delta, or audio arrived after its `.done` (lost by clients that stop at `.done`). The listener hears the answer stop mid-way; the transcript below marks what was never heard.',
  },
  silent_gap: {
    title: 'Silent gap in the answer',
    explanation:
      'A stretch of silence inside the speech, longer than natural pauses, measured on the audio itself. The service sent silence (or nothing) where speech should be; the listener hears the voice stop and resume. The gap is shaded on the timeline at its position in the audio.',
  },
  delivery_stall: {
    title: 'Delivery stall',
    explanation:
      'No audio arrived for a long stretch of wall-clock time while the response was open. If the buffered audio covered it the listener heard nothing wrong; otherwise it shows up as an underrun too.',
  },
  playback_underrun: {
    title: 'Playback underrun',
    explanation:
      'A listener that starts playing at the first delta (plus a small jitter buffer) runs out of audio: audio was delivered slower than real time. The listener hears a pause that is not in the audio itself.',
  },
  slow_first_audio: {
    title: 'Slow first audio',
    explanation: 'The first audio delta came later than the threshold after `response.create` (or the end of speech in VAD mode): the listener waits in silence before the answer starts.',
  },
  expected_content_missing: {
    title: 'Expected content missing',
    explanation: 'The transcript lacks words the prompt\'s answer must contain, e.g. the answer stopped early or answered something else.',
  },
  silent_tail: {
    title: 'Audio went silent before the answer ended',
    explanation:
      'The audio kept arriving but was silent for the rest of the answer (a second or more), while the transcript says the answer went on. The listener hears the voice simply stop talking; deltas, `.done` events and usage can all look complete.',
  },
  probe_stall: {
    title: 'The canary itself was blocked',
    explanation:
      'The probe\'s own event loop was blocked (measured by its ticker) over the interval where audio seemed late. That part of the gap or underrun is the canary\'s doing, not the service\'s, so it does not fail the turn. Frequent ones mean the canary\'s host is overloaded.',
  },
  session_limit_exceeded: {
    title: 'Session limit exceeded',
    explanation:
      'The service sent more than the canary\'s per-session cap (events, event-log bytes or audio bytes), so the probe stopped reading and ended the session to protect the rest of the round. The finding names the cap and the value that crossed it.',
  },
  implausible_usage: {
    title: 'Implausible usage numbers',
    explanation:
      'The token counts in `response.done` `usage` were not whole numbers in a plausible range (negative, fractional, astronomically large, or not numbers). They were ignored for the audio-coverage check; the audio itself was still judged.',
    },
  media_setup_failed: {
    title: 'WebRTC media path could not be set up',
    explanation:
      'The WebRTC connection failed at the stage named (ICE gathering, ICE connectivity, DTLS, data channel). This is the network path between the canary and the service — outbound UDP blocked, no TURN relay, a firewall or a certificate mismatch — not the model. The probe could not run, so the verdict is error.',
  },
  no_media: {
    title: 'No media (no RTP audio)',
    explanation:
      'Events arrived on the data channel but no RTP audio came within the deadline after the response started. The media path (UDP, SRTP) is broken while signalling works; it is not a model outage, so the verdict is error.',
  },
  media_stall: {
    title: 'Media stall (RTP)',
    explanation:
      'RTP packets stopped arriving for a while and then resumed with contiguous timestamps and sequence numbers: the sender or the network paused. The audio itself is complete (the media timeline shows no hole), but the listener heard a pause (the as-heard timeline).',
  },
  media_loss: {
    title: 'Packet loss (RTP)',
    explanation: 'RTP sequence numbers jumped: packets were lost on the way, and their audio is missing from what the listener heard (a hole on both timelines).',
  },
  media_dtx: {
    title: 'Silence not sent (DTX)',
    explanation:
      'The RTP timestamp jumped without a sequence gap: the sender chose not to send audio for a stretch (discontinuous transmission — silence). No packet was lost; the stream itself carried silence there.',
  },
  media_jitter: {
    title: 'Jitter beyond the playout buffer (RTP)',
    explanation:
      'Packets arrived late by more than the playout buffer holds and then caught up: the listener ran out of audio for a moment although nothing was lost and the sender did not stop.',
  },
  model_changed: {
    title: 'Model changed',
    explanation: 'The model string in `session.created` differs from the last healthy run: the deployment (or the service behind it) moved to another model version. Reported once; compare behaviour before and after.',
  },
  behaviour_changed: {
    title: 'Behaviour changed',
    explanation: 'The service declared other defaults (voice, VAD, output cap, audio format) than at the last healthy run, or its p50 time to first audio or speaking rate over the last day moved well away from the reference. Reported once per change.',
  },
};
