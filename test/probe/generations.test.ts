/**
 * Two generations are one turn (issue 19 §2), over loopback against small scripted servers: an unprompted second
 * response belongs to the turn it answers and the next prompt waits for it; a `response.create` refused with
 * `conversation_already_has_active_response` is sent again once the active response is over and then answered;
 * and every one of these waits ends — at its deadline or its bound — whatever the server does.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { WebSocket } from 'ws';
import { analyzeTrace } from '../../src/analysis/index.js';
import { MAX_CREATE_RETRIES, MAX_GENERATIONS } from '../../src/probe/generations.js';
import type { ProbeOptions } from '../../src/probe/options.js';
import { runProbe } from '../../src/probe/session.js';
import { resolveEndpoint } from '../../src/realtime/flavours.js';
import { entriesOfKind, received, type RecvEntry, type SendEntry, type Trace } from '../../src/trace/trace.js';
import { hostileServer, type Hostile } from './hostileServer.js';

const prompt = { id: 'p', text: 'p', answer: undefined, expect: [], pcm: Buffer.alloc(48 * 300) };
const fast: ProbeOptions = {
  prompts: [prompt],
  turns: 2,
  turnTimeoutMs: 1500,
  cancelWaitMs: 300,
  connectTimeoutMs: 3000,
  settleMs: 50,
  generationWindowMs: 3000,
  sessionTimeoutMs: 20_000,
  pace: 'burst',
};
let server: Hostile | undefined;
afterEach(async () => server?.close());

const target = (url: string) => ({
  name: 't',
  endpoint: resolveEndpoint({ endpoint: url }),
  auth: { mode: 'api-key' as const, key: 'k' },
});

/** One generation the test server speaks. `phase` goes on its output item; `done: false` never finishes it. */
interface Gen {
  phase?: string;
  bytes?: number;
  done?: boolean;
}

/**
 * A server that keeps one active response like the service: a `response.create` while one is active is refused
 * with the create's `event_id`. `onCreate(n)` plays the n-th accepted create's answer.
 */
function realtimeServer(
  onCreate: (s: ServerSide, n: number) => void,
  onAppend?: (s: ServerSide) => void,
  beforeCreate?: (s: ServerSide) => void,
) {
  return (ws: WebSocket): void => {
    let n = 0;
    let k = 0;
    const items = new Map<string, { id: string }>();
    const s: ServerSide = {
      active: undefined,
      decided: false,
      refusals: 0,
      accepted: 0,
      speak(gen: Gen = {}): string {
        const id = `resp_${++k}`;
        s.active = id;
        ws.send(JSON.stringify({ type: 'response.created', response: { id, status: 'in_progress' } }));
        const item = { id: `item_${k}`, type: 'message', ...(gen.phase ? { phase: gen.phase } : {}) };
        items.set(id, item);
        ws.send(JSON.stringify({ type: 'response.output_item.added', response_id: id, item }));
        ws.send(
          JSON.stringify({
            type: 'response.output_audio.delta',
            response_id: id,
            item_id: item.id,
            delta: Buffer.alloc(gen.bytes ?? 4800, k).toString('base64'),
          }),
        );
        if (gen.done !== false) s.finish(id);
        return id;
      },
      finish(id: string): void {
        const item = items.get(id);
        ws.send(JSON.stringify({ type: 'response.output_audio.done', response_id: id, item_id: item?.id }));
        ws.send(JSON.stringify({ type: 'response.done', response: { id, status: 'completed', output: [item] } }));
        if (s.active === id) s.active = undefined;
      },
    };
    ws.send(JSON.stringify({ type: 'session.created', session: { id: 'sess_g' } }));
    ws.on('message', (m) => {
      const ev = JSON.parse(String(m)) as { type: string; event_id?: string };
      if (ev.type === 'session.update') ws.send(JSON.stringify({ type: 'session.updated', session: {} }));
      if (ev.type === 'input_audio_buffer.append') onAppend?.(s);
      if (ev.type !== 'response.create') return;
      beforeCreate?.(s);
      if (s.active || s.decided) {
        s.refusals++;
        ws.send(
          JSON.stringify({
            type: 'error',
            event_id: `event_r${s.refusals}`,
            error: {
              type: 'invalid_request_error',
              code: 'conversation_already_has_active_response',
              message: `Conversation already has an active response in progress: ${s.active ?? 'resp_next'}. Wait until the response is finished before creating a new one.`,
              param: null,
              event_id: ev.event_id,
            },
          }),
        );
        return;
      }
      s.accepted = ++n;
      onCreate(s, n);
    });
  };
}

