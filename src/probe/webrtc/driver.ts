/**
 * A thin scripted session over the WebRTC transport — the same turn script as src/probe/session.ts
 * (session.update, prompt audio, commit + response.create, wait for response.done) plus what WebRTC needs:
 * after `response.done` it waits for `output_audio_buffer.stopped` (the end of playout) before the next turn.
 * Temporary: it goes away once the shared session drives every Transport.
 */
import { performance } from 'node:perf_hooks';
import { EV, sessionUpdateEvent } from '../../realtime/events.js';
import { redactUrl } from '../../realtime/redact.js';
import { TOOL_NAME, TOOL_VERSION } from '../../version.js';
import type { PromptSpec } from '../prompts.js';
import { TraceRecorder } from '../recorder.js';
import { newRunId, PROBE_DEFAULTS, targetSecrets, type ProbeOptions, type ProbeTarget } from '../session.js';
import { TRACE_FORMAT_VERSION, type SessionEndEntry, type Trace, type TurnOutcome } from '../trace.js';
import { EventWaiter } from '../waiter.js';
import { WebRtcTransport, type WebRtcOptions } from './transport.js';

export interface WebRtcProbeOptions extends ProbeOptions {
  webrtc?: WebRtcOptions;
  /** Longest wait for `output_audio_buffer.stopped` after `response.done` (default 30 s). */
  playoutTimeoutMs?: number;
}

const STOPPED = 'output_audio_buffer.stopped';

