/// <reference lib="dom" />
/**
 * The dashboard at 7 days of history (what `npm start -- --history 7d` writes), in real Chromium at 1400 px: the
 * region × target heat maps of the hourly failing-turn rate and worst gap show the regional incident, hover and
 * click work on them, nothing overflows horizontally, and no debug text is shown.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HISTORY_REGIONS, historySummaries, parseHistory, writeDemoHistory } from '../../src/cli/demoHistory.js';
import { DEMO_HISTORY_PAGE } from '../../src/store/layout.js';
import { writeDashboard } from '../../src/sinks/dashboardSink.js';
import type { StripPayload } from '../../src/report/fleetStrips.js';
import { createLocalStore } from '../../src/store/localStore.js';
import { launchChromium, openWatched, screenshot, serveDir, type StaticServer } from './browser.js';

const now = new Date('2026-11-24T12:07:00.000Z');
const TARGETS = [
  { name: 'openai-baseline', flavour: 'openai-ga', group: 'demo', baseline: true },
  { name: 'azure-ga-healthy', flavour: 'azure-ga', group: 'demo' },
  { name: 'azure-ga-silent-gap', flavour: 'azure-ga', group: 'demo' },
  { name: 'azure-preview-truncated', flavour: 'azure-preview', group: 'demo' },
  { name: 'azure-ga-stall', flavour: 'azure-ga', group: 'demo' },
  { name: 'azure-ga-no-response-done', flavour: 'azure-ga', group: 'demo' },
  { name: 'openai-beta-drop', flavour: 'openai-beta', group: 'demo' },
  { name: 'azure-ga-wrong-key', flavour: 'azure-ga', group: 'demo' },
];

let root: string;
let browser: Browser;
let server: StaticServer;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'rc-dashboard-history-'));
  const starting = launchChromium();
  const store = createLocalStore(root);
  expect(await writeDemoHistory(store, TARGETS, now, parseHistory('7d'))).toBe(
    7 * 72 * TARGETS.length * HISTORY_REGIONS.length - TARGETS.length * HISTORY_REGIONS.length,
  );
  await writeDashboard(store, now);
  server = await serveDir(root);
  browser = await starting;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('dashboard with 7 days of history', () => {
  it('is deterministic and refuses a bad span', () => {
    expect(historySummaries(TARGETS, now, 3_600_000)).toEqual(historySummaries(TARGETS, now, 3_600_000));
    expect(() => parseHistory('8d')).toThrow(/--history.*at most 7d/);
    expect(() => parseHistory('week')).toThrow(/like 7d or 12h/);
  });

  it('draws region × target heat maps, fits 1400 px and shows no debug text', async () => {
    const { page, problems } = await openWatched(
      browser,
      server.url('index.html'),
      { width: 1400, height: 1000 },
      { now },
    );
    expect(await page.locator('table[data-testid=heat-map]').count()).toBe(1);
    expect(await page.locator('svg[data-testid=heat]').count()).toBe(2 * TARGETS.length * HISTORY_REGIONS.length);
    // Coloured, not grey: most hours of the week have a run.
    const coloured = await page.$$eval('svg[data-testid=heat][data-metric=fail] path:not(.hn)', (ps) =>
      ps.reduce((n, p) => n + (p.getAttribute('d')!.match(/M/g)?.length ?? 0), 0),
    );
    expect(coloured).toBeGreaterThan(0.9 * 168 * TARGETS.length * HISTORY_REGIONS.length);
    // The incident: francecentral's Azure targets run hot two days ago, swedencentral's do not.
    /** Hot hourly cells (failing-turn rate > 25 %) of azure-ga-healthy in a region. */
    const hot = (region: string) =>
      page.$$eval(
        `svg[data-testid=heat][data-metric=fail]`,
        (svgs, r) => {
          const data = JSON.parse(document.getElementById('fleet-data')!.textContent!) as StripPayload;
          return svgs
            .filter((s) => {
              const row = data.rows[Number(s.getAttribute('data-row'))]!;
              return row.region === r && row.target === 'azure-ga-healthy';
            })
            .reduce(
              (n, s) =>
                n +
                [...s.querySelectorAll('path.h3,path.h4')].reduce(
                  (k, p) => k + (p.getAttribute('d')!.match(/M/g)?.length ?? 0),
                  0,
                ),
              0,
            );
        },
        region,
      );
    // (3 hours of mostly failing runs there; elsewhere a healthy target fails about 1 run in 100)
    expect(await hot('francecentral')).toBeGreaterThanOrEqual(3);
    expect(await hot('swedencentral')).toBeLessThanOrEqual(1);
    // Nothing overflows at 1400 px: not the page, not a table inside its scroll box.
    const overflow = await page.evaluate(() => ({
      page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      boxes: [...document.querySelectorAll('.scroll, section')].flatMap((el) =>
        el.scrollWidth - el.clientWidth > 1
          ? [
              `${el.querySelector('h2')?.textContent ?? el.parentElement?.querySelector('h2')?.textContent ?? el.className}: ${el.scrollWidth - el.clientWidth} ` +
                `px [${[...el.querySelectorAll('thead th')].map((t) => Math.round(t.getBoundingClientRect().width)).join(',')}]`,
            ]
          : [],
      ),
    }));
    expect(overflow).toEqual({ page: 0, boxes: [] });
    expect(await page.locator('body').textContent()).not.toMatch(/duplicate|index line/i);
    // The wrong key is a configuration problem, said apart from the incidents.
    expect(await page.locator('[data-testid=misconfigured]').textContent()).toContain('azure-ga-wrong-key @ eastus2');
    expect(await page.locator('[data-testid=failing-now]').textContent()).not.toContain('wrong-key');
    expect(
      await page
        .locator('a[data-testid=matrix-cell][data-target=azure-ga-wrong-key][data-region=eastus2]')
        .textContent(),
    ).toBe('config');
    await screenshot(page, 'dashboard-history-7d');
    await page.screenshot({ path: join(process.cwd(), 'test-artifacts', 'dashboard-history-top.png') });
    await page
      .locator('[data-testid=heat-maps]')
      .screenshot({ path: join(process.cwd(), 'test-artifacts', 'dashboard-heat-maps.png') });
    expect(problems.errors).toEqual([]);
    await page.close();
  });

  it("shows a heat-map cell's numbers on hover and opens its run on click", async () => {
    const { page, problems } = await openWatched(
      browser,
      server.url('index.html'),
      { width: 1400, height: 1000 },
      { now },
    );
    const heat = page
      .locator('svg[data-testid=heat][data-metric=fail]')
      .filter({ has: page.locator('path.h3,path.h4') })
      .first();
    const hit = await heat.evaluate((svg) => {
      const data = JSON.parse(document.getElementById('fleet-data')!.textContent!) as StripPayload;
      const row = data.rows[Number(svg.getAttribute('data-row'))]!;
      const cell = row.week.find((c) => c[8] > 0 && c[9] / c[8] > 0.25)!;
      const k = Number(svg.getAttribute('data-start-hour')) + cell[0];
      const size = Number(svg.getAttribute('data-cell'));
      return {
        target: row.target,
        region: row.region,
        failing: cell[9],
        turns: cell[8],
        x: (k % 24) * size + size / 2,
        y: Math.floor(k / 24) * size + size / 2,
      };
    });
    await heat.hover({ position: { x: hit.x, y: hit.y } });
    const tip = await page.locator('[data-testid=tooltip]').textContent();
    expect(tip).toContain(`${hit.target} @ ${hit.region}`);
    expect(tip).toContain(`failing turns ${hit.failing} of ${hit.turns}`);
    await Promise.all([
      page.waitForURL((u) => u.pathname.endsWith(`/${DEMO_HISTORY_PAGE}`)),
      heat.click({ position: { x: hit.x, y: hit.y } }),
    ]);
    expect(await page.locator('h1').textContent()).toBe('Synthetic history');
    expect(problems.errors).toEqual([]);
    await page.close();
  });
});
