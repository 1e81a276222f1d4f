/**
 * What a turn's timeline shows, as data: the audio (envelope, silent gaps, underruns, missing or late audio) on
 * the playback-position axis, and the delivery (delta arrivals, the modelled listener, `.done` events, stalls)
 * on the wall-clock axis. Pure: computed from the report's turn and the trace, nothing is measured twice
 * differently — gaps, underruns, the listener and stalls come from the report; arrivals and terminal events from the trace
 * (a WebRTC turn's arrivals are its RTP packets, read through analysis's own as-heard view).
 */
import { BYTES_PER_MS } from '../audio/wav.js';
import type { ReportTurn } from '../analysis/report.js';
import { responseIdOf } from '../trace/ids.js';
import type { RecvEntry, Trace } from '../trace/trace.js';
import { EV } from '../realtime/events.js';
import type { Phase, Underrun } from '../analysis/metrics.js';
import { objAt, strAt } from '../json.js';
import { asHeardTrace, isWebRtcTrace, turnTalkspurts } from '../analysis/media/index.js';
import { peakEnvelope } from './envelope.js';

/** Envelope bucket: one bar of the waveform per 40 ms of audio. */
export const BUCKET_MS = 40;

/** A stretch on one of the axes (ms), with what to call it. */
export interface Span {
  fromMs: number;
  durationMs: number;
}

export interface TerminalMark {
  /** ms on the wall-clock axis (since the anchor). */
  atMs: number;
  label: string;
}

export interface TimelineModel {
  turn: number;
  audioMs: number;
  bucketMs: number;
  /** Peak |sample| per bucket (0 … 32768). */
  envelope: Uint16Array;
  /** Silent gaps inside the speech (report: `metrics.silence.gaps`), audio axis. */
  gaps: Span[];
  /** Playback underruns: where playback stopped (audio axis) and for how long / when (wall-clock axis). */
  underruns: { atMs: number; wallMs: number; durationMs: number }[];
  /** Audio the answer should have had after the end of what arrived (`audio_truncated`), audio axis. */
  missing: Span | undefined;
  /** Audio that arrived after its item's `.done`, beyond the grace period, audio axis. */
  late: Span[];
  /**
   * A reasoning model's items with audio, by phase (report: `metrics.phases.items`), audio axis: the spoken preamble
   * (`commentary`) and the `final_answer`; empty on a turn without phases.
   */
  phases: (Span & { phase: Phase })[];
  /**
   * The model reasoning after a preamble (report: `metrics.phases.pauses`): where the listener paused in the audio
   * (`atMs`, audio axis), and when and for how long on the wall-clock axis.
   */
  reasoning: { atMs: number; wallMs: number; durationMs: number }[];
  /** What the wall-clock axis starts at (e.g. `response.create`), and its trace time. */
  anchor: { label: string; traceMs: number };
  /** Delta (WebRTC: RTP packet) arrivals: wall-clock ms since the anchor, and the audio position (ms) received by then. */
  arrivals: { atMs: number; untilMs: number }[];
  /** What arrived: audio deltas on the WebSocket, RTP packets over WebRTC. */
  arrivalUnit: 'deltas' | 'RTP packets';
  /** The modelled listener's playback position over wall-clock time, one polyline per response. */
  playback: [wallMs: number, audioMs: number][][];
  /** Delivery stalls (report findings), wall-clock axis. */
  stalls: Span[];
  audioDone: TerminalMark[];
  /** Some item that carried audio never got its audio `.done` (report: `terminal.audioDone === false`). */
  audioDoneMissing: boolean;
  responseDone: TerminalMark[];
  responseDoneMissing: boolean;
  /** Where the wall-clock axis ends (ms since the anchor). */
  wallEndMs: number;
}

/** A finite number, or 0: report.json is read from disk, so its numbers are not trusted to be numbers. */
const fin = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);

