/**
 * Acceptance for the probe core: real WebSocket over loopback against the simulator. Every flavour completes
 * three turns; every injected fault shows up in the trace as injected.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.js';
import type { ProbeOptions } from '../../src/probe/options.js';
import { runProbe } from '../../src/probe/session.js';
import { loadCatalog, type PromptSpec } from '../../src/prompts/catalog.js';
import { isAzure, resolveEndpoint, type Flavour } from '../../src/realtime/flavours.js';
import { entriesOfKind, received, type RecvEntry, type Trace } from '../../src/trace/trace.js';

const KEY = 'probe-test-key-5b1f';
let sim: RunningSimulator;
let catalog: PromptSpec[];
beforeAll(async () => {
  sim = await startSimulator({ port: 0, apiKey: KEY });
  catalog = loadCatalog();
});
afterAll(async () => sim?.close());

function probe(flavour: Flavour, scenario: string | undefined, o: Partial<ProbeOptions> = {}): Promise<Trace> {
  const endpoint = resolveEndpoint({ endpoint: sim.url(flavour, { scenario }) });
  // burst pace keeps the suite fast; the flavour test and the pacing test below run at real time
  return runProbe(
    { name: `${flavour}-${scenario ?? 'healthy'}`, endpoint, auth: { mode: 'api-key', key: KEY } },
    { prompts: [catalog[0]!], turns: 1, turnTimeoutMs: 15_000, settleMs: 400, pace: 'burst', ...o },
  );
}

/** RMS in dBFS of PCM16 bytes [from, to). */
function dbfs(pcm: Buffer, fromMs: number, toMs: number): number {
  let sum = 0;
  let n = 0;
  for (let off = fromMs * 48; off + 1 < Math.min(toMs * 48, pcm.length); off += 2) {
    const v = pcm.readInt16LE(off) / 32768;
    sum += v * v;
    n++;
  }
  return n === 0 || sum === 0 ? -Infinity : 10 * Math.log10(sum / n);
}

const audioDeltas = (t: Trace, turn = 1): RecvEntry[] => received(t, 'response.output_audio.delta', turn);

describe('probe against the simulator: flavours', () => {
  const flavourTraces = new Map<Flavour, Promise<Trace>>();
  beforeAll(() => {
    for (const f of ['azure-ga', 'azure-preview', 'openai-ga'] as const)
      flavourTraces.set(
        f,
        probe(f, undefined, { prompts: catalog.slice(0, 3), turns: 3, pace: f === 'azure-ga' ? 'realtime' : 'burst' }),
      );
  });
  it.each([
    ['azure-ga', 'response.output_audio.delta'],
    ['azure-preview', 'response.audio.delta'],
    ['openai-ga', 'response.output_audio.delta'],
  ] as const)('%s completes three turns with its own event names', async (flavour, wireAudio) => {
    const trace = await flavourTraces.get(flavour)!;
    expect(entriesOfKind(trace, 'turn-end').map((e) => e.outcome)).toEqual([
      'response-done',
      'response-done',
      'response-done',
    ]);
    expect(entriesOfKind(trace, 'session-end')[0]!.reason).toBe('completed');
    expect(entriesOfKind(trace, 'upgrade-response')[0]!.status).toBe(101);
    expect(String((received(trace, 'session.created')[0]!.event.session as { id: string }).id)).toMatch(/^sess_/);
    for (const turn of [1, 2, 3]) {
      expect(audioDeltas(trace, turn)[0]!.wireType).toBe(wireAudio);
      expect(trace.outputAudio.get(turn)!.length).toBeGreaterThan(10_000 * 48); // ≥ 10 s of speech
      expect((received(trace, 'response.done', turn)[0]!.event.response as { status: string }).status).toBe(
        'completed',
      );
    }
    const itemEvents = trace.entries.filter(
      (e): e is RecvEntry => e.kind === 'recv' && e.wireType.startsWith('conversation.item.'),
    );
    expect(
      itemEvents.some(
        (e) => e.wireType === (flavour.endsWith('ga') ? 'conversation.item.added' : 'conversation.item.created'),
      ),
    ).toBe(true);
    expect(entriesOfKind(trace, 'close')[0]).toMatchObject({ code: 1000, initiatedBy: 'client' });
    expect(trace.meta.target.transport).toBe('websocket');
    expect(trace.meta.target.notice).toBe(
      flavour === 'azure-preview'
        ? 'Azure deprecated the preview Realtime API on 2026-04-30; move to /openai/v1/realtime'
        : undefined,
    );
    // every client event carries a session-unique event_id; Azure upgrades carry a client request id
    const ids = entriesOfKind(trace, 'send').map((s) => String(s.event.event_id));
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^evt_[0-9a-f]{8}_\d+$/);
    const clientRequestId = entriesOfKind(trace, 'upgrade-request')[0]!.headers['x-ms-client-request-id'];
    if (isAzure(flavour))
      expect(clientRequestId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    else expect(clientRequestId).toBeUndefined();
    // normalized ids on received events
    const done = received(trace, 'response.done', 1)[0]!;
    expect(done.responseId).toBe((done.event.response as { id: string }).id);
    const delta = audioDeltas(trace, 1)[0]!;
    expect(delta.itemId).toBe(delta.audio!.itemId);
    expect(delta.responseId).toBe(done.responseId);
    expect(entriesOfKind(trace, 'loop-delay').map((e) => e.turn)).toEqual([1, 2, 3]);
  });

  it('the retired openai-beta flavour is refused before connecting', () => {
    expect(() => resolveEndpoint({ endpoint: sim.url('openai-ga'), dialect: 'beta' })).toThrow(
      'OpenAI turned off the beta Realtime interface in May 2026; use openai-ga',
    );
  });
});

