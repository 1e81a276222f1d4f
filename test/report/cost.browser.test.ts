/// <reference lib="dom" />
/**
 * The dashboard's cost section in real Chromium: spend per target per day, a "not probed: budget" cell, the
 * month-to-date total and the month's projection (the one `realtime-canary cost` prints), written by writeDashboard
 * from index lines, spend ledgers and the configuration.
 */
import { rm } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COST_SETTINGS, costStore } from '../cost/costFixtures.js';
import { costInput } from '../../src/cli/costConfig.js';
import { projectCost } from '../../src/cost/projection.js';
import { formatProjection } from '../../src/cost/projectionText.js';
import { launchChromium, openWatched, screenshot, serveDir, type StaticServer } from './browser.js';

let root: string;
let browser: Browser;
let server: StaticServer;

beforeAll(async () => {
  root = await costStore();
  [server, browser] = await Promise.all([serveDir(root), launchChromium()]);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('dashboard cost in Chromium', () => {
  it('shows cost per target per day, budget skips and the month projection', async () => {
    const { page, problems } = await openWatched(browser, server.url('index.html'), { width: 1500, height: 1000 });
    const section = page.locator('[data-testid=cost]');
    expect(await section.isVisible()).toBe(true);
    const cells = await page.$$eval('[data-testid=cost-cell]', (els) =>
      els.map(
        (e) =>
          `${(e as HTMLElement).dataset.target}/${(e as HTMLElement).dataset.day}=${e.textContent?.split('\n')[0]}`,
      ),
    );
    expect(cells).toContain('aoai/2026-11-09=$0.2500');
    expect(cells).toContain('aoai/2026-11-10=$0.2000');
    expect(
      await page
        .locator('[data-testid=cost-cell][data-target=openai][data-day="2026-11-10"] [data-testid=budget-skip]')
        .textContent(),
    ).toBe('1 not probed: budget');
    expect(await page.locator('[data-testid=cost-mtd]').textContent()).toBe('$100.00');
    // the month as `realtime-canary cost` prints it for the same configuration and region
    const env = { CANARY_TARGETS: JSON.stringify(COST_SETTINGS.targets), CANARY_REGION: 'swedencentral', K: 'k' };
    const printed = formatProjection(projectCost(await costInput({ env, regions: ['swedencentral'] })));
    const total = /^total\s.*\s(\$[\d,]+\.\d\d)\s+[\d.]+ GB$/m.exec(printed)![1]!;
    expect(await page.locator('[data-testid=cost-projection]').textContent()).toBe(total);
    await screenshot(page, 'dashboard-cost');
    expect(problems.errors).toEqual([]);
    await page.close();
  });
});