interface ServerSide {
  active: string | undefined;
  /** A second generation is decided but not created yet: the conversation is busy all the same. */
  decided: boolean;
  refusals: number;
  /** Creates accepted so far. */
  accepted: number;
  speak(gen?: Gen): string;
  finish(id: string): void;
}

const sends = (trace: Trace, type: string, turn?: number): SendEntry[] =>
  entriesOfKind(trace, 'send').filter((e) => e.type === type && (turn === undefined || e.turn === turn));
const createdTurns = (trace: Trace): number[] => received(trace, 'response.created').map((e) => e.turn);
const doneOf = (trace: Trace, id: string): RecvEntry =>
  received(trace, 'response.done').find((e) => e.responseId === id)!;

describe('two generations are one turn', () => {
  it('a preamble, then 1.2 s later the answer as a second response: one turn, and the next prompt waits for it', async () => {
    server = await hostileServer({
      onConnection: realtimeServer((s) => {
        s.speak({ phase: 'commentary' });
        setTimeout(() => s.speak({ phase: 'final_answer', bytes: 9600 }), 1200);
      }),
    });
    const trace = await runProbe(target(server.url), fast);
    expect(createdTurns(trace)).toEqual([1, 1, 2, 2]);
    expect(entriesOfKind(trace, 'turn-end').map((e) => e.outcome)).toEqual(['response-done', 'response-done']);
    const answerDone = doneOf(trace, 'resp_2');
    expect(answerDone.turn).toBe(1);
    // turn 2's prompt leaves only after the first turn's second generation is done
    const turn2Audio = entriesOfKind(trace, 'send').find(
      (e) => e.turn === 2 && e.type === 'input_audio_buffer.append',
    )!;
    expect(turn2Audio.t).toBeGreaterThan(answerDone.t);
    expect(trace.outputAudio.get(1)!.length).toBe(4800 + 9600);
    expect(received(trace, 'error')).toEqual([]);
    const turns = analyzeTrace(trace).turns;
    expect(turns.map((t) => t.responseIds)).toEqual([
      ['resp_1', 'resp_2'],
      ['resp_3', 'resp_4'],
    ]);
    expect(turns[1]!.metrics!.timing.firstAudioMs).toBeGreaterThanOrEqual(0);
  });

  it('a second response within the settle time extends the turn even without a phase', async () => {
    server = await hostileServer({
      onConnection: realtimeServer((s) => {
        s.speak();
        setTimeout(() => s.speak(), 10);
      }),
    });
    const trace = await runProbe(target(server.url), { ...fast, settleMs: 400 });
    expect(createdTurns(trace)).toEqual([1, 1, 2, 2]);
    const turn2 = entriesOfKind(trace, 'turn-start')[1]!;
    expect(turn2.t).toBeGreaterThan(doneOf(trace, 'resp_2').t);
  });

  it('a create refused while the second generation is decided but not yet created: that generation is still the turn before', async () => {
    server = await hostileServer({
      onConnection: realtimeServer((s, n) => {
        s.speak();
        if (n !== 1) return;
        s.decided = true;
        setTimeout(() => {
          s.decided = false;
          s.speak();
        }, 600);
      }),
    });
    // the probe asks again right away (no window, prompt sent at once): the create is refused before resp_2 exists
    const trace = await runProbe(target(server.url), { ...fast, generationWindowMs: 0 });
    const refusal = received(trace, 'error')[0]!;
    expect(refusal.t).toBeLessThan(received(trace, 'response.created')[1]!.t);
    expect(createdTurns(trace)).toEqual([1, 1, 2]);
    expect(sends(trace, 'response.create', 2)).toHaveLength(2);
    expect(entriesOfKind(trace, 'turn-end').map((e) => e.outcome)).toEqual(['response-done', 'response-done']);
  });

  it('a generation that starts while the next prompt is sent belongs to the turn before; the refused create is sent again and answered', async () => {
    let late: string | undefined;
    server = await hostileServer({
      onConnection: realtimeServer(
        (s, n) => void s.speak({ bytes: 2400 * n }),
        (s) => {
          // turn 2's prompt is arriving: the service starts turn 1's late second generation, and keeps it going
          // until it has refused the probe's next response.create
          if (late || s.active || s.accepted < 1) return;
          late = s.speak({ done: false });
          const waitForRefusal = setInterval(() => {
            if (s.refusals === 0) return;
            clearInterval(waitForRefusal);
            setTimeout(() => s.finish(late!), 200);
          }, 5);
        },
      ),
    });
    const trace = await runProbe(target(server.url), { ...fast, generationWindowMs: 0 });
    expect(createdTurns(trace)).toEqual([1, 1, 2]);
    const creates = sends(trace, 'response.create', 2);
    expect(creates).toHaveLength(2);
    const refusal = received(trace, 'error')[0]!;
    expect((refusal.event.error as { event_id: string }).event_id).toBe(creates[0]!.event.event_id);
    const lateDone = doneOf(trace, 'resp_2');
    expect(lateDone.turn).toBe(1);
    expect(creates[1]!.t).toBeGreaterThan(lateDone.t); // sent again once the active response was done
    const clock = entriesOfKind(trace, 'turn-clock');
    expect(clock.map((e) => [e.turn, e.cause])).toEqual([[2, 'resent']]);
    expect(doneOf(trace, 'resp_3').turn).toBe(2);
    expect(entriesOfKind(trace, 'turn-end').map((e) => e.outcome)).toEqual(['response-done', 'response-done']);
    expect(entriesOfKind(trace, 'timeout')).toEqual([]);

    const a = analyzeTrace(trace);
    const t2 = a.turns[1]!;
    // first audio counts from the create that was answered, not the refused one
    expect(t2.metrics!.timing.anchorTraceMs).toBeCloseTo(clock[0]!.t, 0);
    expect(t2.metrics!.timing.firstAudioMs).toBeGreaterThanOrEqual(0);
    expect(t2.findings.filter((f) => f.severity !== 'info')).toEqual([]);
    expect(t2.findings.map((f) => [f.code, f.severity])).toEqual([['server_error_event', 'info']]);
    expect(a.turns[0]!.responseIds).toEqual(['resp_1', 'resp_2']);
  });
});

