/// <reference lib="dom" />
/**
 * A reasoning model's turn in the run report, from real probes over loopback against the simulator: the healthy
 * reasoning scenario (a spoken preamble, 2.8 s of reasoning, the final answer on gpt-realtime-2.1) and today's
 * non-reasoning model. The timeline shades the preamble and the answer in their own tints with a legend, labels the
 * reasoning pause with the length analysis measured, and the one turn line (first audio · thought · answer at) reads
 * the same in report.html, the CLI's summary and the support case summary; the non-reasoning turn has none of it.
 * The page is then opened in real Chromium.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { summarizeReport } from '../../src/analysis/summary.js';
import type { Report, ReportTurn } from '../../src/analysis/report.js';
import { loadCatalog } from '../../src/prompts/catalog.js';
import { resolveEndpoint } from '../../src/realtime/flavours.js';
import { correlationOf } from '../../src/report/correlation.js';
import { renderRunHtml } from '../../src/report/runHtml.js';
import { supportSummary } from '../../src/report/supportSummary.js';
import { runOne } from '../../src/runner/runOne.js';
import { DEMO_REASONING_MS, startSimulator } from '../../src/sim/index.js';
import type { Trace } from '../../src/trace/trace.js';
import { reasoningAllowanceMs } from '../helpers/loadAllowance.js';
import { launchChromium, openWatched, screenshot, serveDir, type StaticServer } from './browser.js';

interface Run {
  report: Report;
  trace: Trace;
  html: string;
}

let root: string;
let browser: Browser;
let server: StaticServer;
let reasoning: Run;
let classic: Run;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'rc-report-reasoning-'));
  const sim = await startSimulator({ apiKey: 'sim-key' });
  const probe = async (name: string, scenario: string, deployment: string): Promise<Run> => {
    const { report, trace } = await runOne(
      {
        name,
        endpoint: resolveEndpoint({ endpoint: sim.url('azure-ga', { scenario, deployment }) }),
        auth: { mode: 'api-key', key: 'sim-key' },
      },
      {
        outDir: join(root, name),
        probe: {
          prompts: loadCatalog().slice(0, 1),
          turns: 1,
          turnTimeoutMs: 40_000,
          settleMs: 400,
          generationWindowMs: 3000,
          pace: 'burst',
        },
      },
    );
    const html = renderRunHtml(report, trace);
    await writeFile(join(root, name, 'report.html'), html);
    return { report, trace, html };
  };
  [browser, reasoning, classic] = await Promise.all([
    launchChromium(),
    probe('sim-reasoning', 'reasoning-healthy', 'gpt-realtime-2.1'),
    probe('sim-classic', 'healthy', 'gpt-realtime'),
  ]).finally(() => sim.close());
  server = await serveDir(root);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

const turnOf = (r: Run): ReportTurn => r.report.turns[0]!;
/** The numbers a turn line states, e.g. "thought 2.8 s" → 2800 (ms). */
const stated = (line: string, label: string): number | undefined => {
  const m = new RegExp(`${label} (\\d+(?:\\.\\d)?) (ms|s)`).exec(line);
  return m ? Number(m[1]) * (m[2] === 's' ? 1000 : 1) : undefined;
};
/** The label the timeline gives a reasoning pause: its measured length to a tenth of a second. */
const pauseLabel = (durationMs: number): string => `reasoning ${(Math.round(durationMs / 100) / 10).toFixed(1)} s`;
const lineOf = (html: string): string => /data-testid="turn-line">([^<]*)</.exec(html)![1]!.replace(/&amp;/g, '&');

