/**
 * Cost of one run from its `response.done` usage: a trace carrying three real-shaped usage objects (the first is
 * verbatim from a captured OpenAI GA session), priced with a given table and checked against the arithmetic done
 * by hand; a simulator run written to disk and read back gives the same cost as in memory; an unknown model is
 * "no price", never zero.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeTrace } from '../../src/analysis/index.js';
import { runCost, usageTokens } from '../../src/cost/runCost.js';
import { DEFAULT_PRICES, lookupPrice, type PriceTable } from '../../src/cost/prices.js';
import { buildReport } from '../../src/analysis/report.js';
import { loadCatalog } from '../../src/prompts/catalog.js';
import { readTrace } from '../../src/trace/traceFile.js';
import { runOne } from '../../src/runner/runOne.js';
import { resolveEndpoint } from '../../src/realtime/flavours.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.js';
import { reportErrors } from '../analysis/schema.js';
import { TraceBuilder } from '../analysis/traceBuilder.js';

const TABLE: PriceTable = {
  asOf: '2026-12-01',
  currency: 'USD',
  models: {
    'gpt-realtime-2': { textIn: 4, cachedTextIn: 0.4, textOut: 24, audioIn: 32, cachedAudioIn: 0.4, audioOut: 64 },
  },
};

/** Verbatim from github-bravedigger-openai_realtime_sip_gateway-ga-frames.jsonl. */
const CAPTURED_USAGE = {
  total_tokens: 320,
  input_tokens: 132,
  output_tokens: 188,
  input_token_details: {
    text_tokens: 59,
    audio_tokens: 73,
    image_tokens: 0,
    cached_tokens: 64,
    cached_tokens_details: { text_tokens: 0, audio_tokens: 64, image_tokens: 0 },
  },
  output_token_details: { text_tokens: 41, audio_tokens: 147 },
};

function tracedRun(model: string) {
  const b = new TraceBuilder().connect();
  b.recv(61, 'session.created', { session: { id: 'sess_X', model } });
  const usages = [
    CAPTURED_USAGE,
    {
      input_token_details: {
        text_tokens: 1200,
        audio_tokens: 450,
        cached_tokens: 1024,
        cached_tokens_details: { text_tokens: 1024, audio_tokens: 0 },
      },
      output_token_details: { text_tokens: 120, audio_tokens: 1500 },
    },
    // no per-modality split of the cached tokens: counted against audio first
    {
      input_token_details: { text_tokens: 300, audio_tokens: 600, cached_tokens: 500 },
      output_token_details: { text_tokens: 50, audio_tokens: 900 },
    },
  ];
  usages.forEach((usage, i) => {
    const turn = i + 1;
    b.startTurn(100 + turn * 1000, turn);
    b.recv(100 + turn * 1000 + 500, 'response.done', { response: { id: `resp_${turn}`, status: 'completed', usage } });
    b.endTurn(100 + turn * 1000 + 800);
  });
  b.sessionEnd(4000);
  return b.build(3);
}

