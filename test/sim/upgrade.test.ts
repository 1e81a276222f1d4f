import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.js';
import { createSelfSignedCert } from '../../src/sim/tls.js';
import { watchLoop, type LoopWatch } from '../helpers/loadAllowance.js';
import { KEY, TestClient, refusedUpgrade, testCatalog } from './helpers.js';

let sim: RunningSimulator;
let loop: LoopWatch;
beforeAll(async () => {
  loop = watchLoop();
  sim = await startSimulator({ catalog: testCatalog() });
});
afterAll(() => (loop?.stop(), sim.close()));

const azure = { 'api-key': KEY };
const bearer = { Authorization: `Bearer ${KEY}` };

describe('upgrade: authentication', () => {
  it.each([
    ['azure-ga', { 'api-key': 'not-the-key' }],
    ['azure-preview', { 'api-key': 'not-the-key' }],
  ] as const)(
    '%s: a wrong key gets 401 with a JSON error body (Azure refuses at HTTP level)',
    async (flavour, headers) => {
      const r = await refusedUpgrade(sim.url(flavour), headers);
      expect(r.status).toBe(401);
      expect(r.headers['content-type']).toBe('application/json');
      expect((r.body as { error: { message: string } }).error.message).toMatch(/key/i);
      expect(JSON.stringify(r.body)).not.toContain('not-the-key');
    },
  );

  it('Azure: 401 when no key is sent at all', async () => {
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
    ];
    for (const c of ok) await c.next('session.created');
    expect(ok[3]!.ws.protocol).toBe('realtime');
    expect((ok[3]!.events[0]!['session'] as Record<string, unknown>)['output_modalities']).toBeDefined();
    ok.forEach((c) => c.close());
  });
});

describe('upgrade: headers per provider', () => {
  it('Azure: apim-request-id, x-request-id, x-ms-region, and the client request id echoed', async () => {
    const c = await TestClient.open(sim.url('azure-ga'), {
      headers: { ...azure, 'x-ms-client-request-id': '1b4e28ba-2fa1-11d2-883f-0016d3cca427' },
    });
    expect(c.upgradeHeaders['apim-request-id']).toMatch(/^req_/);
    expect(c.upgradeHeaders['x-request-id']).toBe(c.upgradeHeaders['apim-request-id']);
    expect(c.upgradeHeaders['x-ms-region']).toBe('Simulator');
    expect(c.upgradeHeaders['x-ms-client-request-id']).toBe('1b4e28ba-2fa1-11d2-883f-0016d3cca427');
    expect(c.upgradeHeaders['cf-ray']).toBeUndefined();
    c.close();
    const odd = await TestClient.open(sim.url('azure-ga'), {
      headers: { ...azure, 'x-ms-client-request-id': 'has spaces <b>' },
    });
    expect(odd.upgradeHeaders['x-ms-client-request-id']).toBeUndefined();
    odd.close();
    const refused = await refusedUpgrade(sim.url('azure-ga'), {
      'api-key': 'nope',
      'x-ms-client-request-id': 'abc-123',
    });
    expect(refused.headers['apim-request-id']).toMatch(/^req_/);
    expect(refused.headers['x-ms-client-request-id']).toBe('abc-123');
  });

  it('OpenAI: the Cloudflare headers of the real 101, no x-request-id, no openai-version', async () => {
    const c = await TestClient.open(sim.url('openai-ga'), { headers: bearer });
    const h = c.upgradeHeaders;
    expect(h['server']).toBe('cloudflare');
    expect(h['cf-ray']).toMatch(/^[0-9a-f]{16}-[A-Z]{3}$/);
    expect(String(h['set-cookie'])).toMatch(/^__cf_bm=[^;]+; path=\/; expires=/);
    expect(h['x-openai-proxy-wasm']).toBe('v0.1');
    expect(h['cf-cache-status']).toBe('DYNAMIC');
    expect(h['alt-svc']).toMatch(/h3=/);
    expect(h['strict-transport-security']).toMatch(/max-age=\d+/);
    for (const absent of ['x-request-id', 'openai-version', 'openai-processing-ms', 'apim-request-id'])
      expect(h[absent]).toBeUndefined();
    const other = await TestClient.open(sim.url('openai-ga'), { headers: bearer });
    expect(other.upgradeHeaders['cf-ray']).not.toBe(h['cf-ray']);
    c.close();
    other.close();
  });
});

/** Opens an OpenAI connection that the service accepts and then refuses; returns what arrived. */
async function refusedAfter101(
  url: string,
  opts: { headers?: Record<string, string>; protocols?: string[] },
): Promise<TestClient> {
  const c = await TestClient.open(url, opts);
  await c.waitClose(5000);
  return c;
}

