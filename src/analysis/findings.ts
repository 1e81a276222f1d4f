/**
 * Findings: the stable, public vocabulary of what went wrong, and the one table of its human words (the
 * report's titles and explanations, the group comparison's and the alerts' wording). Alerts, dashboards and
 * queries key on the codes, so a code is never renamed or reused for something else.
 */

/** Every finding code, in the order reports list them. */
export const FINDING_CODES = [
  'connection_rejected',
  'rate_limited',
  'capacity_unavailable',
  'connection_dropped',
  'session_max_duration',
  'server_error_event',
  'missing_response_done',
  'response_not_completed',
  'no_audio',
  // Reasoning models (issue 19): the answer after a spoken preamble, and the audio the format and usage imply.
  'preamble_only',
  'second_generation_silent',
  'audio_format_mismatch',
  'missing_audio_done',
  'audio_truncated',
  'repeated_audio',
  'silent_gap',
  'delivery_stall',
  'playback_underrun',
  'slow_first_audio',
  'long_reasoning',
  'expected_content_missing',
  'silent_tail',
  'probe_stall',
  'session_limit_exceeded',
  'implausible_usage',
  // WebRTC (src/analysis/media): the media path, told apart by cause.
  'media_setup_failed',
  'handshake_answer_unusable',
  'no_media',
  'media_stall',
  'media_loss',
  'media_dtx',
  'media_jitter',
  'model_changed',
  'behaviour_changed',
  'model_retiring',
] as const;

export type FindingCode = (typeof FINDING_CODES)[number];

/** Which of the run's numbers an alert adds to a finding's words (rendered in src/sinks/alerts/notificationText.ts). */
export type AlertDetail = 'turns' | 'http-status' | 'gap-length' | 'first-audio' | 'model' | 'none';

/** The human words of one finding code: what each reader of the code prints. */
export interface FindingWords {
  /** The heading of the finding in report.html. */
  title: string;
  /** What was measured, what the listener experienced and what usually causes it (report.html). */
  explanation: string;
  /** Plural, for a group comparison: "3 of 6 turns with silent gaps". Codes it never named print as the code. */
  plural: string;
  /** An alert's short "what went wrong", e.g. `silent gap`, to which it adds the numbers `alertDetail` names. */
  alert: string;
  alertDetail: AlertDetail;
}