describe('probe against the simulator: every fault kind is in the trace as injected', () => {
  const faults = [
    'silent-gap',
    'silent-gap-noise',
    'truncated',
    'no-audio-done',
    'no-response-done',
    'stall',
    'drop',
    'close-1001',
    'close-1011',
    'failed',
    'incomplete',
    'cancelled',
    'error-event',
    'text-only',
    'slow-first-audio',
    'reject-401',
    'reject-403',
    'reject-429',
    'reject-503',
    'multi-item',
    'late-deltas',
  ];
  const traces = new Map<string, Trace>();
  beforeAll(async () => {
    const all = await Promise.all(
      faults.map((f) => probe('azure-ga', f, f === 'no-response-done' ? { turnTimeoutMs: 9000 } : {})),
    );
    faults.forEach((f, i) => traces.set(f, all[i]!));
    traces.set('gap-in-turn-2', await probe('azure-preview', 'gap-in-turn-2', { turns: 2 }));
  }, 120_000);
  const t = (name: string): Trace => traces.get(name)!;
  const status = (tr: Trace): string =>
    (received(tr, 'response.done', 1)[0]!.event.response as { status: string }).status;

  it('silent gap: digital silence at exactly the injected offset, speech around it', () => {
    const pcm = t('silent-gap').outputAudio.get(1)!;
    expect(dbfs(pcm, 4000, 6000)).toBe(-Infinity);
    expect(pcm.subarray(4000 * 48, 6000 * 48).every((b) => b === 0)).toBe(true);
    expect(dbfs(pcm, 0, 4000)).toBeGreaterThan(-40);
    expect(dbfs(pcm, 6000, 10_000)).toBeGreaterThan(-40);
  });

  it('silent gap with noise: about −60 dBFS for the injected span', () => {
    const level = dbfs(t('silent-gap-noise').outputAudio.get(1)!, 4000, 6000);
    expect(level).toBeGreaterThan(-66);
    expect(level).toBeLessThan(-54);
  });

  it('truncated: audio stops at 12 s while the transcript completes and response.done says completed', () => {
    const tr = t('truncated');
    expect(tr.outputAudio.get(1)!.length).toBeLessThanOrEqual(12_000 * 48);
    expect(tr.outputAudio.get(1)!.length).toBeGreaterThan(11_000 * 48);
    expect(String(received(tr, 'response.output_audio_transcript.done', 1)[0]!.event.transcript)).toContain('Twenty.');
    expect(status(tr)).toBe('completed');
  });

  it('no audio .done: absent, everything else present', () => {
    expect(received(t('no-audio-done'), 'response.output_audio.done')).toHaveLength(0);
    expect(status(t('no-audio-done'))).toBe('completed');
  });

  it('no response.done: recorded as a turn timeout, then the probe cancels and the session goes on', () => {
    const tr = t('no-response-done');
    expect(entriesOfKind(tr, 'timeout')[0]).toMatchObject({
      scope: 'turn',
      waitingFor: 'response.done',
      afterMs: 9000,
    });
    expect(entriesOfKind(tr, 'send').find((s) => s.type === 'response.cancel')?.byProbe).toBe('turn-timeout');
    expect(entriesOfKind(tr, 'turn-end')[0]!.outcome).toBe('timeout');
  });

  it('stall: a ≥ 3 s pause between audio deltas, then delivery resumes', () => {
    const ts = audioDeltas(t('stall')).map((e) => e.t);
    const maxGap = Math.max(...ts.slice(1).map((x, i) => x - ts[i]!));
    expect(maxGap).toBeGreaterThanOrEqual(2950);
    expect(status(t('stall'))).toBe('completed');
  });

  it('drop, close 1001 and close 1011: close codes recorded, remaining turns skipped', () => {
    expect(entriesOfKind(t('drop'), 'close')[0]).toMatchObject({ code: 1006, initiatedBy: 'server' });
    expect(entriesOfKind(t('close-1001'), 'close')[0]).toMatchObject({ code: 1001, initiatedBy: 'server' });
    expect(entriesOfKind(t('close-1001'), 'close')[0]!.reason).toContain('maximum duration');
    expect(entriesOfKind(t('close-1011'), 'close')[0]!.code).toBe(1011);
    expect(entriesOfKind(t('drop'), 'turn-end')[0]!.outcome).toBe('closed');
  });

  it('failed, incomplete and cancelled responses carry their status and details', () => {
    expect(status(t('failed'))).toBe('failed');
    // Azure's 2026 wording (MS Q&A 5821653): the short form, no session id in the message
    expect(JSON.stringify(received(t('failed'), 'response.done')[0]!.event)).toMatch(
      /server_error.*The server had an error while processing your request\./,
    );
    expect(status(t('incomplete'))).toBe('incomplete');
    expect(JSON.stringify(received(t('incomplete'), 'response.done')[0]!.event)).toContain('max_output_tokens');
    expect(status(t('cancelled'))).toBe('cancelled');
    expect(JSON.stringify(received(t('cancelled'), 'response.done')[0]!.event)).toContain('turn_detected');
  });

  it('error event mid-response, text without audio, slow first audio', () => {
    expect(received(t('error-event'), 'error', 1)).toHaveLength(1);
    expect(audioDeltas(t('text-only'))).toHaveLength(0);
    expect(received(t('text-only'), 'response.output_audio_transcript.delta', 1).length).toBeGreaterThan(5);
    const tr = t('slow-first-audio');
    const create = entriesOfKind(tr, 'send').find((s) => s.type === 'response.create')!;
    expect(audioDeltas(tr)[0]!.t - create.t).toBeGreaterThanOrEqual(4000);
  });

  it('rejected upgrades keep their HTTP status', () => {
    for (const code of [401, 403, 429, 503]) {
      expect(entriesOfKind(t(`reject-${code}`), 'upgrade-response')[0]!.status).toBe(code);
      expect(entriesOfKind(t(`reject-${code}`), 'session-end')[0]!.reason).toBe('rejected');
    }
  });

  it('two audio items, and late deltas after audio .done, are recorded with their item ids and times', () => {
    expect(new Set(audioDeltas(t('multi-item')).map((e) => e.audio!.itemId)).size).toBe(2);
    const late = t('late-deltas');
    const done = received(late, 'response.output_audio.done', 1)[0]!;
    expect(audioDeltas(late).filter((e) => e.t > done.t)).toHaveLength(2);
  });

  it('a fault in turn 2 only: turn 1 clean, turn 2 silent at 4 s', () => {
    const tr = t('gap-in-turn-2');
    expect(dbfs(tr.outputAudio.get(2)!, 4000, 6000)).toBe(-Infinity);
    expect(dbfs(tr.outputAudio.get(1)!, 4000, 6000)).toBeGreaterThan(-60);
  });
});