describe('upgrade: OpenAI refuses after the 101 (error, then close 3000 / 4000 in the same millisecond)', () => {
  const cases: [
    string,
    string,
    { headers?: Record<string, string>; protocols?: string[] },
    string | null,
    RegExp,
    number,
    string,
  ][] = [
    [
      'a wrong key',
      'openai-ga',
      { headers: { Authorization: 'Bearer not-the-key' } },
      'invalid_api_key',
      /^Incorrect API key provided: /,
      3000,
      'invalid_request_error.invalid_api_key',
    ],
    [
      'no key',
      'openai-ga',
      { headers: {} },
      null,
      /^Missing bearer or basic authentication in header$/,
      3000,
      'invalid_request_error',
    ],
    [
      'an Azure api-key header (not an OpenAI credential)',
      'openai-ga',
      { headers: azure },
      null,
      /^Missing bearer/,
      3000,
      'invalid_request_error',
    ],
    [
      'the OpenAI-Beta header',
      'openai-beta',
      { headers: { ...bearer, 'OpenAI-Beta': 'realtime=v1' } },
      'beta_api_shape_disabled',
      /^The Realtime Beta API is no longer supported\. Please use \/v1\/realtime for the GA API\.$/,
      4000,
      'invalid_request_error.beta_api_shape_disabled',
    ],
    [
      'the beta subprotocol',
      'openai-ga',
      { protocols: ['realtime', `openai-insecure-api-key.${KEY}`, 'openai-beta.realtime-v1'] },
      'beta_api_shape_disabled',
      /Beta API is no longer supported/,
      4000,
      'invalid_request_error.beta_api_shape_disabled',
    ],
  ];
  it.each(cases)('%s', async (_what, flavour, opts, code, message, closeCode, reason) => {
    const c = await refusedAfter101(sim.url(flavour as 'openai-ga'), opts);
    expect(c.upgradeHeaders['server']).toBe('cloudflare'); // the 101 carries the same headers as a good one
    expect(c.events.map((e) => e.type)).toEqual(['error']);
    expect(c.events[0]!.event_id).toMatch(/^event_[0-9A-Za-z]{21}$/);
    const error = c.events[0]!['error'] as Record<string, unknown>;
    expect(error).toMatchObject({ type: 'invalid_request_error', code, param: null, event_id: null });
    expect(error['message']).toMatch(message);
    expect(JSON.stringify(error)).not.toContain('not-the-key');
    expect(c.closed).toEqual({ code: closeCode, reason });
    // sent in the same millisecond, received together: apart by no more than this process's loop lost between them
    expect(c.closedAt! - c.received[0]!.at).toBeLessThan(loop.lostMs(c.received[0]!.at, c.closedAt!));
  });

  it('a bad model: invalid_model, close 4000; no model: missing_model, close 4000', async () => {
    const bad = await refusedAfter101(`${sim.baseUrl}/v1/realtime?model=gpt-nope`, { headers: bearer });
    expect(bad.events[0]!['error']).toMatchObject({
      code: 'invalid_model',
      message: 'Model "gpt-nope" is not supported in realtime mode.',
    });
    expect(bad.closed).toEqual({ code: 4000, reason: 'invalid_request_error.invalid_model' });
    const none = await refusedAfter101(`${sim.baseUrl}/v1/realtime`, { headers: bearer });
    expect(none.events[0]!['error']).toMatchObject({
      code: 'missing_model',
      message: expect.stringMatching(/^You must provide a model parameter/),
    });
    expect(none.closed).toEqual({ code: 4000, reason: 'invalid_request_error.missing_model' });
  });

  it.each([
    ['openai-bad-key', 'invalid_api_key', 3000, 401],
    ['openai-missing-key', null, 3000, 401],
    ['openai-bad-model', 'invalid_model', 4000, 404],
    ['openai-missing-model', 'missing_model', 4000, 404],
  ] as const)(
    'scenario %s: refused after the 101 on OpenAI even with the right key; HTTP %s on Azure',
    async (scenario, code, closeCode, azureStatus) => {
      const c = await refusedAfter101(sim.url('openai-ga', { scenario }), { headers: bearer });
      expect((c.events[0]!['error'] as Record<string, unknown>)['code']).toBe(code);
      expect(c.closed?.code).toBe(closeCode);
      const a = await refusedUpgrade(sim.url('azure-ga', { scenario }), azure);
      expect(a.status).toBe(azureStatus);
      if (azureStatus === 404) expect(a.body).toMatchObject({ error: { code: 'DeploymentNotFound' } });
    },
  );

  it('scenario openai-beta-header: refused on OpenAI, served on Azure (which has no beta shutdown)', async () => {
    const c = await refusedAfter101(sim.url('openai-ga', { scenario: 'openai-beta-header' }), { headers: bearer });
    expect(c.closed).toEqual({ code: 4000, reason: 'invalid_request_error.beta_api_shape_disabled' });
    const a = await TestClient.open(sim.url('azure-preview', { scenario: 'openai-beta-header' }), { headers: azure });
    expect((await a.next('session.created')).type).toBe('session.created');
    a.close();
  });
});

describe('upgrade: paths and parameters', () => {
  it('unknown paths are 404', async () => {
    expect((await refusedUpgrade(`${sim.baseUrl}/v2/realtime?model=x`, bearer)).status).toBe(404);
    expect((await refusedUpgrade(`${sim.baseUrl}/`, bearer)).status).toBe(404);
  });

  it('Azure preview needs api-version (404) and deployment (400)', async () => {
    expect((await refusedUpgrade(`${sim.baseUrl}/openai/realtime?deployment=d`, azure)).status).toBe(404);
    expect((await refusedUpgrade(`${sim.baseUrl}/openai/realtime?api-version=2025-04-01-preview`, azure)).status).toBe(
      400,
    );
  });

  it('model is required on the Azure GA path (400; OpenAI refuses after the 101, see above)', async () => {
    const r = await refusedUpgrade(`${sim.baseUrl}/openai/v1/realtime`, azure);
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toContain("'model'");
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
    await expect(startSimulator({ catalog: [], scenario: 'nope' })).rejects.toThrow(
      /scenario: unknown scenario "nope"/,
    );
  });

  it('tls without the openssl CLI fails with a clear error', async () => {
    await expect(createSelfSignedCert('/nonexistent/openssl')).rejects.toThrow(
      /^tls: the simulator needs the "\/nonexistent\/openssl" command/,
    );
  });

  it('close() ends open sessions and resolves', async () => {
    const s = await startSimulator({ catalog: testCatalog(), apiKey: 'other' });
    const c = await TestClient.open(s.url('openai-ga'), { headers: { Authorization: 'Bearer other' } });
    await c.next('session.created');
    await s.close();
    expect((await c.waitClose(2000))?.code).toBe(1006);
  });
});