/** The timeline of one turn; undefined for a turn that never ran. */
export function timelineModel(source: Trace, turn: ReportTurn): TimelineModel | undefined {
  const m = turn.metrics;
  if (!m) return undefined;
  const trace = judgedView(source, fin(m.playback.jitterBufferMs));
  const entries = trace.entries.filter((e) => e.turn === turn.turn);
  const recv = (type: string): RecvEntry[] =>
    entries.filter((e): e is RecvEntry => e.kind === 'recv' && e.type === type);
  const deltas = recv(EV.audioDelta).filter(
    (e): e is RecvEntry & { audio: NonNullable<RecvEntry['audio']> } => e.audio !== undefined,
  );
  const anchorMs = fin(m.timing.anchorTraceMs ?? entries.find((e) => e.kind === 'turn-start')?.t ?? entries[0]?.t ?? 0);
  const wall = (t: number): number => t - anchorMs;
  const audio = trace.outputAudio.get(turn.turn) ?? Buffer.alloc(0);
  const audioMs = fin(m.audio.totalMs);
  const truncated = turn.findings.filter(
    (f) => f.code === 'audio_truncated' && f.atMs !== undefined && f.durationMs !== undefined,
  );
  const missing = truncated.find((f) => fin(f.atMs) >= audioMs - 1);
  const playback = playbackLines(deltas, fin(m.playback.jitterBufferMs), m.playback.underruns).map((line) =>
    line.map(([t, pos]): [number, number] => [wall(t), pos]),
  );
  const audioDone = recv(EV.audioDone).map((e) => ({ atMs: wall(e.t), label: 'audio .done' }));
  const responseDone = recv(EV.responseDone).map((e) => ({ atMs: wall(e.t), label: `response.done${statusOf(e)}` }));
  const turnEnd = entries.find((e) => e.kind === 'turn-end')?.t;
  const ends = [
    ...deltas.map((d) => wall(d.t)),
    ...playback.flatMap((l) => l.map(([t]) => t)),
    ...audioDone.map((d) => d.atMs),
    ...responseDone.map((d) => d.atMs),
    turnEnd === undefined ? 0 : wall(turnEnd),
  ];
  return {
    turn: fin(turn.turn),
    audioMs,
    bucketMs: BUCKET_MS,
    envelope: peakEnvelope(audio, BUCKET_MS),
    gaps: m.silence.gaps.map((g) => ({ fromMs: fin(g.atMs), durationMs: fin(g.durationMs) })),
    underruns: m.playback.underruns.map((u) => ({
      atMs: fin(u.atMs),
      wallMs: wall(fin(u.traceMs)),
      durationMs: fin(u.durationMs),
    })),
    missing: missing ? { fromMs: audioMs, durationMs: fin(missing.durationMs) } : undefined,
    late: truncated.filter((f) => f !== missing).map((f) => ({ fromMs: fin(f.atMs), durationMs: fin(f.durationMs) })),
    // report.json from before phases were measured has none
    phases: (m.phases?.items ?? []).flatMap((i) =>
      i.phase !== null && i.atMs !== null && i.audioMs > 0
        ? [{ phase: i.phase, fromMs: fin(i.atMs), durationMs: fin(i.audioMs) }]
        : [],
    ),
    reasoning: (m.phases?.pauses ?? []).map((p) => ({
      atMs: fin(p.atMs),
      wallMs: wall(fin(p.traceMs)),
      durationMs: fin(p.durationMs),
    })),
    anchor: { label: m.timing.anchor ?? 'turn start', traceMs: anchorMs },
    arrivals: deltas.map((d) => ({ atMs: wall(d.t), untilMs: (d.audio.offset + d.audio.bytes) / BYTES_PER_MS })),
    arrivalUnit: trace === source ? 'deltas' : 'RTP packets',
    playback,
    stalls: turn.findings
      .filter((f) => f.code === 'delivery_stall' && f.traceMs !== undefined && f.durationMs !== undefined)
      .map((f) => ({ fromMs: wall(fin(f.traceMs)), durationMs: fin(f.durationMs) })),
    audioDone,
    audioDoneMissing: m.terminal.audioDone === false,
    responseDone,
    responseDoneMissing: !m.terminal.responseDone,
    wallEndMs: Math.max(0, ...ends),
  };
}

const views = new WeakMap<Trace, Trace>();

/**
 * The trace as analysis judged it: a WebRTC trace's RTP log as audio deltas at the packets' arrival times over the
 * media-timeline PCM (analysis/media: the as-heard view the metrics and findings were computed on), so the arrival
 * lane draws RTP arrival and gaps sit where the report says; a WebSocket trace as it is.
 */
function judgedView(trace: Trace, jitterBufferMs: number): Trace {
  if (!isWebRtcTrace(trace)) return trace;
  let view = views.get(trace);
  if (!view) views.set(trace, (view = asHeardTrace(trace, turnTalkspurts(trace, jitterBufferMs))));
  return view;
}

function statusOf(e: RecvEntry): string {
  const status = strAt(objAt(e.event, 'response'), 'status');
  return status !== undefined && status !== 'completed' ? ` (${status})` : '';
}

type Delta = RecvEntry & { audio: NonNullable<RecvEntry['audio']> };

/**
 * The listener of the analysis (src/analysis/playback.ts), drawn from what it computed: per response, playback
 * starts at the first delta plus the jitter buffer and runs at real time, pausing at each underrun of
 * `metrics.playback.underruns` (where it stopped, when, for how long). Nothing is modelled again here, so the dashed
 * line pauses exactly where the verdict says the listener heard a pause. Points are trace times and audio positions
 * (ms), one line per response.
 */
export function playbackLines(
  deltas: readonly Delta[],
  jitterBufferMs: number,
  underruns: readonly Underrun[],
): [number, number][][] {
  const byResponse = new Map<string, Delta[]>();
  for (const d of deltas) {
    const key = responseIdOf(d) ?? '';
    const list = byResponse.get(key) ?? [];
    list.push(d);
    byResponse.set(key, list);
  }
  const lines: [number, number][][] = [];
  for (const list of byResponse.values()) {
    const first = list[0]!;
    const from = first.audio.offset / BYTES_PER_MS;
    const to = Math.max(...list.map((d) => (d.audio.offset + d.audio.bytes) / BYTES_PER_MS));
    let wall = first.t + jitterBufferMs;
    let pos = from;
    const line: [number, number][] = [[wall, pos]];
    for (const u of underruns
      .filter((x) => fin(x.atMs) > from && fin(x.atMs) <= to + 1e-6)
      .sort((a, b) => a.atMs - b.atMs)) {
      wall = fin(u.traceMs);
      pos = fin(u.atMs);
      line.push([wall, pos]);
      wall += fin(u.durationMs);
      line.push([wall, pos]);
    }
    line.push([wall + (to - pos), to]);
    lines.push(line);
  }
  return lines;
}
