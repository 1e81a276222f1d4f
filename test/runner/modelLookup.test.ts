/**
 * The live model lookup against a real local HTTP server standing in for OpenAI's `GET /v1/models/{id}`: the
 * `shutdown_date` it answers replaces the table's date, at most once a day per model (the answer kept in the store
 * at layout.ts's path), only for OpenAI targets and only when on; a server that never answers costs at most the
 * lookup's own deadline and a failure is one log line without the key — never a failed lookup promise.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { findRetirement, MODEL_RETIREMENTS } from '../../src/realtime/lifecycle.js';
import { resolveEndpoint } from '../../src/realtime/flavours.js';
import type { ProbeTarget } from '../../src/probe/session.js';
import { modelLookup, type ModelCheck } from '../../src/runner/modelLookup.js';
import { createLocalStore } from '../../src/store/localStore.js';
import { modelCheckPath } from '../../src/store/layout.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDirs.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhookReceiver.js';

const KEY = 'sk-live-lookup-test-key-0123456789abcdef';
let server: WebhookReceiver | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});
afterAll(cleanupTempDirs);

function openai(model: string, port: number, name = 'oai'): ProbeTarget {
  return {
    name,
    endpoint: resolveEndpoint({ endpoint: `ws://127.0.0.1:${port}/v1/realtime?model=${model}` }),
    auth: { mode: 'api-key', key: KEY },
  };
}

async function setup(opts: { enabled?: boolean; timeoutMs?: number; now?: () => Date } = {}) {
  server = await startWebhookReceiver();
  const store = createLocalStore(await tempDir('rc-lookup-'));
  const warnings: string[] = [];
  let now = new Date('2026-12-07T10:00:00Z');
  const lookup = () =>
    modelLookup({
      enabled: opts.enabled ?? true,
      store,
      now: opts.now ?? (() => now),
      warn: (m) => warnings.push(m),
      ...(opts.timeoutMs ? { timeoutMs: opts.timeoutMs } : {}),
    });
  const port = Number(new URL(server.url).port);
  return { server, store, warnings, lookup, port, setNow: (iso: string) => (now = new Date(iso)) };
}

const day = (table: readonly Parameters<typeof findRetirement>[0][number][], model: string) =>
  findRetirement(table, 'openai', model, '2026-12-07')?.row;

describe('live model lookup (GET /v1/models/{id})', () => {
  it('takes shutdown_date over the table, asks once a day per model, and keeps the answer in the store', async () => {
    const { server, store, lookup, port, setNow, warnings } = await setup();
    server.script(() => ({
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'gpt-realtime', object: 'model', owned_by: 'system', shutdown_date: '2027-01-05' }),
    }));
    const round1 = lookup();
    const [a, b] = await Promise.all([
      round1(openai('gpt-realtime', port), MODEL_RETIREMENTS),
      round1(openai('gpt-realtime', port, 'oai-2'), MODEL_RETIREMENTS),
    ]);
    expect(day(a, 'gpt-realtime')).toMatchObject({
      retiresOn: '2027-01-05',
      source: 'OpenAI GET /v1/models/gpt-realtime (shutdown_date)',
      checkedOn: '2026-12-07',
    });
    expect(day(b, 'gpt-realtime')!.retiresOn).toBe('2027-01-05');
    expect(server.requests.map((r) => [r.method, r.url, r.headers.authorization])).toEqual([
      ['GET', '/v1/models/gpt-realtime', `Bearer ${KEY}`],
    ]);
    const stored = JSON.parse((await store.get(modelCheckPath('openai', 'gpt-realtime')))!.toString()) as ModelCheck;
    expect(stored).toMatchObject({ model: 'gpt-realtime', outcome: 'ok', shutdownDate: '2027-01-05' });
    expect(JSON.stringify(stored)).not.toContain(KEY);

    // the next round, 23 h later: the stored answer, no request
    setNow('2026-12-08T09:00:00Z');
    expect(day(await lookup()(openai('gpt-realtime', port), MODEL_RETIREMENTS), 'gpt-realtime')!.retiresOn).toBe(
      '2027-01-05',
    );
    expect(server.requests).toHaveLength(1);
    // a day later: asked again
    setNow('2026-12-08T10:00:01Z');
    await lookup()(openai('gpt-realtime', port), MODEL_RETIREMENTS);
    expect(server.requests).toHaveLength(2);
    expect(warnings).toEqual([]);
  });

  it('a null shutdown_date leaves the table’s row in place', async () => {
    const { server, lookup, port } = await setup();
    server.script(() => ({ status: 200, body: JSON.stringify({ id: 'gpt-realtime-mini', shutdown_date: null }) }));
    const table = await lookup()(openai('gpt-realtime-mini', port), MODEL_RETIREMENTS);
    expect(day(table, 'gpt-realtime-mini')!.retiresOn).toBe('2027-01-20');
    expect(server.requests).toHaveLength(1);
  });

  it('a server that never answers costs the lookup’s deadline, then the table is used and one warning says why', async () => {
    const { server, lookup, port, warnings } = await setup({ timeoutMs: 300 });
    server.script(() => ({ hang: true }));
    const started = Date.now();
    const table = await lookup()(openai('gpt-realtime', port), MODEL_RETIREMENTS);
    expect(Date.now() - started).toBeLessThan(10_000); // bounded by the 300 ms deadline, with room for a busy machine
    expect(table).toEqual([...MODEL_RETIREMENTS]);
    expect(warnings).toEqual([
      'model lookup of gpt-realtime (oai) failed: model lookup of gpt-realtime: no answer within 300 ms; the retirement table is used as it is',
    ]);
  });

  it.each([
    [{ status: 401, body: `{"error":{"message":"Incorrect API key provided: ${KEY}"}}` }, 'HTTP 401'],
    [{ status: 200, body: 'not json' }, 'the answer is not JSON'],
    [{ status: 200, body: '{"shutdown_date":"soon"}' }, 'its shutdown_date is not a day (YYYY-MM-DD)'],
    [{ status: 200, body: `{"pad":"${'x'.repeat(70_000)}"}` }, 'the answer is larger than 65536 bytes'],
  ])('a bad answer (%j) is one warning without the key, and is not asked again the same day', async (reply, why) => {
    const { server, store, lookup, port, warnings } = await setup();
    server.script(() => reply);
    const table = await lookup()(openai('gpt-realtime', port), MODEL_RETIREMENTS);
    expect(table).toEqual([...MODEL_RETIREMENTS]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(why);
    expect(warnings[0]).not.toContain(KEY);
    const stored = (await store.get(modelCheckPath('openai', 'gpt-realtime')))!.toString();
    expect(JSON.parse(stored)).toMatchObject({ outcome: 'failed', error: why });
    expect(stored).not.toContain(KEY);
    await lookup()(openai('gpt-realtime', port), MODEL_RETIREMENTS);
    expect(server.requests).toHaveLength(1);
  });

  it('asks nothing when off, nor for an Azure target', async () => {
    const { server, lookup, port } = await setup({ enabled: false });
    expect(await lookup()(openai('gpt-realtime', port), MODEL_RETIREMENTS)).toEqual([...MODEL_RETIREMENTS]);
    const on = modelLookup({
      enabled: true,
      store: createLocalStore(await tempDir('rc-lookup-')),
      now: () => new Date('2026-12-07T10:00:00Z'),
      warn: () => undefined,
    });
    const azure: ProbeTarget = {
      name: 'aoai',
      endpoint: resolveEndpoint({ endpoint: `ws://127.0.0.1:${port}/openai/v1/realtime?model=gpt-realtime` }),
      auth: { mode: 'api-key', key: KEY },
    };
    expect(await on(azure, MODEL_RETIREMENTS)).toEqual([...MODEL_RETIREMENTS]);
    expect(server.requests).toEqual([]);
  });
});