describe('cost of a run', () => {
  it('prices every turn from its usage, cached input at the cached rate, to the cent', () => {
    const cost = runCost(tracedRun('gpt-realtime-2'), TABLE);
    if (!('usd' in cost)) throw new Error(`expected a price, got ${cost.noPrice}`);
    // turn 1: 59×4 + (73−64)×32 + 64×0.4 + 41×24 + 147×64 = 10 941.6 per 1M
    // turn 2: (1200−1024)×4 + 1024×0.4 + 450×32 + 120×24 + 1500×64 = 114 393.6 per 1M
    // turn 3: 300×4 + (600−500)×32 + 500×0.4 + 50×24 + 900×64 = 63 400 per 1M
    expect(cost.perTurn.map((t) => t.usd)).toEqual([0.010942, 0.114394, 0.0634]);
    expect(cost.usd).toBeCloseTo(0.188735, 6);
    expect(Math.round(cost.usd * 100) / 100).toBe(0.19);
    expect(cost.tokens).toEqual({
      textIn: 1559,
      cachedTextIn: 1024,
      audioIn: 1123,
      cachedAudioIn: 564,
      textOut: 211,
      audioOut: 2547,
    });
    expect(cost).toMatchObject({
      model: 'gpt-realtime-2',
      priceKey: 'gpt-realtime-2',
      pricesAsOf: '2026-12-01',
      currency: 'USD',
    });
  });

  it('a dated snapshot takes its model\'s price; an unknown model is "no price", not zero', () => {
    expect(lookupPrice(TABLE, 'gpt-realtime-2-2026-05-12')).toMatchObject({ ok: true, key: 'gpt-realtime-2' });
    expect(lookupPrice(DEFAULT_PRICES, 'gpt-realtime-2.1-mini')).toMatchObject({
      ok: true,
      key: 'gpt-realtime-2.1-mini',
    });
    expect(lookupPrice(DEFAULT_PRICES, 'gpt-realtime-mini-2025-10-06')).toMatchObject({
      ok: true,
      key: 'gpt-realtime-mini',
    });
    const unknown = runCost(tracedRun('gpt-realtime-3'), DEFAULT_PRICES);
    expect(unknown).not.toHaveProperty('usd');
    expect(unknown).toMatchObject({
      noPrice: expect.stringContaining('no price for model "gpt-realtime-3"'),
      model: 'gpt-realtime-3',
    });
    expect(unknown.tokens.audioOut).toBe(2547);
  });

  it('usage without any detail counts input and output as text', () => {
    expect(usageTokens({ input_tokens: 10, output_tokens: 7 })).toEqual({
      textIn: 10,
      cachedTextIn: 0,
      audioIn: 0,
      cachedAudioIn: 0,
      textOut: 7,
      audioOut: 0,
    });
    expect(usageTokens(null)).toEqual({
      textIn: 0,
      cachedTextIn: 0,
      audioIn: 0,
      cachedAudioIn: 0,
      textOut: 0,
      audioOut: 0,
    });
  });

  it('the report carries the cost block and validates', () => {
    const trace = tracedRun('gpt-realtime-2');
    const report = buildReport(trace, analyzeTrace(trace), { prices: TABLE });
    expect(report.cost).toMatchObject({ usd: expect.closeTo(0.188735, 6) });
    expect(reportErrors(report)).toEqual([]);
    const unpriced = buildReport(trace, analyzeTrace(trace), { prices: { ...TABLE, models: {} } });
    expect(unpriced.cost).toHaveProperty('noPrice');
    expect(reportErrors(unpriced)).toEqual([]);
  });
});

describe('cost of a recorded simulator run', () => {
  let sim: RunningSimulator;
  beforeAll(async () => {
    sim = await startSimulator({ port: 0, apiKey: 'k' });
  });
  afterAll(() => sim?.close());

  it('is the same read back from events.jsonl as in memory, and names the model the session declared', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rc-cost-'));
    const catalog = loadCatalog();
    const endpoint = resolveEndpoint({ endpoint: sim.url('openai-ga', { deployment: 'gpt-realtime-2' }) });
    const { report } = await runOne(
      { name: 'sim', endpoint, auth: { mode: 'api-key', key: 'k' } },
      { probe: { prompts: [catalog[0]!], turns: 1, turnTimeoutMs: 20_000, settleMs: 200 }, outDir: dir },
    );
    const back = await readTrace(dir);
    const again = runCost(back, DEFAULT_PRICES);
    expect(again).toEqual(report.cost);
    if (!('usd' in again)) throw new Error(again.noPrice);
    expect(again.model).toBe('gpt-realtime-2');
    expect(again.tokens.audioOut).toBeGreaterThan(0);
    expect(again.usd).toBeGreaterThan(0);
  }, 60_000);
});

describe('cost in the sinks', () => {
  it('reaches the RunSummary, telemetry metrics, the Teams card footer and the run report', async () => {
    const { summarize } = await import('../../src/runner/summarize.js');
    const { runMetrics } = await import('../../src/sinks/telemetry.js');
    const { teamsCard } = await import('../../src/sinks/alerts/teamsCard.js');
    const { renderRunHtml } = await import('../../src/report/runHtml.js');
    const trace = tracedRun('gpt-realtime-2');
    const report = buildReport(trace, analyzeTrace(trace), { prices: TABLE });
    const summary = summarize(report, {
      region: 'swedencentral',
      paths: { reportJson: 'r.json', reportHtml: 'r.html' },
    });
    expect(summary.costUsd).toBeCloseTo(0.188735, 6);
    expect(summary.model).toBe('gpt-realtime-2');
    expect(runMetrics(summary).costUsd).toBeCloseTo(0.188735, 6);
    const n = {
      id: 'alert:x',
      kind: 'alert' as const,
      createdAt: summary.startedAt,
      region: 'swedencentral',
      target: summary.target,
      summary,
      opening: {
        openedAt: summary.startedAt,
        runId: summary.runId,
        runStartedAt: summary.startedAt,
        headline: undefined,
        failureClass: 'fail',
      },
      window: { failing: 2, of: 3 },
      sinceOpen: { runs: 1, failing: 1 },
    };
    expect(JSON.stringify(teamsCard(n))).toContain('Run cost $0.1887 (gpt-realtime-2)');
    const html = renderRunHtml(report, trace);
    expect(html).toMatch(/data-testid="run-cost" data-usd="0\.188735"/);
    expect(html).toContain('$0.1887 for this probe');
  });
});
