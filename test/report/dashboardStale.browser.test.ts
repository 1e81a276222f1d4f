/// <reference lib="dom" />
/**
 * The dashboard in real Chromium answering "what, where, since when": failing cells first with what broke and when
 * their alert opened (read from the alert state the round keeps), and staleness judged by the browser's own clock —
 * the same page opened later shows the cells whose region stopped as STALE, listed under "Stale", not "Failing now".
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/settings.js';
import { writeDashboard } from '../../src/sinks/dashboardSink.js';
import { alertStatePath, dailyIndexPath, heartbeatPath } from '../../src/store/layout.js';
import { createLocalStore } from '../../src/store/localStore.js';
import type { RunSummary } from '../../src/runSummary.js';
import { makeRunSummary } from '../helpers/runSummary.js';
import { launchChromium, openWatched, screenshot, serveDir, type StaticServer } from './browser.js';

const now = new Date('2026-11-24T12:00:00.000Z');
const MIN = 60_000;
const REGIONS = ['swedencentral', 'eastus2'];

let root: string;
let browser: Browser;
let server: StaticServer;

function line(target: string, region: string, agoMin: number, o: Partial<RunSummary> = {}): RunSummary {
  return makeRunSummary({
    runId: `run-${agoMin}`,
    startedAt: new Date(now.getTime() - agoMin * MIN).toISOString(),
    target,
    region,
    group: 'g',
    reportHtmlPath: 'index.html',
    ...o,
  });
}

const gap: Partial<RunSummary> = {
  verdict: 'fail',
  turns: 3,
  failingTurns: 2,
  longestGapMs: 2600,
  findingCodes: ['silent_gap'],
};

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'rc-dashboard-stale-'));
  const starting = launchChromium();
  const store = createLocalStore(root);
  const lines: RunSummary[] = [];
  for (const region of REGIONS)
    for (const ago of [25, 15, 5]) {
      lines.push(line('openai', region, ago, { flavour: 'openai-ga', baseline: true }));
      lines.push(line('aoai-ok', region, ago));
      lines.push(line('aoai-gap', region, ago, region === 'swedencentral' && ago < 20 ? gap : {}));
      lines.push(
        line('aoai-trunc', region, ago, region === 'eastus2' ? { ...gap, findingCodes: ['audio_truncated'] } : {}),
      );
    }
  for (const s of lines) await store.appendLine(dailyIndexPath(s.startedAt), JSON.stringify(s));
  for (const region of REGIONS) {
    // swedencentral runs every 10 minutes, eastus2 every 30 (each region's heartbeat says so)
    const intervalMs = region === 'eastus2' ? 30 * MIN : 10 * MIN;
    const hb = { version: 1, region, at: now.toISOString(), intervalMs, silentAfter: now.toISOString() };
    await store.put(heartbeatPath(region), JSON.stringify(hb), 'application/json');
  }
  // the rules opened aoai-gap's alert at its second failing run; aoai-trunc's is not open yet (a run behind)
  const opening = {
    openedAt: '2026-11-24T11:55:40.000Z',
    runId: 'run-5',
    runStartedAt: '',
    headline: '',
    failureClass: 'silent_gap',
  };
  await store.put(
    alertStatePath('swedencentral', 'aoai-gap'),
    JSON.stringify({ version: 1, open: opening }),
    'application/json',
  );
  const settings = loadSettings({
    CANARY_OUTPUT_DIR: root,
    CANARY_ALERT_RULE: '2/3',
    K: 'test-key-not-used',
    CANARY_TARGETS: JSON.stringify(
      ['openai', 'aoai-ok', 'aoai-gap', 'aoai-trunc'].map((name) => ({
        name,
        endpoint: 'wss://x.openai.azure.com/openai/v1/realtime?model=gpt-realtime',
        auth: 'api-key',
        secretSetting: 'K',
      })),
    ),
    CANARY_MUTE: JSON.stringify([{ target: 'aoai-trunc', until: '2026-11-24T15:00:00Z', reason: 'planned upgrade' }]),
  });
  await writeDashboard(store, now, { settings });
  server = await serveDir(root);
  browser = await starting;
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

const open = (at: Date) => openWatched(browser, server.url('index.html'), { width: 1400, height: 1000 }, { now: at });
const items = (page: Page, testId: string) =>
  page.$$eval(`[data-testid=${testId}] li[data-testid=status-item]`, (lis) =>
    lis.map((li) => `${(li as HTMLElement).dataset.target}@${(li as HTMLElement).dataset.region}`),
  );
const cell = (page: Page, target: string, region: string) =>
  page.locator(`a[data-testid=matrix-cell][data-target=${target}][data-region=${region}]`);

describe('dashboard: what, where, since when', () => {
  it('shows failing cells first with their headline and when the alert opened', async () => {
    const { page, problems } = await open(new Date(now.getTime() + MIN));
    const status = page.locator('[data-testid=status]');
    const firstGroup = await status.locator('[data-group]:not([hidden])').first().getAttribute('data-testid');
    expect(firstGroup).toBe('failing-now');
    const failing = page.locator('[data-testid=failing-now] li').first();
    expect(await failing.innerText()).toMatch(
      /^aoai-gap @ swedencentral 2\.6 s silent gap in 2 of 3 turns · alert opened 2026-11-24 11:55:40 UTC \(5 min ago\) · baseline openai passes/,
    );
    expect(await items(page, 'failing-now')).toEqual(['aoai-gap@swedencentral']);
    // muted (the mute covers the target in every region): shown with the mute's end, its failure in words
    expect((await items(page, 'muted')).sort()).toEqual(['aoai-trunc@eastus2', 'aoai-trunc@swedencentral']);
    expect(await page.locator('[data-testid=muted] li[data-region=eastus2]').innerText()).toMatch(
      /audio cut short in 2 of 3 turns · muted until 2026-11-24 15:00:00 UTC \(target aoai-trunc: planned upgrade\)/,
    );
    expect(await cell(page, 'aoai-trunc', 'eastus2').locator('xpath=..').innerText()).toContain(
      'muted until 2026-11-24 15:00:00 UTC',
    );
    expect(await page.locator('[data-testid=stale]').isHidden()).toBe(true);
    expect(await cell(page, 'aoai-ok', 'swedencentral').innerText()).toBe('PASS');
    expect(await page.locator('[data-testid=detect-line]').innerText()).toContain(
      'Time to detect with these settings: 10–20 min',
    );
    // the matrix: the baseline first in its group, then the failing targets
    const rows = await page.$$eval('tr[data-testid=matrix-row]', (trs) =>
      trs.map((t) => (t as HTMLElement).dataset.target),
    );
    expect(rows).toEqual(['openai', 'aoai-gap', 'aoai-trunc', 'aoai-ok']);
    await screenshot(page, 'dashboard-status');
    expect(problems.errors).toEqual([]);
    await page.close();
  });

  it('shows a cell as STALE when the browser’s clock says its region has been silent for two intervals', async () => {
    // 16 min later the newest runs (5 min before `now`) are 21 min old: past two of swedencentral's 10-minute
    // intervals, not of eastus2's 30
    const { page, problems } = await open(new Date(now.getTime() + 16 * MIN));
    const c = cell(page, 'aoai-gap', 'swedencentral');
    expect(await c.innerText()).toBe('STALE');
    expect(await c.getAttribute('class')).toContain('stale');
    const look = await c.evaluate((a) => getComputedStyle(a).backgroundImage);
    expect(look).toContain('repeating-linear-gradient');
    expect(await cell(page, 'aoai-ok', 'swedencentral').innerText()).toBe('STALE');
    expect(await cell(page, 'aoai-ok', 'eastus2').innerText()).toBe('PASS');
    // neither failing nor passing: listed under "Stale", "Failing now" is gone
    expect(await page.locator('[data-testid=failing-now]').isHidden()).toBe(true);
    const stale = await items(page, 'stale');
    expect(stale.sort()).toEqual(['aoai-gap', 'aoai-ok', 'aoai-trunc', 'openai'].map((t) => `${t}@swedencentral`));
    expect(stale).toContain('aoai-gap@swedencentral');
    expect(await page.locator('[data-testid=stale] .count').innerText()).toBe('4');
    expect(
      await page.locator('[data-testid=stale] li[data-target=aoai-gap][data-region=swedencentral]').innerText(),
    ).toContain('no run for 21 min; a run every 10 min');
    expect(await page.locator('[data-testid=all-clear]').isHidden()).toBe(true);
    await screenshot(page, 'dashboard-stale');
    expect(problems.errors).toEqual([]);
    await page.close();
  });
});