export async function runWebRtcProbe(target: ProbeTarget, options: WebRtcProbeOptions): Promise<Trace> {
  const o = { ...PROBE_DEFAULTS, playoutTimeoutMs: 30_000, ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) } as typeof PROBE_DEFAULTS & WebRtcProbeOptions & { playoutTimeoutMs: number };
  if (o.prompts.length === 0) throw new Error('runWebRtcProbe needs at least one prompt');
  const { endpoint } = target;
  const secrets = targetSecrets(target);
  const rec = new TraceRecorder(() => performance.now(), endpoint.dialect, secrets);
  const startEpochMs = performance.timeOrigin + performance.now();
  const prompts = Array.from({ length: o.turns }, (_, i) => o.prompts[i % o.prompts.length]!);
  const pcm = new Map<number, Buffer[]>();
  const sizes = new Map<number, number>();
  const waiter = new EventWaiter();
  const transport = new WebRtcTransport({
    endpoint, auth: target.auth, rec, waiter, secrets, connectTimeoutMs: o.connectTimeoutMs, options: o.webrtc,
    sink: {
      appendPcm(turn, chunk) {
        const at = sizes.get(turn) ?? 0;
        pcm.set(turn, [...(pcm.get(turn) ?? []), chunk]);
        sizes.set(turn, at + chunk.length);
        return at;
      },
    },
  });
  const finish = (reason: SessionEndEntry['reason']): Trace => {
    rec.add({ kind: 'session-end', reason });
    const trace = rec.finish({
      kind: 'meta', formatVersion: TRACE_FORMAT_VERSION, runId: o.runId ?? newRunId(new Date(startEpochMs)),
      tool: { name: TOOL_NAME, version: TOOL_VERSION },
      target: { name: target.name, flavour: endpoint.flavour, dialect: endpoint.dialect, transport: 'webrtc', url: redactUrl(endpoint.url), host: endpoint.url.host, deployment: endpoint.deployment, region: target.region },
      startedAt: new Date(startEpochMs).toISOString(), startEpochMs,
      options: { turns: o.turns, turnDetection: o.turnDetection, modality: o.modality, chunkMs: o.chunkMs, turnTimeoutMs: o.turnTimeoutMs, sessionTimeoutMs: o.sessionTimeoutMs, connectTimeoutMs: o.connectTimeoutMs, settleMs: o.settleMs, pace: 'realtime' },
      prompts: prompts.map((p, i) => ({ turn: i + 1, id: p.id, text: p.text, expect: p.expect, bytes: p.pcm.length })),
    });
    for (const [turn, chunks] of pcm) trace.outputAudio.set(turn, Buffer.concat(chunks));
    trace.rtp = transport.receiver.logs();
    return trace;
  };
  const skipFrom = (turn: number): void => {
    for (let n = turn; n <= prompts.length; n++) {
      rec.turn = n;
      rec.add({ kind: 'turn-end', outcome: 'skipped' });
    }
  };

  const monitor = watchLoop(rec);
  const conn = await transport.connect();
  if (!conn.ok) {
    monitor.stop();
    skipFrom(1);
    return finish(conn.reason);
  }
  const send = (event: Record<string, unknown>): void => {
    if (transport.send(event)) rec.recordSend(event);
  };
  const deadline = setTimeout(() => {
    rec.add({ kind: 'timeout', scope: 'session', waitingFor: 'end of session', afterMs: o.sessionTimeoutMs });
    waiter.close();
  }, o.sessionTimeoutMs);
  let reason: SessionEndEntry['reason'] = 'completed';
  try {
    const created = await waiter.waitFor((e) => e.type === EV.sessionCreated, o.connectTimeoutMs, 0);
    if (created.kind === 'timeout') rec.add({ kind: 'timeout', scope: 'session-created', waitingFor: EV.sessionCreated, afterMs: o.connectTimeoutMs });
    send(sessionUpdateEvent(endpoint.dialect, { instructions: o.instructions, voice: o.voice, turnDetection: o.turnDetection, modality: o.modality }));
    const updated = await waiter.waitFor((e) => e.type === EV.sessionUpdated || e.type === EV.error, o.connectTimeoutMs);
    if (updated.kind === 'timeout') rec.add({ kind: 'timeout', scope: 'session-updated', waitingFor: EV.sessionUpdated, afterMs: o.connectTimeoutMs });
    for (let i = 0; i < prompts.length && !waiter.closed; i++) {
      const turn = i + 1;
      o.onProgress?.(`turn ${turn} of ${prompts.length} (${prompts[i]!.id}) over WebRTC`);
      const outcome = await runTurn(turn, prompts[i]!);
      rec.add({ kind: 'turn-end', outcome });
      if (outcome !== 'response-done') {
        skipFrom(turn + 1);
        reason = outcome === 'closed' ? 'closed-by-server' : 'stalled';
        break;
      }
    }
  } finally {
    clearTimeout(deadline);
    monitor.stop();
    await transport.close();
  }
  return finish(waiter.closed && reason === 'completed' && rec.entries.some((e) => e.kind === 'timeout' && e.scope === 'session') ? 'session-timeout' : reason);

  async function runTurn(turn: number, prompt: PromptSpec): Promise<TurnOutcome> {
    rec.turn = turn;
    rec.setPrompt(turn, prompt.pcm);
    rec.add({ kind: 'turn-start', promptId: prompt.id });
    const since = waiter.mark();
    transport.sendAudio({ pcm: prompt.pcm, offset: 0 });
    await transport.drained(prompt.pcm.length / 48 + 5_000);
    send({ type: 'input_audio_buffer.commit' });
    send({ type: 'response.create' });
    const done = await waiter.waitFor((e) => e.type === EV.responseDone, o.turnTimeoutMs + prompt.pcm.length / 48, since);
    if (done.kind === 'closed') return 'closed';
    if (done.kind === 'timeout') {
      rec.add({ kind: 'timeout', scope: 'turn', waitingFor: EV.responseDone, afterMs: o.turnTimeoutMs });
      return 'timeout';
    }
    if (o.modality === 'audio') {
      // WebRTC: response.done may come seconds before the audio ends; output_audio_buffer.stopped marks the end.
      const playing = await waiter.waitFor((e) => e.type === 'output_audio_buffer.started' || e.type === STOPPED, o.webrtc?.mediaTimeoutMs ?? 5_000, since);
      if (playing.kind === 'event' && playing.entry.type !== STOPPED) {
        const stopped = await waiter.waitFor((e) => e.type === STOPPED || e.type === 'output_audio_buffer.cleared', o.playoutTimeoutMs, since);
        if (stopped.kind === 'timeout') rec.add({ kind: 'timeout', scope: 'media', waitingFor: STOPPED, afterMs: o.playoutTimeoutMs });
      }
    }
    await waiter.sleep(o.settleMs);
    return waiter.closed ? 'closed' : 'response-done';
  }
}

/** Records `probe-stall` entries when the probe's own event loop is blocked ≥ 50 ms (its gaps are not the path's). */
function watchLoop(rec: TraceRecorder): { stop(): void } {
  const every = 10;
  let last = performance.now();
  const timer = setInterval(() => {
    const now = performance.now();
    const late = now - last - every;
    last = now;
    if (late >= 50) rec.add({ kind: 'probe-stall', durationMs: Math.round(late * 10) / 10 });
  }, every);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
