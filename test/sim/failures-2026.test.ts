/**
 * The failure classes reported in 2026 (issue 19 §1, field-2026-12.md §1–2), each observed on the wire: Azure's
 * capacity failure, RPM and RPD rate limits in `response.done`, the 2026 upgrade refusals (429 with retry headers,
 * 503, 403 suspended / network rule, 400 `OpperationNotSupported` with Azure's ids), a retired model per flavour, and
 * a session that hits its maximum duration.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.js';
import { watchLoop, type LoopWatch } from '../helpers/loadAllowance.js';
import { KEY, TestClient, manualTurn, refusedUpgrade, testCatalog } from './helpers.js';

const catalog = testCatalog();
const azure = { 'api-key': KEY };
const bearer = { Authorization: `Bearer ${KEY}` };

let sim: RunningSimulator;
let loop: LoopWatch;
beforeAll(async () => {
  loop = watchLoop();
  sim = await startSimulator({ catalog });
});
afterAll(() => (loop?.stop(), sim.close()));

type Done = { status: string; status_details: any; output: unknown[]; usage: any };

async function failedTurn(scenario: string, flavour: 'azure-ga' | 'openai-ga'): Promise<{ c: TestClient; done: Done }> {
  const c = await manualTurn(sim, scenario, flavour, catalog[1]!.pcm);
  const done = (await c.next('response.done'))['response'] as Done;
  return { c, done };
}

describe('responses that fail before any output', () => {
  it.each(['azure-ga', 'openai-ga'] as const)(
    'capacity-unavailable (%s): failed, inference_service_unavailable_error, input billed, zero output',
    async (flavour) => {
      const { c, done } = await failedTurn('capacity-unavailable', flavour);
      expect(done.status).toBe('failed');
      expect(done.status_details).toEqual({
        type: 'failed',
        error: {
          type: 'service_unavailable_error',
          code: 'inference_service_unavailable_error',
          message: 'The server is overloaded or not ready yet. Please try again later.',
        },
      });
      expect(done.output).toEqual([]);
      expect(done.usage.input_tokens).toBeGreaterThan(0);
      expect(done.usage.input_token_details.audio_tokens).toBe(Math.round(1.7 * 10) + 3); // 1.5 s + 200 ms, 10/s, +3
      expect(done.usage.output_tokens).toBe(0);
      expect(c.events.map((e) => e.type).filter((t) => t.startsWith('response.'))).toEqual([
        'response.created',
        'response.done',
      ]);
      c.close();
    },
  );

  it.each([
    ['rate-limit-rpm', /on requests per min \(RPM\): Limit 20, Used 20, Requested 1\. Please try again in 2\.5s\./],
    [
      'rate-limit-rpd',
      /on requests per day \(RPD\): Limit 1000, Used 1000, Requested 1\. Please try again in 1m26\.4s\./,
    ],
  ])('%s: failed, rate_limit_exceeded worded as the service words it, nothing billed', async (scenario, wording) => {
    const { c, done } = await failedTurn(scenario, 'openai-ga');
    expect(done.status).toBe('failed');
    const error = done.status_details.error;
    expect(error).toMatchObject({ type: 'requests', code: 'rate_limit_exceeded' });
    expect(error.message).toMatch(/^Rate limit reached for gpt-4o-realtime in organization org-simulator /);
    expect(error.message).toMatch(wording);
    expect(error.message).toMatch(/Visit https:\/\/platform\.openai\.com\/account\/rate-limits to learn more\.$/);
    expect(done.usage.total_tokens).toBe(0);
    expect(done.output).toEqual([]);
    c.close();
  });
});

describe('upgrade refusals of 2026', () => {
  it('429 on Azure carries retry-after-ms and retry-after; on OpenAI retry-after', async () => {
    const a = await refusedUpgrade(sim.url('azure-ga', { scenario: 'reject-429' }), azure);
    expect(a.status).toBe(429);
    expect(a.headers).toMatchObject({ 'retry-after-ms': '10000', 'retry-after': '10' });
    expect(a.headers['apim-request-id']).toMatch(/^req_/);
    const o = await refusedUpgrade(sim.url('openai-ga', { scenario: 'reject-429' }), bearer);
    expect(o.headers['retry-after']).toBe('10');
    expect(o.headers['retry-after-ms']).toBeUndefined();
  });

  it('503 is the service being temporarily unable', async () => {
    const a = await refusedUpgrade(sim.url('azure-ga', { scenario: 'reject-503' }), azure);
    expect(a.status).toBe(503);
    expect(JSON.stringify(a.body)).toContain('temporarily unable to process your request');
  });

  it('403 suspended says "resource has been temporarily blocked"; 403 network names the firewall rules', async () => {
    const s = await refusedUpgrade(sim.url('azure-ga', { scenario: 'reject-403-suspended' }), azure);
    expect(s.status).toBe(403);
    expect(s.body).toMatchObject({
      error: { code: 'Forbidden', message: expect.stringContaining('resource has been temporarily blocked') },
    });
    const n = await refusedUpgrade(sim.url('azure-ga', { scenario: 'reject-403-network' }), azure);
    expect(n.status).toBe(403);
    expect(n.body).toEqual({ error: { code: '403', message: 'Access denied due to Virtual Network/Firewall rules.' } });
    expect(n.headers['x-ms-region']).toBe('Simulator');
  });

  it("400 OpperationNotSupported (Azure's spelling) names the deployment, with apim-request-id and x-ms-region", async () => {
    const url = sim.url('azure-ga', {
      scenario: 'reject-400-operation-not-supported',
      deployment: 'gpt-realtime-whisper',
    });
    const a = await refusedUpgrade(url, azure);
    expect(a.status).toBe(400);
    expect(a.body).toMatchObject({ error: { code: 'OpperationNotSupported' } });
    expect((a.body as any).error.message).toMatch(
      /^The realtime operation does not work with the specified model, gpt-realtime-whisper\./,
    );
    expect(a.headers['apim-request-id']).toMatch(/^req_[0-9A-Za-z]{21}$/);
    expect(a.headers['x-ms-region']).toBe('Simulator');
    // On OpenAI the same problem is refused after the 101, as a model that is not a realtime model.
    const o = await TestClient.open(sim.url('openai-ga', { scenario: 'reject-400-operation-not-supported' }), {
      headers: bearer,
    });
    await o.waitClose(5000);
    expect(o.events[0]!['error']).toMatchObject({ code: 'invalid_model' });
    expect(o.closed).toEqual({ code: 4000, reason: 'invalid_request_error.invalid_model' });
  });

  it('a retired model: OpenAI 101, error model_not_found ("has been deprecated"), close 4000; Azure HTTP 404', async () => {
    const o = await TestClient.open(
      sim.url('openai-ga', { scenario: 'model-retired', deployment: 'gpt-realtime-mini-2025-10-06' }),
      { headers: bearer },
    );
    await o.waitClose(5000);
    expect(o.events.map((e) => e.type)).toEqual(['error']);
    expect(o.events[0]!['error']).toEqual({
      type: 'invalid_request_error',
      code: 'model_not_found',
      message:
        'The model `gpt-realtime-mini-2025-10-06` has been deprecated, learn more here: https://platform.openai.com/docs/deprecations',
      param: null,
      event_id: null,
    });
    expect(o.closed).toEqual({ code: 4000, reason: 'invalid_request_error.model_not_found' });
    const a = await refusedUpgrade(sim.url('azure-ga', { scenario: 'model-retired' }), azure);
    expect(a.status).toBe(404);
    expect(a.body).toEqual({ error: { code: '404', message: 'Resource not found' } });
  });
});

describe('the session cap', () => {
  it('session_expired then close 1001 with the service words once maxSessionMs has passed; expires_at says when', async () => {
    const opened = performance.now();
    const c = await TestClient.open(sim.url('openai-ga', { scenario: 'session-max-duration' }), { headers: bearer });
    const created = await c.next('session.created');
    const closed = await c.waitClose(10_000);
    const message = 'Your session hit the maximum duration of 60 minutes.';
    expect(closed).toEqual({ code: 1001, reason: message });
    const last = c.events.at(-1)!;
    expect(last.type).toBe('error');
    expect(last['error']).toEqual({
      type: 'invalid_request_error',
      code: 'session_expired',
      message,
      param: null,
      event_id: null,
    });
    const expires = (created['session'] as { expires_at: number }).expires_at;
    expect(expires - Date.now() / 1000).toBeLessThan(2); // the session was cut at 4 s, and expires_at said so
    // 4 s after the session began, less what this process's loop lost meanwhile (it delays session.created too)
    expect(c.closedAt! - c.received[0]!.at).toBeGreaterThan(3950 - loop.lostMs(opened, c.closedAt!));
  });

  it('by default a session expires 60 minutes after it starts', async () => {
    const c = await TestClient.open(sim.url('azure-ga'), { headers: azure });
    const created = await c.next('session.created');
    const expires = (created['session'] as { expires_at: number }).expires_at;
    expect(Math.abs(expires - (Date.now() / 1000 + 3600))).toBeLessThan(5);
    c.close();
  });
});