/** The words of every code, in one table: the compiler insists on a row for a new code. */
export const FINDING_WORDS: Readonly<Record<FindingCode, FindingWords>> = {
  connection_rejected: {
    title: 'Connection rejected',
    explanation:
      'No session started: the WebSocket upgrade was refused, no connection could be made, or the service refused ' +
      'the session right after the upgrade. The HTTP status and body say why — 401: key or token; 403: a suspended ' +
      'resource ("temporarily blocked"), a network rule, a private endpoint or a missing role; 400 ' +
      '`OpperationNotSupported`: a model that cannot do realtime; 404: deployment or path; 5xx: service side (429 ' +
      'and 503 are `rate_limited` and `capacity_unavailable`). The problem block above says which, and what to fix; ' +
      'the request ids in the correlation block identify the attempt.',
    plural: 'connection_rejected',
    alert: 'connection refused',
    alertDetail: 'http-status',
  },
  rate_limited: {
    title: 'Rate limited',
    explanation:
      'The service refused the request for quota: an upgrade answered HTTP 429, or a response failed (or an `error` ' +
      'came) with `rate_limit_exceeded`. The message names the limit when the service does — requests per minute ' +
      '(RPM) or per day (RPD), tokens per minute (TPM) — and how long the service asked to wait (`retry-after-ms`, ' +
      '`Retry-After`, "try again in …"). A capacity or quota problem, not an outage: retry, raise the quota or move ' +
      'region. One finding per turn, instead of the failed response and its missing audio.',
    plural: 'rate limits',
    alert: 'rate limited',
    alertDetail: 'none',
  },
  capacity_unavailable: {
    title: 'No capacity',
    explanation:
      'The service had no capacity for the request: `response.done` `failed` with ' +
      '`inference_service_unavailable_error` ("The server is overloaded or not ready yet"; the input is billed, no ' +
      'output comes), or an upgrade answered HTTP 503. Transient and regional: retry, raise the quota or move the ' +
      'deployment to another region. Not a server bug for a support case.',
    plural: 'capacity failures',
    alert: 'no capacity',
    alertDetail: 'none',
  },
  session_max_duration: {
    title: 'Session hit its maximum duration',
    explanation:
      'The service ended the session at its maximum duration (close 1001 "Your session hit the maximum duration of ' +
      '…"; OpenAI caps sessions at 60 minutes, Azure reportedly at about 30). When the session really ran that long, ' +
      "the canary's session is too long for the service (fewer turns or a lower CANARY_SESSION_TIMEOUT_MS); when it " +
      'was cut far short of the cap it names, the service ended it early.',
    plural: 'sessions ended at their maximum duration',
    alert: 'session ended at its maximum duration',
    alertDetail: 'none',
  },
  connection_dropped: {
    title: 'Connection dropped',
    explanation:
      'The socket closed while a session or turn was still in progress: a 1006 means the connection was lost ' +
      'without a close frame (network, gateway or backend reset); 1001/1011 are closes initiated by the service.',
    plural: 'a dropped connection',
    alert: 'connection dropped',
    alertDetail: 'none',
  },
  server_error_event: {
    title: 'Server error event',
    explanation:
      'The service sent an `error` event. Its type, code and message are quoted verbatim; the event table has the full payload and its time.',
    plural: 'server error events',
    alert: 'server error event',
    alertDetail: 'turns',
  },
  missing_response_done: {
    title: 'Missing response.done',
    explanation:
      'A response was started but its `response.done` never arrived before the turn deadline or the end of the ' +
      'session. Clients that wait for it hang; the audio may or may not be complete.',
    plural: 'a missing response.done',
    alert: 'response.done missing',
    alertDetail: 'turns',
  },
  response_not_completed: {
    title: 'Response not completed',
    explanation:
      '`response.done` arrived with a status other than `completed` (`incomplete`, `failed` or `cancelled`). ' +
      '`status_details` gives the reason: `max_output_tokens`, `content_filter`, `turn_detected`, `client_cancelled` or an error.',
    plural: 'responses not completed',
    alert: 'response not completed',
    alertDetail: 'turns',
  },
  no_audio: {
    title: 'No audio',
    explanation:
      'An audio answer was requested but no audio delta arrived for the turn, although the response went on (or ended) without it.',
    plural: 'no audio',
    alert: 'no audio',
    alertDetail: 'turns',
  },
  preamble_only: {
    title: 'Only a preamble, no answer',
    explanation:
      'A reasoning model spoke its preamble (an item with phase `commentary`, such as "Let me check that…") and ' +
      'ended the turn without a final answer: the caller hears "let me check" and then dead air. Reported for ' +
      "turns the service finished; the preamble's transcript is quoted.",
    plural: 'preamble-only turns',
    alert: 'only a preamble, no answer',
    alertDetail: 'turns',
  },
  second_generation_silent: {
    title: 'Second generation silent',
    explanation:
      'The service announced a further message for the same user turn (a second output item, or a second response ' +
      'nobody asked for) but its audio never arrived, or arrived silent. Clients that expect one generation per ' +
      'turn drop it; here the service did not deliver it. The caller hears the first generation (often only a ' +
      'preamble) and nothing of the rest.',
    plural: 'silent second generations',
    alert: 'second generation without audio',
    alertDetail: 'turns',
  },
  audio_format_mismatch: {
    title: 'Audio format not the one requested',
    explanation:
      'The bytes do not fit the requested output format: per millisecond of audio that `usage` accounts for, ' +
      'PCM16 at 24 kHz takes 48 bytes and G.711 takes 8. A ratio about ×6 off means the service sent the other ' +
      'format (e.g. PCM16 when G.711 was asked for): a client decoding it as requested plays static or chipmunk ' +
      'audio. Durations measured on such audio are not to be trusted.',
    plural: 'audio in the wrong format',
    alert: 'audio format not the one requested',
    alertDetail: 'turns',
  },
  missing_audio_done: {
    title: 'Missing audio .done',
    explanation:
      'An output item carried audio but its `response.output_audio.done` never came. Players that wait for `.done` ' +
      'to flush their buffer may cut the end of the answer or never finish.',
    plural: 'a missing audio .done',
    alert: 'audio .done event missing',
    alertDetail: 'turns',
  },
  audio_truncated: {
    title: 'Audio cut short',
    explanation:
      "The answer's audio ends before the answer does: the usage tokens or the transcript imply more speech than " +
      'arrived, transcript text kept coming after the last audio delta, or audio arrived after its `.done` (lost ' +
      'by clients that stop at `.done`). The listener hears the answer stop mid-way; the transcript below marks what was never heard.',
    plural: 'truncated audio',
    alert: 'audio cut short',
    alertDetail: 'turns',
  },
  repeated_audio: {
    title: 'Repeated audio',
    explanation:
      'More audio arrived than `usage` accounts for, and some deltas are byte-for-byte copies of earlier ones: ' +
      'audio sent twice. Real speech never repeats a chunk exactly, so the listener hears the answer stutter or ' +
      'replay. A coverage above 100 % is this, not a healthy answer.',
    plural: 'repeated audio',
    alert: 'audio sent twice',
    alertDetail: 'turns',
  },
  silent_gap: {
    title: 'Silent gap in the answer',
    explanation:
      'A stretch of silence inside the speech, longer than natural pauses, measured on the audio itself. The ' +
      'service sent silence (or nothing) where speech should be; the listener hears the voice stop and resume. The ' +
      'gap is shaded on the timeline at its position in the audio.',
    plural: 'silent gaps',
    alert: 'silent gap',
    alertDetail: 'gap-length',
  },
  delivery_stall: {
    title: 'Delivery stall',
    explanation:
      'No audio arrived for a long stretch of wall-clock time while the response was open. If the buffered audio ' +
      'covered it the listener heard nothing wrong; otherwise it shows up as an underrun too.',
    plural: 'delivery stalls',
    alert: 'audio delivery stalled',
    alertDetail: 'turns',
  },
  playback_underrun: {
    title: 'Playback underrun',
    explanation:
      'A listener that starts playing at the first delta (plus a small jitter buffer) runs out of audio: audio was ' +
      'delivered slower than real time. The listener hears a pause that is not in the audio itself.',
    plural: 'playback underruns',
    alert: 'playback underrun',
    alertDetail: 'turns',
  },
  slow_first_audio: {
    title: 'Slow first audio',
    explanation:
      'The first audio delta came later than the threshold after `response.create` (or the end of speech in VAD ' +
      'mode): the listener waits in silence before the answer starts.',
    plural: 'slow first audio',
    alert: 'slow first audio',
    alertDetail: 'first-audio',
  },
  long_reasoning: {
    title: 'Long reasoning pause',
    explanation:
      'A reasoning model spoke a preamble, then thought in silence longer than `reasoningMaxMs` before it went ' +
      'on: the caller hears dead air after "let me think". Shorter pauses are normal reasoning and only measured ' +
      '(`timing.reasoningMs`). The pause is measured as the listener hears it, from the end of the preamble as ' +
      'played to the next audio.',
    plural: 'long reasoning pauses',
    alert: 'long silence after the preamble',
    alertDetail: 'turns',
  },
  expected_content_missing: {
    title: 'Expected content missing',
    explanation:
      "The transcript lacks words the prompt's answer must contain, e.g. the answer stopped early or answered something else.",
    plural: 'expected content missing',
    alert: 'answer missing expected words',
    alertDetail: 'turns',
  },
  silent_tail: {
    title: 'Audio went silent before the answer ended',
    explanation:
      'The audio kept arriving but was silent for the rest of the answer (a second or more), while the transcript ' +
      'says the answer went on. The listener hears the voice simply stop talking; deltas, `.done` events and usage can all look complete.',
    plural: 'silent_tail',
    alert: 'audio went silent before the answer ended',
    alertDetail: 'turns',
  },
  probe_stall: {
    title: 'The canary itself was blocked',
    explanation:
      "The probe's own event loop was blocked (measured by its ticker) over the interval where audio seemed late. " +
      "That part of the gap or underrun is the canary's doing, not the service's, so it does not fail the turn. " +
      "Frequent ones mean the canary's host is overloaded.",
    plural: 'probe_stall',
    alert: "the canary's own event loop stalled",
    alertDetail: 'none',
  },
  session_limit_exceeded: {
    title: 'Session limit exceeded',
    explanation:
      "The service sent more than the canary's per-session cap (events, event-log bytes or audio bytes), so the " +
      'probe stopped reading and ended the session to protect the rest of the round. The finding names the cap and the value that crossed it.',
    plural: 'session_limit_exceeded',
    alert: 'session limit exceeded',
    alertDetail: 'none',
  },
  implausible_usage: {
    title: 'Implausible usage numbers',
    explanation:
      'The token counts in `response.done` `usage` were not whole numbers in a plausible range (negative, ' +
      'fractional, astronomically large, or not numbers). They were ignored for the audio-coverage check; the audio itself was still judged.',
    plural: 'implausible_usage',
    alert: 'implausible usage numbers',
    alertDetail: 'turns',
  },
  media_setup_failed: {
    title: 'WebRTC media path could not be set up',
    explanation:
      'The WebRTC connection failed at the stage named (ICE gathering, ICE connectivity, DTLS, data channel). This ' +
      'is the network path between the canary and the service — outbound UDP blocked, no TURN relay, a firewall or ' +
      'a certificate mismatch — not the model. The probe could not run, so the verdict is error.',
    plural: 'a failed WebRTC setup',
    alert: 'WebRTC media path could not be set up',
    alertDetail: 'none',
  },
  handshake_answer_unusable: {
    title: 'WebRTC handshake answer unusable',
    explanation:
      'A WebRTC handshake request was answered with success, but the answer could not be used: an SDP answer that ' +
      'is not SDP or lacks the audio section, ICE credentials or DTLS fingerprint, an ephemeral-key answer without ' +
      'a key, or an answer larger than the probe reads (256 KiB). It is the service (or a proxy in front of it) that ' +
      'answered wrongly — not the network path, not the canary: the media path was never tried, so the verdict is ' +
      'error. The HTTP exchange in events.jsonl.gz holds the start of the answer.',
    plural: 'unusable WebRTC handshake answers',
    alert: 'unusable WebRTC handshake answer',
    alertDetail: 'none',
  },
  no_media: {
    title: 'No media (no RTP audio)',
    explanation:
      'Events arrived on the data channel but no RTP audio came within the deadline after the response started. ' +
      'The media path (UDP, SRTP) is broken while signalling works; it is not a model outage, so the verdict is error.',
    plural: 'no media',
    alert: 'no RTP audio',
    alertDetail: 'turns',
  },
  media_stall: {
    title: 'Media stall (RTP)',
    explanation:
      'RTP packets stopped arriving for a while and then resumed with contiguous timestamps and sequence numbers: ' +
      'the sender or the network paused. The audio itself is complete (the media timeline shows no hole), but the ' +
      'listener heard a pause (the as-heard timeline).',
    plural: 'media stalls',
    alert: 'media (RTP) stalled',
    alertDetail: 'turns',
  },
  media_loss: {
    title: 'Packet loss (RTP)',
    explanation:
      'RTP sequence numbers jumped: packets were lost on the way, and their audio is missing from what the listener heard (a hole on both timelines).',
    plural: 'packet loss',
    alert: 'packet loss',
    alertDetail: 'turns',
  },
  media_dtx: {
    title: 'Silence not sent (DTX)',
    explanation:
      'The RTP timestamp jumped without a sequence gap: the sender chose not to send audio for a stretch ' +
      '(discontinuous transmission — silence). No packet was lost; the stream itself carried silence there.',
    plural: 'silence not sent',
    alert: 'silence not sent (DTX)',
    alertDetail: 'turns',
  },
  media_jitter: {
    title: 'Jitter beyond the playout buffer (RTP)',
    explanation:
      'Packets arrived late by more than the playout buffer holds and then caught up: the listener ran out of ' +
      'audio for a moment although nothing was lost and the sender did not stop.',
    plural: 'jitter',
    alert: 'jitter beyond the playout buffer',
    alertDetail: 'turns',
  },
  model_changed: {
    title: 'Model changed',
    explanation:
      'The model string in `session.created` differs from the last healthy run: the deployment (or the service ' +
      'behind it) moved to another model version. Reported once; compare behaviour before and after.',
    plural: 'model_changed',
    alert: 'the deployment now runs another model',
    alertDetail: 'model',
  },
  behaviour_changed: {
    title: 'Behaviour changed',
    explanation:
      'The service declared other defaults (voice, VAD, output cap, audio format) than at the last healthy run, or ' +
      'its p50 time to first audio or speaking rate over the last day moved well away from the reference. Reported once per change.',
    plural: 'behaviour_changed',
    alert: "the service's declared defaults or typical latency changed",
    alertDetail: 'none',
  },
  model_retiring: {
    title: 'Model retiring soon',
    explanation:
      'The model `session.created` names retires within 30 days of the run, or is past its retirement day and still ' +
      "answered, by the canary's dated retirement table (src/realtime/lifecycle.ts, changed by " +
      "CANARY_MODEL_RETIREMENTS; for OpenAI targets optionally OpenAI's own `shutdown_date`). From that day the " +
      'service refuses sessions for it: move the deployment to the replacement before then. Informational: the run ' +
      'is judged as usual, and one card announces it.',
    plural: 'model_retiring',
    alert: 'the model retires soon',
    alertDetail: 'model',
  },
};