describe('probe against the simulator: slow delivery', () => {
  it('records audio arriving slower than real time', async () => {
    const short: PromptSpec = { ...catalog[0]!, answer: 'One. Two. Three. Four. Five. Six.' };
    const slowSim = await startSimulator({ port: 0, apiKey: KEY, catalog: [short], scenario: 'slow-delivery' });
    try {
      const endpoint = resolveEndpoint({ endpoint: slowSim.url('azure-ga') });
      const trace = await runProbe(
        { name: 'slow', endpoint, auth: { mode: 'api-key', key: KEY } },
        { prompts: [short], turns: 1, turnTimeoutMs: 20_000, pace: 'burst' },
      );
      const ts = received(trace, 'response.output_audio.delta', 1).map((e) => e.t);
      const audioMs = trace.outputAudio.get(1)!.length / 48;
      expect(ts[ts.length - 1]! - ts[0]!).toBeGreaterThan(audioMs * 1.2);
    } finally {
      await slowSim.close();
    }
  });
});

describe('probe against the simulator: VAD turns and Entra ID', () => {
  it('server VAD: the service ends the turn by itself and the trace has speech_stopped before the response', async () => {
    const trace = await probe('azure-ga', undefined, { turnDetection: 'server_vad', turns: 1 });
    expect(entriesOfKind(trace, 'send').some((s) => s.type === 'response.create')).toBe(false);
    const stopped = received(trace, 'input_audio_buffer.speech_stopped', 1)[0]!;
    const created = received(trace, 'response.created', 1)[0]!;
    expect(stopped.t).toBeLessThan(created.t);
    expect(entriesOfKind(trace, 'turn-end')[0]!.outcome).toBe('response-done');
    expect(trace.outputAudio.get(1)!.length).toBeGreaterThan(10_000 * 48);
  });

  it('Entra ID: the token from the credential goes in Authorization: Bearer and never into the trace', async () => {
    const scopes: string[] = [];
    const credential = {
      getToken: async (scope: string | string[]) => (
        scopes.push(String(scope)),
        { token: KEY, expiresOnTimestamp: Date.now() + 3_600_000 }
      ),
    };
    const endpoint = resolveEndpoint({ endpoint: sim.url('azure-ga') });
    const trace = await runProbe(
      { name: 'entra', endpoint, auth: { mode: 'entra', credential } },
      { prompts: [catalog[0]!], turns: 1, pace: 'burst' },
    );
    expect(scopes).toEqual(['https://cognitiveservices.azure.com/.default']);
    expect(entriesOfKind(trace, 'upgrade-request')[0]!.headers.authorization).toBe('[redacted]');
    expect(entriesOfKind(trace, 'session-end')[0]!.reason).toBe('completed');
  });
});
