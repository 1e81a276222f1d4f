/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
/**
 * report.html in real Chromium, rendered from a real probe run against the simulator's `silent-gap` scenario
 * (turn 1: 2 s of digital silence inserted at 4 s of audio).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Report } from '../../src/analysis/report.js';
import { reportCommand } from '../../src/cli/reportCommand.js';
import { loadCatalog } from '../../src/prompts/catalog.js';
import { writeTrace } from '../../src/trace/traceFile.js';
import { resolveEndpoint } from '../../src/realtime/flavours.js';
import { renderRunHtml } from '../../src/report/runHtml.js';
import { runOne } from '../../src/runner/runOne.js';
import { BUILTIN_SCENARIOS, startSimulator } from '../../src/sim/index.js';
import { launchChromium, openWatched, screenshot, serveDir, type StaticServer } from './browser.js';
import { HOSTILE, syntheticRun } from './fixtures.js';

const INJECTED = BUILTIN_SCENARIOS['silent-gap']!.turns![0]!.faults[0] as { atMs: number; durationMs: number };

let root: string;
let browser: Browser;
let server: StaticServer;
let report: Report;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'rc-report-browser-'));
  const sim = await startSimulator({});
  const [chromium] = await Promise.all([
    launchChromium(),
    runOne(
      {
        name: 'sim-silent-gap',
        endpoint: resolveEndpoint({ endpoint: sim.url('azure-ga', { scenario: 'silent-gap' }) }),
        auth: { mode: 'api-key', key: 'sim-key' },
      },
      { outDir: join(root, 'run'), probe: { prompts: loadCatalog().slice(0, 1), turns: 3 } },
    ).finally(() => sim.close()),
  ]);
  browser = chromium;
  vi.spyOn(console, 'log').mockImplementation(() => undefined);
  expect(await reportCommand([join(root, 'run')])).toBe(0);
  vi.restoreAllMocks();
  report = JSON.parse(await readFile(join(root, 'run', 'report.json'), 'utf8')) as Report;

  const hostile = syntheticRun({
    turns: 1,
    transcript: `Hello ${HOSTILE} world`,
    headers: { 'x-request-id': HOSTILE },
  });
  await writeTrace(join(root, 'hostile'), hostile.trace);
  await writeFile(join(root, 'hostile', 'report.html'), renderRunHtml(hostile.report, hostile.trace));
  server = await serveDir(root);
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

const open = (url: string) => openWatched(browser, url, { width: 1280, height: 900 });

/** The players fetch nothing until played (preload="none"); make them load their metadata. */
async function audioLoaded(page: Page): Promise<void> {
  await page.$$eval('audio', (els) =>
    els.forEach((a) => {
      (a as HTMLAudioElement).preload = 'metadata';
      (a as HTMLAudioElement).load();
    }),
  );
  await page.waitForFunction(() => [...document.querySelectorAll('audio')].every((a) => a.readyState >= 1), undefined, {
    timeout: 15_000,
  });
}