/** `critical` and `major` fail a verdict; `minor` and `info` are reported but do not. */
export type Severity = 'critical' | 'major' | 'minor' | 'info';

export const SEVERITIES: readonly Severity[] = ['critical', 'major', 'minor', 'info'];

/** `error` means the probe could not run (e.g. the upgrade was rejected), not that the service misbehaved. */
export type Verdict = 'pass' | 'fail' | 'error';

/** One thing that went wrong, with the numbers. */
export interface Finding {
  code: FindingCode;
  severity: Severity;
  /** 1-based turn, or null for a run-level finding. */
  turn: number | null;
  /**
   * Position in the turn's output audio, in ms of audio, for the audio findings (`silent_gap`, `playback_underrun`,
   * `audio_truncated`, `delivery_stall`); absent otherwise.
   */
  atMs?: number;
  /** How long the problem lasted, in ms (silence length, missing audio, stall, latency …), where it applies. */
  durationMs?: number;
  /** When it happened on the trace clock (ms since the session started), where it applies. */
  traceMs?: number;
  /** Throttling findings: how long the service asked to wait before trying again, ms. */
  retryAfterMs?: number;
  /** One sentence with the numbers, for humans. */
  message: string;
}

/** Whether a finding of this severity fails its turn and the run. */
export function isFailingSeverity(severity: Severity): boolean {
  return severity === 'critical' || severity === 'major';
}

const CODE_ORDER = new Map<FindingCode, number>(FINDING_CODES.map((c, i) => [c, i]));

/** Stable order: by turn (run-level first), then by code order, then by time or position. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      (a.turn ?? 0) - (b.turn ?? 0) ||
      (CODE_ORDER.get(a.code) ?? 0) - (CODE_ORDER.get(b.code) ?? 0) ||
      (a.traceMs ?? a.atMs ?? 0) - (b.traceMs ?? b.atMs ?? 0),
  );
}

/** A finding's rank: most severe first, then in code order (lower is worse). */
export function findingRank(f: Finding): number {
  return SEVERITIES.indexOf(f.severity) * 100 + FINDING_CODES.indexOf(f.code);
}

/** Distinct codes of `findings`, most severe first, then in code order. */
export function findingCodes(findings: readonly Finding[]): FindingCode[] {
  return [...new Set([...findings].sort((a, b) => findingRank(a) - findingRank(b)).map((f) => f.code))];
}