describe('every wait of a turn is bounded', () => {
  it(`a create refused again and again is sent ${MAX_CREATE_RETRIES} more times, then the turn times out`, async () => {
    server = await hostileServer({ onConnection: busyServer(50) });
    const trace = await runProbe(target(server.url), { ...fast, turns: 1 });
    expect(sends(trace, 'response.create', 1)).toHaveLength(MAX_CREATE_RETRIES + 1);
    expect(entriesOfKind(trace, 'turn-clock')).toHaveLength(MAX_CREATE_RETRIES);
    const timeout = entriesOfKind(trace, 'timeout').find((e) => e.scope === 'turn')!;
    expect(timeout.waitingFor).toMatch(/refused 4 times/);
    expect(entriesOfKind(trace, 'turn-end').map((e) => e.outcome)).toEqual(['timeout']);
  });

  it('a refusal whose active response never ends gives up at the turn deadline', async () => {
    server = await hostileServer({ onConnection: busyServer(undefined) });
    const trace = await runProbe(target(server.url), { ...fast, turns: 1, turnTimeoutMs: 600 });
    expect(sends(trace, 'response.create', 1)).toHaveLength(1);
    const timeout = entriesOfKind(trace, 'timeout').find((e) => e.scope === 'turn')!;
    expect(timeout).toMatchObject({ waitingFor: 'response.done of the active response', afterMs: 600 });
    expect(entriesOfKind(trace, 'turn-end').map((e) => e.outcome)).toEqual(['timeout']);
  });

  it('a second generation that never finishes gives up at the turn deadline', async () => {
    server = await hostileServer({
      onConnection: realtimeServer((s) => {
        s.speak({ phase: 'commentary' });
        setTimeout(() => s.speak({ done: false }), 100);
      }),
    });
    const trace = await runProbe(target(server.url), { ...fast, turns: 1, turnTimeoutMs: 600 });
    expect(createdTurns(trace)).toEqual([1, 1]);
    expect(entriesOfKind(trace, 'timeout').find((e) => e.scope === 'turn')).toMatchObject({
      waitingFor: 'response.done',
      afterMs: 600,
    });
    expect(entriesOfKind(trace, 'turn-end').map((e) => e.outcome)).toEqual(['timeout']);
  });

  it(`a service that never stops generating: the turn follows ${MAX_GENERATIONS} generations, then ends`, async () => {
    let stop = false;
    server = await hostileServer({
      onConnection: realtimeServer((s) => {
        // a new response 10 ms after each one ends, for a minute (or until the probe hangs up)
        const until = Date.now() + 60_000;
        const again = (): void => {
          if (stop || Date.now() > until) return;
          s.speak();
          setTimeout(again, 10);
        };
        again();
      }),
    });
    const trace = await runProbe(target(server.url), { ...fast, turns: 1, sessionTimeoutMs: 10_000 });
    stop = true;
    expect(entriesOfKind(trace, 'turn-end').map((e) => e.outcome)).toEqual(['response-done']);
    expect(entriesOfKind(trace, 'session-end')[0]!.reason).toBe('completed');
    expect(entriesOfKind(trace, 'timeout')).toEqual([]);
    const end = entriesOfKind(trace, 'turn-end')[0]!;
    const dones = received(trace, 'response.done');
    // the turn ended one settle time after its last followed generation, while the service went on
    expect(dones.filter((e) => e.t < end.t).length).toBeGreaterThanOrEqual(MAX_GENERATIONS);
    expect(dones[MAX_GENERATIONS - 1]!.t).toBeLessThan(end.t);
  });

  it('after a preamble the probe listens for the generation window, after a final answer only the settle time', async () => {
    server = await hostileServer({
      onConnection: realtimeServer((s, n) => void s.speak({ phase: n === 1 ? 'commentary' : 'final_answer' })),
    });
    const trace = await runProbe(target(server.url), { ...fast, turns: 3, generationWindowMs: 600 });
    const starts = entriesOfKind(trace, 'turn-start');
    expect(starts[1]!.t - doneOf(trace, 'resp_1').t).toBeGreaterThanOrEqual(600);
    expect(entriesOfKind(trace, 'turn-end').map((e) => e.outcome)).toEqual([
      'response-done',
      'response-done',
      'response-done',
    ]);

    await server.close();
    server = await hostileServer({
      onConnection: realtimeServer((s) => void s.speak({ phase: 'final_answer' })),
    });
    const quick = await runProbe(target(server.url), { ...fast, generationWindowMs: 20_000 });
    const [, second] = entriesOfKind(quick, 'turn-start');
    expect(second!.t - doneOf(quick, 'resp_1').t).toBeLessThan(20_000);
  });
});

/**
 * Every create finds a response already active: the server starts one of its own and refuses the create; that
 * response ends `endsAfterMs` later (never when undefined).
 */
function busyServer(endsAfterMs: number | undefined) {
  return realtimeServer(
    () => undefined,
    undefined,
    (s) => {
      const id = s.speak({ done: false });
      if (endsAfterMs !== undefined) setTimeout(() => s.finish(id), endsAfterMs);
    },
  );
}
