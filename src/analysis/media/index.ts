/**
 * Analysis of a WebRTC trace. The RTP log becomes two views of each turn's audio (media timeline and as heard,
 * timeline.ts); the existing detectors run on the as-heard view (synthetic audio deltas at the packets' arrival
 * times over the media-timeline PCM, asHeard.ts); the media detectors (detect.ts) tell stall, loss, DTX and jitter
 * apart and replace the generic delivery findings they explain. A failed ICE/DTLS/data-channel stage and a
 * missing media stream get their own findings and an `error` verdict: the media path, never a model outage; an
 * unusable handshake answer (not SDP, too large, no ephemeral key) is the service's, never "the media path is blocked".
 * WebRTC rules: `response.done` before the audio ends is normal (`output_audio_buffer.stopped` marks the end).
 * Pure.
 */
import { entraScopeAdvice } from '../entraScope.js';
import type { HttpExchangeEntry, Trace, WebRtcStageEntry } from '../../trace/trace.js';
import type { DetectionConfig } from '../config.js';
import { ms1 } from '../fields.js';
import { isFailingSeverity, sortFindings, type Finding, type FindingCode } from '../findings.js';
import { clip, dur, quote } from '../format.js';
import type { RunAnalysis, TurnAnalysis } from '../metrics.js';
import { runVerdict } from '../verdict.js';
import { asHeardTrace, probeBlocked, turnTalkspurts } from './asHeard.js';
import { detectMedia } from './detect.js';

export { asHeardTrace, mediaTimelineTrace, turnTalkspurts } from './asHeard.js';
export { buildTalkspurts, mediaTimelinePcm, rfc3550Jitter, type MediaPacket, type Talkspurt } from './timeline.js';

/** Generic audio-delivery findings: on WebRTC the RTP detectors judge delivery instead. */
const DELIVERY: ReadonlySet<FindingCode> = new Set(['delivery_stall', 'playback_underrun']);
/** What a turn without any media cannot be blamed for. */
const NEEDS_MEDIA: ReadonlySet<FindingCode> = new Set([
  'no_audio',
  'audio_truncated',
  'silent_gap',
  'delivery_stall',
  'playback_underrun',
  'slow_first_audio',
]);

/** Whether analyzeTrace should take the WebRTC path for this trace. */
export function isWebRtcTrace(trace: Trace): boolean {
  return trace.meta.target.transport === 'webrtc' && trace.rtp !== undefined;
}

/** Analyses a WebRTC trace; `base` is the WebSocket analysis (run on the as-heard view). */
export function analyzeWebRtc(trace: Trace, config: DetectionConfig, base: (t: Trace) => RunAnalysis): RunAnalysis {
  const spurts = turnTalkspurts(trace, config.jitterBufferMs);
  const run = base(asHeardTrace(trace, spurts));
  const runFindings = [
    ...setupFindings(trace),
    ...run.findings.filter((f) => !(f.code === 'connection_rejected' && setupFailed(trace))),
  ];
  const blocked = probeBlocked(trace);
  const turns = run.turns.map((t) =>
    mediaTurn(trace, t, detectMedia(t.turn, spurts.get(t.turn) ?? [], config, blocked)),
  );
  const findings = sortFindings(runFindings);
  const mediaError =
    findings.some((f) => f.code === 'media_setup_failed' || f.code === 'handshake_answer_unusable') ||
    turns.some((t) => t.findings.some((f) => f.code === 'no_media'));
  return { ...run, turns, findings, verdict: mediaError ? 'error' : runVerdict(turns, findings) };
}

function mediaTurn(trace: Trace, t: TurnAnalysis, media: Finding[]): TurnAnalysis {
  const noMedia = trace.entries.find(
    (e) => e.kind === 'timeout' && e.scope === 'media' && e.turn === t.turn && e.waitingFor === 'RTP audio',
  );
  const packets = trace.rtp?.get(t.turn)?.length ?? 0;
  const extra: Finding[] = [...media];
  if (noMedia && packets <= 8) {
    extra.push({
      code: 'no_media',
      severity: 'critical',
      turn: t.turn,
      traceMs: ms1(noMedia.t),
      message:
        `No RTP audio arrived within ${noMedia.kind === 'timeout' ? dur(noMedia.afterMs) : 'the deadline'} ` +
        `of response.created, while events kept coming on the data channel: the media path (UDP/SRTP) is broken, not the model.`,
    });
  }
  const drop = noMedia ? NEEDS_MEDIA : DELIVERY;
  const dtxOrLoss = media.filter((f) => f.code === 'media_dtx' || f.code === 'media_loss');
  const kept = t.findings.filter(
    (f) =>
      !drop.has(f.code) &&
      !lateDeltaRule(f) &&
      !(f.code === 'silent_gap' && dtxOrLoss.length > 0 && explainedSilence(f, dtxOrLoss)),
  );
  const findings = sortFindings([...kept, ...extra]);
  const failing = findings.some((f) => isFailingSeverity(f.severity));
  const verdict = extra.some((f) => f.code === 'no_media')
    ? 'error'
    : failing
      ? 'fail'
      : t.verdict === 'error'
        ? 'error'
        : 'pass';
  return { ...t, findings, verdict };
}