describe('a healthy reasoning turn in report.html', () => {
  it('is the turn the simulator planned: commentary, ~2.8 s of reasoning, final answer, passing', () => {
    const m = turnOf(reasoning).metrics!;
    expect(turnOf(reasoning).verdict).toBe('pass');
    expect(m.phases.items.map((i) => i.phase)).toEqual(['commentary', 'final_answer']);
    // 50 ms on an idle machine (npm run bench:detect), plus the time the trace says the canary was blocked
    expect(Math.abs(m.timing.reasoningMs! - DEMO_REASONING_MS)).toBeLessThanOrEqual(
      reasoningAllowanceMs(reasoning.trace, m),
    );
  });

  it('shades the preamble and the final answer in their own tints, where their audio is', () => {
    const m = turnOf(reasoning).metrics!;
    const rects = [
      ...reasoning.html.matchAll(
        /<rect data-testid="phase" class="([^"]+)" data-phase="([^"]+)" data-from-ms="([^"]+)" data-duration-ms="([^"]+)"/g,
      ),
    ];
    expect(rects.map((r) => [r[1], r[2]])).toEqual([
      ['phase-commentary', 'commentary'],
      ['phase-final_answer', 'final_answer'],
    ]);
    m.phases.items.forEach((item, i) => {
      expect(Number(rects[i]![3])).toBeCloseTo(item.atMs!, 0);
      expect(Number(rects[i]![4])).toBeCloseTo(item.audioMs, 0);
    });
    // the answer starts where the preamble's audio ends (the audio lane is the audio as played, back to back)
    expect(Number(rects[1]![3])).toBeCloseTo(Number(rects[0]![3]) + Number(rects[0]![4]), 0);
    expect(reasoning.html).toContain('data-testid="phase-legend"');
  });

  it('labels the reasoning pause with its measured length, on both lanes', () => {
    const m = turnOf(reasoning).metrics!;
    const pause = m.phases.pauses[0]!;
    expect(Math.abs(pause.durationMs - DEMO_REASONING_MS)).toBeLessThanOrEqual(
      reasoningAllowanceMs(reasoning.trace, m),
    );
    const label = pauseLabel(pause.durationMs);
    expect(label).toMatch(/^reasoning \d+\.\d s$/);
    const mark =
      /<g data-testid="reasoning-mark"[^>]*data-at-ms="([^"]+)" data-reasoning-ms="([^"]+)">.*?<text[^>]*>([^<]+)<\/text>/.exec(
        reasoning.html,
      )!;
    expect([Number(mark[1]), Number(mark[2]), mark[3]]).toEqual([pause.atMs, pause.durationMs, label]);
    const span =
      /<g data-testid="reasoning" class="reasoning" data-from-ms="[^"]+" data-duration-ms="([^"]+)">.*?<text[^>]*>([^<]+)<\/text>/.exec(
        reasoning.html,
      )!;
    expect([Number(span[1]), span[2]]).toEqual([pause.durationMs, label]);
  });

  it('the turn line — first audio · thought · answer at — is the same in the page, the CLI and the support summary', () => {
    const t = turnOf(reasoning);
    const line = lineOf(reasoning.html);
    expect(line).toMatch(/^PASS {2}first audio \d+ ms · thought \d+\.\d s · answer at \d+\.\d s$/);
    expect(Math.abs(stated(line, 'first audio')! - t.metrics!.timing.firstAudioMs!)).toBeLessThanOrEqual(0.5);
    expect(Math.abs(stated(line, 'thought')! - t.metrics!.timing.reasoningMs!)).toBeLessThanOrEqual(50);
    expect(Math.abs(stated(line, 'answer at')! - t.metrics!.timing.finalAnswerMs!)).toBeLessThanOrEqual(50);
    expect(summarizeReport(reasoning.report)).toContain(`turn 1 ${t.promptId}: ${line} · audio `);
    expect(supportSummary(reasoning.report, correlationOf(reasoning.report, reasoning.trace))).toContain(
      `- Turn 1: ${line}\n`,
    );
  });
});

describe('a non-reasoning turn looks as before', () => {
  it('no phase tints, no reasoning label or legend; the turn line is verdict and first audio', () => {
    const t = turnOf(classic);
    expect(t.metrics!.phases.reasoning).toBe(false);
    expect(classic.html).not.toMatch(/data-testid="(phase|reasoning|reasoning-mark|phase-legend)"/);
    expect(classic.html).not.toMatch(/>reasoning \d/);
    const line = lineOf(classic.html);
    expect(line).toMatch(/^PASS {2}first audio \d+ ms$/);
    expect(summarizeReport(classic.report)).toContain(`: ${line} · audio `);
    expect(summarizeReport(classic.report)).not.toContain('thought');
  });
});

describe('in Chromium', () => {
  it('renders without errors, shows the reasoning label over the pause, the two tints differ', async () => {
    const { page, problems } = await openWatched(browser, server.url('sim-reasoning/report.html'), {
      width: 1280,
      height: 900,
    });
    await page.waitForSelector('[data-testid=timeline]');
    const pause = turnOf(reasoning).metrics!.phases.pauses[0]!;
    const label = page.locator('[data-testid=reasoning] text');
    expect(await label.isVisible()).toBe(true);
    expect(await label.textContent()).toBe(pauseLabel(pause.durationMs));
    expect(await page.locator('[data-testid=reasoning-mark] text').isVisible()).toBe(true);
    // the shaded pause is as wide as the pause on the timeline's scale (50 px per second)
    const box = await page.locator('[data-testid=reasoning] rect').boundingBox();
    expect(Math.abs(box!.width - pause.durationMs * 0.05)).toBeLessThanOrEqual(1);
    const fills = await page.$$eval('[data-testid=phase]', (els) => els.map((e) => getComputedStyle(e).fill));
    expect(fills).toHaveLength(2);
    expect(fills[0]).not.toBe(fills[1]);
    expect(await page.locator('[data-testid=phase-legend]').isVisible()).toBe(true);
    expect(await page.locator('[data-testid=turn-line]').textContent()).toBe(lineOf(reasoning.html));
    await screenshot(page, 'report-reasoning');
    expect(problems.errors).toEqual([]);
    await page.close();
  });
});
