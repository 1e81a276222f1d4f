import { afterEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import {
  postJson,
  type DeliveryResult,
  type WebhookLogEvent,
  type WebhookOptions,
} from '../../../src/sinks/alerts/webhook.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhookReceiver.js';

let hook: WebhookReceiver | undefined;
afterEach(async () => hook?.close());

/** Options with a recording sleep (no real waiting), fixed jitter and a log sink. */
function harness(extra: WebhookOptions = {}) {
  const sleeps: number[] = [];
  const logs: WebhookLogEvent[] = [];
  const options: WebhookOptions = {
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    log: (e) => logs.push(e),
    ...extra,
  };
  return { sleeps, logs, options };
}

/** Nothing about the URL may show up in results or logs. */
function expectNoSecret(h: WebhookReceiver, ...things: unknown[]) {
  const text = JSON.stringify(things);
  expect(text).not.toContain(h.secret);
  expect(text).not.toContain('sig=');
  expect(text).not.toContain('/workflows/');
  expect(text).not.toContain('127.0.0.1');
}

describe('webhook delivery', () => {
  it('posts JSON and reports delivery on 202', async () => {
    hook = await startWebhookReceiver();
    const { options, logs } = harness();
    const result = await postJson(hook.url, { hello: 'wörld' }, options);
    expect(result).toMatchObject({ delivered: true, status: 202, attempts: 1 });
    expect(hook.requests[0]).toMatchObject({ method: 'POST', headers: { 'content-type': 'application/json' } });
    expect(hook.requests[0]!.json()).toEqual({ hello: 'wörld' });
    expect(logs).toEqual([{ sink: 'webhook', attempt: 1, outcome: 'delivered', status: 202 }]);
    expectNoSecret(hook, result, logs);
  });

  it('retries 429 after the Retry-After seconds, then succeeds', async () => {
    hook = await startWebhookReceiver();
    hook.reply({ status: 429, headers: { 'retry-after': '2' } }, { status: 202 });
    const { options, sleeps, logs } = harness();
    const result = await postJson(hook.url, { n: 1 }, options);
    expect(result).toMatchObject({ delivered: true, status: 202, attempts: 2 });
    expect(sleeps).toEqual([2000]);
    expect(hook.requests).toHaveLength(2);
    expect(logs.map((l) => [l.outcome, l.status, l.delayMs])).toEqual([
      ['retrying', 429, 2000],
      ['delivered', 202, undefined],
    ]);
    expectNoSecret(hook, result, logs);
  });

  it('honours Retry-After as an HTTP date, and caps long ones', async () => {
    hook = await startWebhookReceiver();
    hook.reply(
      { status: 503, headers: { 'retry-after': new Date(Date.now() + 5_000).toUTCString() } },
      { status: 429, headers: { 'retry-after': '3600' } },
      { status: 202 },
    );
    const { options, sleeps } = harness({ maxRetryAfterMs: 20_000, totalTimeoutMs: 120_000 });
    expect(await postJson(hook.url, {}, options)).toMatchObject({ delivered: true, attempts: 3 });
    expect(sleeps[0]).toBeGreaterThan(3_000);
    expect(sleeps[0]).toBeLessThanOrEqual(5_000);
    expect(sleeps[1]).toBe(20_000);
  });

  it('retries 500 with full-jitter exponential backoff', async () => {
    hook = await startWebhookReceiver();
    hook.reply({ status: 500 }, { status: 502 }, { status: 202 });
    const { options, sleeps } = harness({ baseDelayMs: 1000 });
    expect(await postJson(hook.url, {}, options)).toMatchObject({ delivered: true, attempts: 3 });
    expect(sleeps).toEqual([500, 1000]); // random 0.5 × 1 s, 0.5 × 2 s
  });

  it('really waits when no sleep is injected (short delays)', async () => {
    hook = await startWebhookReceiver();
    hook.reply({ status: 500 }, { status: 408 });
    const started = Date.now();
    const result = await postJson(hook.url, {}, { baseDelayMs: 100, maxDelayMs: 100, random: () => 1 });
    expect(result).toMatchObject({ delivered: true, attempts: 3 });
    expect(hook.requests[1]!.at - hook.requests[0]!.at).toBeGreaterThanOrEqual(95);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('does not retry 400 (or other 4xx)', async () => {
    hook = await startWebhookReceiver({ defaultReply: { status: 400, body: 'Bad card' } });
    const { options, sleeps, logs } = harness();
    const result = await postJson(hook.url, {}, options);
    expect(result).toEqual({
      delivered: false,
      reason: 'rejected',
      status: 400,
      attempts: 1,
      elapsedMs: expect.any(Number),
    });
    expect(hook.requests).toHaveLength(1);
    expect(sleeps).toEqual([]);
    hook.reply({ status: 404 }, { status: 413 });
    expect(await postJson(hook.url, {}, options)).toMatchObject({ delivered: false, reason: 'rejected', status: 404 });
    expectNoSecret(hook, result, logs);
  });

  it('gives up after the bounded number of attempts', async () => {
    hook = await startWebhookReceiver({ defaultReply: { status: 503 } });
    const { options, sleeps } = harness({ attempts: 3 });
    expect(await postJson(hook.url, {}, options)).toMatchObject({
      delivered: false,
      reason: 'exhausted',
      status: 503,
      attempts: 3,
    });
    expect(hook.requests).toHaveLength(3);
    expect(sleeps).toHaveLength(2);
  });

  it('times out an attempt to a receiver that hangs, and retries within the bounds', async () => {
    hook = await startWebhookReceiver({ defaultReply: { hang: true } });
    const { options, logs } = harness({ attempts: 2, attemptTimeoutMs: 200 });
    const started = Date.now();
    const result = await postJson(hook.url, {}, options);
    expect(result).toMatchObject({
      delivered: false,
      reason: 'exhausted',
      attempts: 2,
      error: 'timeout',
      status: undefined,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(390);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(hook.requests).toHaveLength(2);
    expectNoSecret(hook, result, logs);
  });

  it('stops when the total time budget would be exceeded', async () => {
    hook = await startWebhookReceiver();
    hook.reply({ status: 429, headers: { 'retry-after': '20' } });
    const { options, sleeps } = harness({ totalTimeoutMs: 10_000 });
    expect(await postJson(hook.url, {}, options)).toMatchObject({
      delivered: false,
      reason: 'deadline',
      status: 429,
      attempts: 1,
    });
    expect(sleeps).toEqual([]);
  });

  it('reports connection failures by code only, and an invalid URL without echoing it', async () => {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((r) => server.close(() => r()));
    const url = `http://127.0.0.1:${port}/workflows/x/invoke?sig=TOPSECRET`;
    const { options, logs } = harness({ attempts: 2 });
    const result = await postJson(url, {}, options);
    expect(result).toMatchObject({ delivered: false, reason: 'exhausted', attempts: 2, error: 'ECONNREFUSED' });
    expect(JSON.stringify([result, logs])).not.toMatch(/TOPSECRET|workflows|127\.0\.0\.1/);
    const bad: DeliveryResult = await postJson('not a url sig=TOPSECRET', {}, options);
    expect(bad).toEqual({ delivered: false, reason: 'invalid-url', status: undefined, attempts: 0, elapsedMs: 0 });
  });
});