/**
 * The WebSocket rule "audio deltas after the item's audio .done are lost by a client that stops there" (an
 * `audio_truncated` finding timed at the .done): on WebRTC the audio plays out in real time after the events,
 * and `output_audio_buffer.stopped` marks its end, so it does not apply.
 */
function lateDeltaRule(f: Finding): boolean {
  return f.code === 'audio_truncated' && f.traceMs !== undefined;
}

/** A silent gap the media detectors already explain (a DTX hole or a loss of about its length). */
function explainedSilence(gap: Finding, media: Finding[]): boolean {
  return media.some((m) => Math.abs((m.durationMs ?? 0) - (gap.durationMs ?? 0)) <= 300);
}

function setupFailed(trace: Trace): boolean {
  return trace.entries.some(
    (e) =>
      (e.kind === 'webrtc-stage' && !e.ok && e.stage !== 'media') ||
      (e.kind === 'http-exchange' && (e.status === 0 || e.status >= 400 || e.problem !== undefined)),
  );
}

const STAGE_NAME: Record<WebRtcStageEntry['stage'], string> = {
  gather: 'ICE gathering',
  ice: 'ICE connectivity',
  dtls: 'the DTLS handshake',
  datachannel: 'the oai-events data channel',
  media: 'the media stream',
};

/**
 * `media_setup_failed` for a failed stage; `connection_rejected` naming the WebRTC request for an HTTP refusal;
 * `handshake_answer_unusable` for a successful answer the probe could not use (the service's, not the path's).
 */
function setupFindings(trace: Trace): Finding[] {
  const out: Finding[] = [];
  const http = trace.entries.find(
    (e): e is HttpExchangeEntry => e.kind === 'http-exchange' && (e.status === 0 || e.status >= 400),
  );
  const what = (e: HttpExchangeEntry): string =>
    e.stage === 'client-secret' ? 'The ephemeral-key request (client_secrets)' : 'The WebRTC call request (SDP offer)';
  const unusable = trace.entries.find(
    (e): e is HttpExchangeEntry => e.kind === 'http-exchange' && e.problem !== undefined,
  );
  if (unusable) {
    out.push({
      code: 'handshake_answer_unusable',
      severity: 'critical',
      turn: null,
      traceMs: ms1(unusable.t),
      message:
        `${what(unusable)} was answered with HTTP ${unusable.status}, but ${clip(unusable.problem!, 160)}. ` +
        `The service's answer is bad, not the media path: the call was never tried.`,
    });
  }
  if (http) {
    const body = http.body?.trim() ? `: ${quote(clip(http.body, 120))}` : '';
    out.push({
      code: 'connection_rejected',
      severity: 'critical',
      turn: null,
      traceMs: ms1(http.t),
      message:
        http.status === 0
          ? `${what(http)} got no response (${clip(http.error ?? 'network failure', 120)}).`
          : `${what(http)} was refused with HTTP ${http.status} ${http.statusText}${body}.${entraScopeAdvice(trace, http.status)}`,
    });
  }
  const stage = trace.entries.find(
    (e): e is WebRtcStageEntry => e.kind === 'webrtc-stage' && !e.ok && e.stage !== 'media',
  );
  if (stage) {
    out.push({
      code: 'media_setup_failed',
      severity: 'critical',
      turn: null,
      traceMs: ms1(stage.t),
      durationMs: ms1(stage.durationMs),
      message: `WebRTC failed at ${STAGE_NAME[stage.stage]}${stage.detail ? `: ${stage.detail}` : ''}. The media path is blocked; the model was not reached.`,
    });
  }
  return out;
}
