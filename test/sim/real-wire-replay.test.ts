/**
 * The real-wire fixture, replayed: a loopback WebSocket server plays the healthy GA turn of
 * test/fixtures/real-wire/openai-ga-healthy-turn.json (BRAVE's ids, session, transcript and usage, in the captured
 * order and shapes of openai-ga-audio-turn.json, with OpenAI's 101 headers, obfuscated transcript deltas, ~370 ms
 * audio deltas in bursts, and rate_limits.updated 43 ms after response.done). The probe's parsing records it
 * whole, and the analysis judges this healthy capture healthy. Independent of the simulator, on purpose: these
 * are the service's frames, not ours.
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { analyzeTrace, isFailingSeverity } from '../../src/analysis/index.js';
import type { PromptSpec } from '../../src/prompts/catalog.js';
import { runProbe } from '../../src/probe/session.js';
import type { RecvEntry, Trace } from '../../src/trace/trace.js';
import { resolveEndpoint } from '../../src/realtime/flavours.js';
import { speak } from '../../src/sim/index.js';
import { tonePrompt } from './helpers.js';

interface Healthy {
  session: Record<string, unknown>;
  userItemId: string;
  responseId: string;
  assistantItemId: string;
  conversationId: string;
  transcript: string;
  usage: { output_token_details: { audio_tokens: number } } & Record<string, unknown>;
  rateLimits: unknown[];
  deltaMs: number;
  burstDeltas: number;
}
const read = <T>(name: string): T =>
  JSON.parse(readFileSync(new URL(`../fixtures/real-wire/${name}`, import.meta.url), 'utf8')) as T;
const fx = read<Healthy>('openai-ga-healthy-turn.json');
const order = read<{ phases: Record<string, string[]> }>('openai-ga-audio-turn.json').phases;
const headerNames = Object.keys(read<{ present: Record<string, string> }>('openai-upgrade-headers.json').present);
/** Values for the captured header names (LLMGW lists the names; the values here are of their captured forms). */
const HEADER_VALUES: Record<string, string> = {
  server: 'cloudflare',
  'cf-ray': '8c1f0a2b3c4d5e6f-MAA',
  'set-cookie': '__cf_bm=replay-cookie; path=/; HttpOnly; Secure; SameSite=None',
  'x-openai-proxy-wasm': 'v0.1',
  'cf-cache-status': 'DYNAMIC',
  'strict-transport-security': 'max-age=31536000; includeSubDomains; preload',
  'x-content-type-options': 'nosniff',
  'alt-svc': 'h3=":443"; ma=86400',
};

const spoken = speak(fx.transcript, 5);
const audioMs = spoken.pcm.length / 48;
const usage = {
  ...fx.usage,
  output_token_details: { ...fx.usage.output_token_details, audio_tokens: Math.round(audioMs / 50) + 3 },
};

let n = 0;
const eventId = (): string => `event_Rw${String(++n).padStart(19, '0')}`;
const frame = (type: string, body: Record<string, unknown>): string =>
  JSON.stringify({ type, event_id: eventId(), ...body });
const base = { response_id: fx.responseId, item_id: fx.assistantItemId, output_index: 0, content_index: 0 };
const item = (status: string, content: unknown[]): Record<string, unknown> => ({
  id: fx.assistantItemId,
  type: 'message',
  status,
  role: 'assistant',
  content,
});
const response = (status: string, output: unknown[], u: unknown): Record<string, unknown> => ({
  object: 'realtime.response',
  id: fx.responseId,
  status,
  status_details: null,
  output,
  conversation_id: fx.conversationId,
  output_modalities: ['audio'],
  max_output_tokens: 'inf',
  audio: { output: { format: { type: 'audio/pcm', rate: 24000 }, voice: 'alloy' } },
  usage: u,
  metadata: null,
});

/** The frames of the response, in bursts: each burst is sent in one go, 60 ms apart (far ahead of real time). */
function responseBursts(): string[][] {
  const head = [
    frame('response.created', { response: response('in_progress', [], null) }),
    frame('response.output_item.added', { response_id: fx.responseId, output_index: 0, item: item('in_progress', []) }),
    frame('conversation.item.added', { previous_item_id: fx.userItemId, item: item('in_progress', []) }),
    frame('response.content_part.added', { ...base, part: { type: 'audio', transcript: '' } }),
  ];
  const bursts: string[][] = [head];
  const step = fx.deltaMs * 48;
  let burst: string[] = [];
  let word = 0;
  for (let o = 0; o < spoken.pcm.length; o += step) {
    const end = Math.min(spoken.pcm.length, o + step);
    for (; word < spoken.tokens.length && (spoken.tokens[word]!.startByte < end || end === spoken.pcm.length); word++) {
      const delta = word === 0 ? spoken.tokens[word]!.text.trimStart() : spoken.tokens[word]!.text;
      burst.push(
        frame('response.output_audio_transcript.delta', {
          ...base,
          delta,
          obfuscation: 'x'.repeat(Math.max(4, 16 - delta.length)),
        }),
      );
    }
    burst.push(
      frame('response.output_audio.delta', { ...base, delta: spoken.pcm.subarray(o, end).toString('base64') }),
    );
    if (burst.filter((f) => f.includes('output_audio.delta')).length === fx.burstDeltas)
      (bursts.push(burst), (burst = []));
  }
  if (burst.length) bursts.push(burst);
  const done = item('completed', [{ type: 'output_audio', transcript: fx.transcript }]);
  bursts.push([
    frame('response.output_audio.done', base),
    frame('response.output_audio_transcript.done', { ...base, transcript: fx.transcript }),
    frame('response.content_part.done', { ...base, part: { type: 'audio', transcript: fx.transcript } }),
    frame('conversation.item.done', { previous_item_id: fx.userItemId, item: done }),
    frame('response.output_item.done', { response_id: fx.responseId, output_index: 0, item: done }),
    frame('response.done', { response: response('completed', [done], usage) }),
  ]);
  return bursts;
}

