import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.js';
import { createSelfSignedCert } from '../../src/sim/tls.js';
import { KEY, TestClient, refusedUpgrade, testCatalog } from './helpers.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ catalog: testCatalog() });
});
afterAll(() => sim.close());

const azure = { 'api-key': KEY };
const bearer = { Authorization: `Bearer ${KEY}` };

describe('upgrade: authentication', () => {
  it.each([
    ['azure-ga', { 'api-key': 'not-the-key' }],
    ['azure-preview', { 'api-key': 'not-the-key' }],
    ['openai-ga', { Authorization: 'Bearer not-the-key' }],
    ['openai-beta', { Authorization: 'Bearer not-the-key', 'OpenAI-Beta': 'realtime=v1' }],
  ] as const)('%s: a wrong key gets 401 with a JSON error body', async (flavour, headers) => {
    const r = await refusedUpgrade(sim.url(flavour), headers);
    expect(r.status).toBe(401);
    expect(r.headers['content-type']).toBe('application/json');
    expect((r.body as { error: { message: string } }).error.message).toMatch(/key/i);
    expect(JSON.stringify(r.body)).not.toContain('not-the-key');
  });

  it('401 when no key is sent at all', async () => {
    expect((await refusedUpgrade(sim.url('openai-ga'))).status).toBe(401);
    expect((await refusedUpgrade(sim.url('azure-ga'))).status).toBe(401);
  });

  it('Azure GA with api-version is 401 even with the right key, as the service answers', async () => {
    const url = sim.url('azure-ga') + '&api-version=2025-04-01-preview';
    const r = await refusedUpgrade(url, azure);
    expect(r.status).toBe(401);
    expect(JSON.stringify(r.body)).toMatch(/api-version/);
  });

  it('accepts the key wherever the flavour allows it', async () => {
    const ok = [
      await TestClient.open(sim.url('azure-ga'), { headers: azure }),
      await TestClient.open(`${sim.url('azure-preview')}&api-key=${KEY}`),
      await TestClient.open(sim.url('azure-ga'), { headers: bearer }), // Entra token
      await TestClient.open(sim.url('openai-ga'), { protocols: ['realtime', `openai-insecure-api-key.${KEY}`] }),
      await TestClient.open(sim.url('openai-ga'), { protocols: ['realtime', `openai-insecure-api-key.${KEY}`, 'openai-beta.realtime-v1'] }),
    ];
    for (const c of ok) await c.next('session.created');
    expect(ok[3]!.ws.protocol).toBe('realtime');
    // The subprotocol selects the beta dialect: its session has `modalities`, not `output_modalities`.
    expect((ok[4]!.events[0]!['session'] as Record<string, unknown>)['modalities']).toBeDefined();
    expect((ok[3]!.events[0]!['session'] as Record<string, unknown>)['output_modalities']).toBeDefined();
    // The api-key header is not an OpenAI credential.
    expect((await refusedUpgrade(sim.url('openai-ga'), azure)).status).toBe(401);
    ok.forEach((c) => c.close());
  });

  it('sends correlation headers on the 101', async () => {
    const c = await TestClient.open(sim.url('azure-ga'), { headers: azure });
    expect(c.upgradeHeaders['apim-request-id']).toMatch(/^req_/);
    expect(c.upgradeHeaders['x-ms-region']).toBe('Simulator');
    c.close();
  });
});

describe('upgrade: paths and parameters', () => {
  it('unknown paths are 404', async () => {
    expect((await refusedUpgrade(`${sim.baseUrl}/v2/realtime?model=x`, bearer)).status).toBe(404);
    expect((await refusedUpgrade(`${sim.baseUrl}/`, bearer)).status).toBe(404);
  });

  it('Azure preview needs api-version (404) and deployment (400)', async () => {
    expect((await refusedUpgrade(`${sim.baseUrl}/openai/realtime?deployment=d`, azure)).status).toBe(404);
    expect((await refusedUpgrade(`${sim.baseUrl}/openai/realtime?api-version=2025-04-01-preview`, azure)).status).toBe(400);
  });

  it('model is required on GA paths', async () => {
    const r = await refusedUpgrade(`${sim.baseUrl}/v1/realtime`, bearer);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: { code: 'missing_required_parameter', param: 'model' } });
  });

  it('an unknown scenario is 400 naming the known ones', async () => {
    const r = await refusedUpgrade(sim.url('openai-ga', { scenario: 'nope' }), bearer);
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toContain('healthy');
  });
});

describe('upgrade: reject scenarios', () => {
  it.each([401, 403, 429, 503])('reject-%i refuses the upgrade with its status', async (status) => {
    const r = await refusedUpgrade(sim.url('azure-ga', { scenario: `reject-${status}` }), azure);
    expect(r.status).toBe(status);
    expect(r.body).toMatchObject({ error: { code: String(status) } });
    if (status === 429) expect(r.headers['retry-after']).toBe('10');
    const o = await refusedUpgrade(sim.url('openai-ga', { scenario: `reject-${status}` }), bearer);
    expect(o.status).toBe(status);
    expect(o.body).toMatchObject({ error: { message: expect.any(String) } });
  });

  it('a plain HTTP request to a realtime path is 426, elsewhere 404', async () => {
    const http = sim.baseUrl.replace(/^ws/, 'http');
    expect((await fetch(`${http}/v1/realtime?model=x`)).status).toBe(426);
    expect((await fetch(`${http}/health`)).status).toBe(404);
  });
});

describe('startSimulator options', () => {
  it('rejects an unknown default scenario naming the field', async () => {
    await expect(startSimulator({ catalog: [], scenario: 'nope' })).rejects.toThrow(/scenario: unknown scenario "nope"/);
  });

  it('tls without the openssl CLI fails with a clear error', async () => {
    await expect(createSelfSignedCert('/nonexistent/openssl')).rejects.toThrow(/^tls: the simulator needs the "\/nonexistent\/openssl" command/);
  });

  it('close() ends open sessions and resolves', async () => {
    const s = await startSimulator({ catalog: testCatalog(), apiKey: 'other' });
    const c = await TestClient.open(s.url('openai-ga'), { headers: { Authorization: 'Bearer other' } });
    await c.next('session.created');
    await s.close();
    expect((await c.waitClose(2000))?.code).toBe(1006);
  });
});