describe('report.html in Chromium', () => {
  it('is under 1 MB for the 3-turn run without its WAVs', async () => {
    const html = await readFile(join(root, 'run', 'report.html'));
    expect(report.turns).toHaveLength(3);
    expect(html.length).toBeLessThan(1_000_000);
  });

  it('loads with no console errors or failed requests, places the injected gap and plays the WAVs', async () => {
    const { page, problems } = await open(server.url('run/report.html'));
    await audioLoaded(page);
    expect(await page.locator('[data-testid=header]').getAttribute('data-verdict')).toBe('fail');

    // The report's gap (silence detection) is drawn at its audio position, on the documented scale, and covers the injected stretch.
    const svg = page.locator('svg[data-testid=timeline][data-turn="1"]');
    const geo = await svg.evaluate((el) => {
      const rect = el.querySelector('[data-testid=gap-rect]') as SVGRectElement;
      const box = rect.getBoundingClientRect();
      const svgBox = el.getBoundingClientRect();
      return {
        scale: Number(el.getAttribute('data-px-per-ms')),
        origin: Number(el.getAttribute('data-origin-x')),
        bucketMs: Number(el.getAttribute('data-bucket-ms')),
        atMs: Number(rect.getAttribute('data-gap-at-ms')),
        gapMs: Number(rect.getAttribute('data-gap-ms')),
        left: box.left - svgBox.left,
        width: box.width,
        bars: el.querySelector('[data-testid=waveform]')!.getAttribute('d')!,
        gaps: el.querySelectorAll('[data-testid=gap-rect]').length,
      };
    });
    expect(geo.gaps).toBe(1);
    const fromMs = (geo.left - geo.origin) / geo.scale;
    const toMs = fromMs + geo.width / geo.scale;
    expect(fromMs).toBeCloseTo(geo.atMs, -1); // on screen where its data attribute says, within 1 px (20 ms)
    expect(fromMs).toBeLessThanOrEqual(INJECTED.atMs + geo.bucketMs);
    expect(fromMs).toBeGreaterThan(INJECTED.atMs - 1000); // only the natural pause before it may be merged in
    expect(toMs).toBeGreaterThanOrEqual(INJECTED.atMs + INJECTED.durationMs - geo.bucketMs);

    // The waveform has no bar exactly where the digital silence was injected (one bar per non-silent bucket).
    const bucketPx = geo.bucketMs * geo.scale;
    const present = new Set(
      [...geo.bars.matchAll(/M([\d.]+) /g)].map((m) => Math.round((Number(m[1]) - geo.origin) / bucketPx - 0.5)),
    );
    const last = Math.max(...present);
    let best = { start: 0, length: 0 };
    for (let i = 0, start = -1; i <= last; i++) {
      if (!present.has(i)) start = start < 0 ? i : start;
      else if (start >= 0) {
        if (i - start > best.length) best = { start, length: i - start };
        start = -1;
      }
    }
    expect(Math.abs(best.start * geo.bucketMs - INJECTED.atMs)).toBeLessThanOrEqual(geo.bucketMs);
    expect(Math.abs(best.length * geo.bucketMs - INJECTED.durationMs)).toBeLessThanOrEqual(geo.bucketMs);

    for (const turn of [2, 3])
      expect(await page.locator(`svg[data-turn="${turn}"] [data-testid=gap-rect]`).count()).toBe(0);
    expect(await page.locator('svg[data-turn="1"] [data-testid=response-done]').getAttribute('data-missing')).toBe(
      'false',
    );
    expect(await page.locator('svg[data-turn="1"] [data-testid=audio-done]').getAttribute('data-missing')).toBe(
      'false',
    );

    // The players load their WAVs: durations match the audio in the report.
    const durations = await page.$$eval('audio', (els) =>
      els.map((a) => ({
        id: a.getAttribute('data-testid'),
        turn: a.getAttribute('data-turn'),
        d: (a as HTMLAudioElement).duration,
      })),
    );
    expect(durations).toHaveLength(6);
    for (const d of durations.filter((x) => x.id === 'audio-turn')) {
      expect(d.d).toBeCloseTo(report.turns[Number(d.turn) - 1]!.metrics!.audio.totalMs / 1000, 1);
    }
    for (const d of durations.filter((x) => x.id === 'audio-prompt')) expect(d.d).toBeGreaterThan(1);

    await screenshot(page, 'report-silent-gap');
    expect(problems.errors).toEqual([]);
    await page.close();
  });

  it('filters the event table, copies the support summary and moves the cursor with playback', async () => {
    const { page, problems } = await open(server.url('run/report.html'));
    await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
    await audioLoaded(page);
    await page.locator('[data-testid=event-table] summary').click();
    await page.locator('[data-testid=event-filter]').selectOption('response.done');
    expect(await page.locator('[data-testid=event-table] tbody tr:not([hidden])').count()).toBe(3);
    expect(await page.locator('[data-testid=event-count]').textContent()).toMatch(/^3 of \d+ shown$/);
    await page.locator('[data-testid=event-filter]').selectOption('');
    await page.locator('[data-testid=event-search]').fill(report.correlation.sessionId!);
    await page.waitForFunction(
      () => document.querySelectorAll('[data-testid=event-table] tbody tr:not([hidden])').length < 10,
    );
    expect(await page.locator('[data-testid=event-table] tbody tr:not([hidden])').first().textContent()).toContain(
      'session.created',
    );

    await page.locator('[data-testid=copy-support]').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=copy-status]')!.textContent !== '');
    expect(await page.locator('[data-testid=copy-status]').textContent()).toBe('Copied to the clipboard.');
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    expect(copied).toContain(report.correlation.sessionId!);
    expect(copied).toContain(report.correlation.requestIds['apim-request-id']!);

    await page.locator('audio[data-testid=audio-turn][data-turn="1"]').evaluate(
      (a: HTMLAudioElement) =>
        new Promise((r) => {
          a.addEventListener('seeked', r, { once: true });
          a.currentTime = 5;
        }),
    );
    const cursorX = Number(await page.locator('svg[data-turn="1"] [data-testid=cursor]').getAttribute('x1'));
    expect(cursorX).toBeCloseTo(64 + 5000 * 0.05, 0);
    await screenshot(page, 'report-events-open');
    expect(problems.errors).toEqual([]);
    await page.close();
  });

  it('works from a local folder (file://)', async () => {
    const { page, problems } = await open(pathToFileURL(join(root, 'run', 'report.html')).href);
    await audioLoaded(page);
    expect(
      await page.locator('audio[data-turn="1"][data-testid=audio-turn]').evaluate((a: HTMLAudioElement) => a.duration),
    ).toBeGreaterThan(20);
    expect(problems.errors).toEqual([]);
    await page.close();
  });

  it('passes a SAS query on to the WAVs next to the report, and says so when they stay unauthorized', async () => {
    const sas = await serveDir(join(root, 'run'), {
      requireQuery: { files: /\.wav$/, query: '?sv=2025-01-05&sig=abc%3D' },
    });
    try {
      const { page, problems } = await open(sas.url('report.html?sv=2025-01-05&sig=abc%3D'));
      await audioLoaded(page);
      expect(sas.requests).toContain('/turn-1.wav?sv=2025-01-05&sig=abc%3D');
      expect(await page.locator('[data-testid=download-turn]').first().getAttribute('href')).toBe(
        'turn-1.wav?sv=2025-01-05&sig=abc%3D',
      );
      expect(problems.errors).toEqual([]);
      await page.close();

      // A token that does not cover the siblings (a blob SAS for report.html only): the player explains.
      const refused = await open(sas.url('report.html?sv=2025-01-05&sig=other'));
      await refused.page.$$eval('audio', (els) =>
        els.forEach((a) => {
          (a as HTMLAudioElement).preload = 'metadata';
          (a as HTMLAudioElement).load();
        }),
      );
      await refused.page.waitForSelector('.audio-error:not([hidden])', { timeout: 10_000 });
      expect(refused.problems.errors.some((e) => e.startsWith('HTTP 403'))).toBe(true);
      await refused.page.close();
    } finally {
      await sas.close();
    }
  });

  it('shows markup injected into a transcript and headers as text, creating no element', async () => {
    const { page, problems } = await open(server.url('hostile/report.html'));
    await audioLoaded(page);
    expect(await page.locator('[data-testid=transcript]').textContent()).toBe(`Hello ${HOSTILE} world`);
    expect(await page.locator('[data-testid=support-summary]').inputValue()).toContain(HOSTILE);
    expect(await page.locator('[data-testid=correlation]').textContent()).toContain(HOSTILE);
    expect(await page.locator('img').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(1);
    expect(await page.locator('[data-testid=transcript] *').count()).toBe(0);
    await page.waitForTimeout(200);
    expect(problems.dialogs).toEqual([]);
    expect(problems.errors).toEqual([]);
    await screenshot(page, 'report-injection');
    await page.close();
  });
});