let wss: WebSocketServer;
let port = 0;
const sentTypes: string[] = [];
beforeAll(async () => {
  wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  wss.on('headers', (h: string[]) => h.push(...headerNames.map((k) => `${k}: ${HEADER_VALUES[k] ?? 'x'}`)));
  wss.on('connection', (ws: WebSocket, _req: IncomingMessage) => {
    const send = (f: string): void => {
      sentTypes.push((JSON.parse(f) as { type: string }).type);
      ws.send(f);
    };
    const timers: NodeJS.Timeout[] = [];
    ws.on('close', () => timers.forEach(clearTimeout));
    send(frame('session.created', { session: fx.session }));
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as { type: string };
      if (msg.type === 'session.update')
        send(
          frame('session.updated', {
            session: {
              ...fx.session,
              audio: {
                ...(fx.session['audio'] as object),
                input: { ...(fx.session['audio'] as { input: object }).input, turn_detection: null },
              },
            },
          }),
        );
      if (msg.type === 'input_audio_buffer.commit') {
        const user = {
          id: fx.userItemId,
          type: 'message',
          status: 'completed',
          role: 'user',
          content: [{ type: 'input_audio', transcript: null }],
        };
        send(frame('input_audio_buffer.committed', { previous_item_id: null, item_id: fx.userItemId }));
        send(frame('conversation.item.added', { previous_item_id: null, item: user }));
        send(frame('conversation.item.done', { previous_item_id: null, item: user }));
      }
      if (msg.type === 'response.create') {
        const bursts = responseBursts();
        bursts.forEach((b, i) => timers.push(setTimeout(() => b.forEach(send), 200 + 60 * i)));
        timers.push(
          setTimeout(
            () => send(frame('rate_limits.updated', { rate_limits: fx.rateLimits })),
            200 + 60 * (bursts.length - 1) + 43,
          ),
        );
      }
    });
  });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  port = (wss.address() as { port: number }).port;
});
afterAll(() => new Promise<void>((r) => wss.close(() => r())));

describe('a healthy GA turn replayed from the real-wire fixture', () => {
  let trace: Trace;
  beforeAll(async () => {
    const prompt: PromptSpec = {
      id: 'replay',
      text: 'Dime algo.',
      answer: undefined,
      expect: ['ayudarte'],
      pcm: tonePrompt(800),
    };
    const endpoint = resolveEndpoint({ endpoint: `ws://127.0.0.1:${port}/v1/realtime?model=gpt-realtime` });
    trace = await runProbe(
      { name: 'real-wire-replay', endpoint, auth: { mode: 'api-key', key: 'sk-replay-key' } },
      { prompts: [prompt], turns: 1, turnTimeoutMs: 15_000, settleMs: 300 },
    );
  }, 30_000);

  it('the replay follows the captured order', () => {
    const collapsed = sentTypes
      .filter((t, i) => !(t.endsWith('.delta') && sentTypes[i - 1]?.endsWith('.delta')))
      .map((t) => (t.endsWith('.delta') ? '<deltas>' : t));
    expect(collapsed).toEqual([
      ...order['connect']!,
      ...order['session.update']!,
      ...order['input_audio_buffer.commit']!,
      ...order['response.create']!,
    ]);
  });

  it('the probe records every frame, the audio and the 101 headers; nothing is unparsed or lost', () => {
    const recv = trace.entries.filter((e): e is RecvEntry => e.kind === 'recv');
    expect(recv.map((e) => e.type)).toEqual(sentTypes);
    expect(trace.entries.filter((e) => e.kind === 'recv-invalid')).toEqual([]);
    expect(trace.outputAudio.get(1)?.equals(spoken.pcm)).toBe(true);
    const upgrade = trace.entries.find((e) => e.kind === 'upgrade-response') as
      { status: number; headers: Record<string, string> } | undefined;
    expect(upgrade?.status).toBe(101);
    expect(upgrade?.headers['cf-ray']).toBe('8c1f0a2b3c4d5e6f-MAA');
    expect(recv.findIndex((e) => e.type === 'rate_limits.updated')).toBeGreaterThan(
      recv.findIndex((e) => e.type === 'response.done'),
    );
    expect(JSON.stringify(trace.entries)).not.toContain('sk-replay-key');
  });

  it('the analysis judges it healthy', () => {
    const a = analyzeTrace(trace);
    const failing = [...a.findings, ...a.turns.flatMap((t) => t.findings)].filter((f) => isFailingSeverity(f.severity));
    expect(failing.map((f) => `${f.code}: ${f.message}`)).toEqual([]);
    expect(a.turns[0]?.verdict).toBe('pass');
    const m = a.turns[0]!.metrics!;
    expect(m.audio.totalMs).toBeCloseTo(audioMs, 0);
    expect(m.audio.deltas).toBe(Math.ceil(spoken.pcm.length / (fx.deltaMs * 48)));
    expect(m.usage.outputAudioTokens).toBe(usage.output_token_details.audio_tokens);
    expect(m.expected?.missing).toEqual([]);
  });
});
