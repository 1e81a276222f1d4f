/// <reference lib="dom" />
/**
 * The run report's ten-second answers in real Chromium: the baseline's same-minute turn side by side with its
 * links, "▶ play from 1 s before the gap", the evidence zip behind "Download evidence", and a configuration-kind
 * report with no support summary. The runs are synthetic traces analysed for real and laid out as the store does
 * (src/store/layout.ts), so the relative links resolve as they would in Blob Storage.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeTrace } from '../../src/analysis/index.js';
import { buildReport, type Report } from '../../src/analysis/report.js';
import { writeTrace } from '../../src/trace/traceFile.js';
import type { Trace } from '../../src/trace/trace.js';
import { buildEvidenceZip } from '../../src/report/evidence.js';
import { renderRunHtml } from '../../src/report/runHtml.js';
import { storeLinks, storedBaseline, storedRunOptions } from '../../src/report/runLinks.js';
import { runPaths } from '../../src/store/layout.js';
import { TraceBuilder } from '../analysis/traceBuilder.js';
import { ARTIFACTS, launchChromium, openWatched, screenshot, serveDir, type StaticServer } from './browser.js';
import { syntheticRun } from './fixtures.js';

const ROUND = new Date('2026-01-01T00:00:00Z');
const REGION = 'swedencentral';
const ATTRIBUTION =
  'azure-target: 1 of 3 turns with silent gaps (max 2.0 s); baseline openai-baseline: 0 of 3 — the hosting layer is the likely cause';

let root: string;
let browser: Browser;
let server: StaticServer;
let target: { report: Report; trace: Trace };
const paths = (name: string, runId = 'run-test-1', at = ROUND) => runPaths(runId, at, REGION, name);

async function publish(dir: string, report: Report, trace: Trace, html: string): Promise<void> {
  await writeTrace(dir, trace);
  await writeFile(join(dir, 'report.json'), JSON.stringify(report, null, 2));
  await writeFile(join(dir, 'report.html'), html);
  await writeFile(join(dir, 'evidence.zip'), await buildEvidenceZip({ report, trace }));
}

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'rc-report-extras-'));
  browser = await launchChromium();
  const base = syntheticRun({ gap: false, targetName: 'openai-baseline' });
  const run = syntheticRun({ targetName: 'azure-target' });
  target = {
    report: { ...run.report, comparison: [{ group: 'g', baseline: 'openai-baseline', message: ATTRIBUTION }] },
    trace: run.trace,
  };
  const previous = paths('azure-target', 'run-test-0', new Date('2025-12-31T23:50:00Z'));
  const opts = storedRunOptions(
    { ...target, reportHtmlPath: paths('azure-target').reportHtml },
    {
      baseline: storedBaseline({ ...base, reportHtmlPath: paths('openai-baseline').reportHtml }),
      previousReportHtmlPath: previous.reportHtml,
    },
  );
  await publish(
    join(root, paths('openai-baseline').dir),
    base.report,
    base.trace,
    renderRunHtml(base.report, base.trace),
  );
  const html = renderRunHtml(target.report, target.trace, opts);
  await publish(join(root, paths('azure-target').dir), target.report, target.trace, html);
  await mkdir(join(root, previous.dir), { recursive: true });
  await writeFile(join(root, previous.reportHtml), '<!doctype html><title>previous run</title><h1>previous</h1>');
  await writeFile(join(root, 'index.html'), '<!doctype html><title>dashboard</title><h1>dashboard</h1>');

  // A wrong key: HTTP 401 on the upgrade, both turns could not run.
  const b = new TraceBuilder({ targetName: 'azure-wrong-key' }).connect({
    status: 401,
    body: '{"error":{"code":"401","message":"Access denied due to invalid subscription key or wrong API endpoint."}}',
    headers: { 'apim-request-id': 'apim-401' },
  });
  b.close(50, 1006, '', 'server').sessionEnd(51, 'rejected');
  const trace = b.build(2);
  const report = buildReport(trace, analyzeTrace(trace));
  await publish(
    join(root, paths('azure-wrong-key').dir),
    report,
    trace,
    renderRunHtml(report, trace, { links: storeLinks({ reportHtmlPath: paths('azure-wrong-key').reportHtml }) }),
  );
  server = await serveDir(root);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

const open = (name: string) => openWatched(browser, server.url(paths(name).reportHtml), { width: 1280, height: 900 });

describe('the run report in Chromium', () => {
  it("shows the baseline's same-minute turn side by side, with the attribution, its player and its waveform", async () => {
    const { page, problems } = await open('azure-target');
    expect(await page.locator('[data-testid=comparison]').textContent()).toContain(ATTRIBUTION);
    expect(await page.locator('[data-testid=baseline-turn]').count()).toBe(3);
    const turn1 = page.locator('[data-testid=baseline-turn][data-turn="1"]');
    expect(await turn1.locator('[data-testid=attribution]').textContent()).toBe(ATTRIBUTION);
    // The numbers differ where the runs differ: the target's gap, the baseline's none.
    expect(await turn1.locator('tr[data-fact="silent gaps"] td.target').textContent()).toMatch(
      /^1 \(longest 2\.\d s\)$/,
    );
    expect(await turn1.locator('tr[data-fact="silent gaps"] td.baseline').textContent()).toBe('none');
    expect(await turn1.locator('svg[data-testid=baseline-timeline] [data-testid=gap-rect]').count()).toBe(0);
    expect(await page.locator('svg[data-testid=timeline][data-turn="1"] [data-testid=gap-rect]').count()).toBe(1);
    // Both timelines on the same scale, so the baseline's is directly comparable.
    const scales = await page.$$eval('[data-turn="1"] svg', (els) => els.map((e) => e.getAttribute('data-px-per-ms')));
    expect(new Set(scales)).toEqual(new Set(['0.05']));
    // The baseline's player loads the baseline's WAV, next to its own report.
    const audio = turn1.locator('audio[data-testid=audio-baseline]');
    await audio.evaluate((a: HTMLAudioElement) => {
      a.preload = 'metadata';
      a.load();
    });
    await page.waitForFunction(
      () => (document.querySelector('[data-testid=baseline-turn] audio') as HTMLAudioElement).readyState >= 1,
      undefined,
      { timeout: 15_000 },
    );
    expect(await audio.evaluate((a: HTMLAudioElement) => a.currentSrc)).toMatch(/\/openai-baseline\/turn-1\.wav$/);
    expect(await audio.evaluate((a: HTMLAudioElement) => a.duration)).toBeCloseTo(21, 0);
    await screenshot(page, 'report-baseline-side-by-side');
    await page.locator('article[data-turn="1"]').screenshot({ path: join(ARTIFACTS, 'report-baseline-turn-1.png') });
    await page.locator('[data-testid=header]').screenshot({ path: join(ARTIFACTS, 'report-header-links.png') });
    expect(problems.errors).toEqual([]);
    await page.close();
  });

  it("links to the baseline's run, the previous run and the dashboard", async () => {
    for (const [id, expected] of [
      ['link-baseline', /\/openai-baseline\/report\.html$/],
      ['link-previous', /\/run-test-0\/swedencentral\/azure-target\/report\.html$/],
      ['link-dashboard', /\/index\.html$/],
    ] as const) {
      const { page, problems } = await open('azure-target');
      await Promise.all([page.waitForURL(expected), page.locator(`[data-testid=${id}]`).click()]);
      expect(await page.locator('h1').first().textContent()).toBeTruthy();
      expect(problems.errors).toEqual([]);
      await page.close();
    }
    const { page } = await open('azure-target');
    await Promise.all([page.waitForURL(/openai-baseline/), page.locator('[data-testid=baseline-run]').first().click()]);
    expect(await page.locator('[data-testid=header] h1').textContent()).toContain('openai-baseline');
    await page.close();
  });

  it('"▶ play from 1 s before the gap" seeks the answer to gap − 1 s and plays', async () => {
    const { page, problems } = await open('azure-target');
    const gapAtMs = target.report.turns[0]!.metrics!.silence.gaps[0]!.atMs;
    const item = page.locator('[data-testid=gap-words]').first();
    expect(await item.textContent()).toMatch(/≈ after ‘[^’]+’, before ‘[^’]+’/);
    await item.locator('[data-testid=play-gap]').click();
    const audio = page.locator('audio[data-testid=audio-turn][data-turn="1"]');
    await page.waitForFunction(
      () => {
        const a = document.querySelector('audio[data-testid=audio-turn][data-turn="1"]') as HTMLAudioElement;
        return a.readyState >= 1 && !a.seeking && a.currentTime > 0;
      },
      undefined,
      { timeout: 15_000 },
    );
    const at = await audio.evaluate((a: HTMLAudioElement) => {
      a.pause();
      return a.currentTime;
    });
    expect(at).toBeGreaterThanOrEqual((gapAtMs - 1000) / 1000 - 0.05);
    expect(at).toBeLessThan((gapAtMs - 1000) / 1000 + 1);
    // The cursor follows: it sits about 1 s (50 px) before the gap's left edge.
    const cursor = Number(
      await page.locator('svg[data-testid=timeline][data-turn="1"] [data-testid=cursor]').getAttribute('x1'),
    );
    expect(cursor).toBeGreaterThan(64 + (gapAtMs - 1000) * 0.05 - 3);
    expect(cursor).toBeLessThan(64 + gapAtMs * 0.05);
    expect(problems.errors).toEqual([]);
    await page.close();
  });

  it('"Download evidence" gives a zip with the event log, the WAVs, report.json and the support summary', async () => {
    const { page, problems } = await open('azure-target');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-testid=download-evidence]').click(),
    ]);
    expect(download.suggestedFilename()).toBe('evidence.zip');
    const file = join(root, 'downloaded.zip');
    await download.saveAs(file);
    const listing = execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).trim().split('\n').sort();
    expect(listing).toEqual([
      'events.jsonl',
      'prompt-1.wav',
      'prompt-2.wav',
      'prompt-3.wav',
      'report.json',
      'support-summary.txt',
      'turn-1.wav',
      'turn-2.wav',
      'turn-3.wav',
    ]);
    execFileSync('unzip', ['-tq', file]);
    const summary = execFileSync('unzip', ['-p', file, 'support-summary.txt'], { encoding: 'utf8' });
    for (const s of [
      'Session id: sess_SYNTH',
      'resp_1',
      'resp_2',
      'resp_3',
      'APIM request id (apim-request-id) apim-123',
      'Request id (x-request-id) req-456',
      'Client region: swedencentral',
      'Time window (UTC): 2026-01-01T00:00:00.000Z',
    ]) {
      expect(summary).toContain(s);
    }
    const report = JSON.parse(execFileSync('unzip', ['-p', file, 'report.json'], { encoding: 'utf8' })) as Report;
    expect(report.runId).toBe(target.report.runId);
    const wav = execFileSync('unzip', ['-p', file, 'turn-1.wav'], { maxBuffer: 10_000_000 });
    expect(wav.subarray(0, 4).toString()).toBe('RIFF');
    expect(wav.length).toBe(44 + target.trace.outputAudio.get(1)!.length);
    expect(problems.errors).toEqual([]);
    await page.close();
  });

  it('a configuration problem says what to fix and carries no support summary', async () => {
    const { page, problems } = await open('azure-wrong-key');
    expect(await page.locator('[data-testid=header]').getAttribute('data-kind')).toBe('configuration');
    const problem = await page.locator('[data-testid=configuration-problem]').textContent();
    expect(problem).toContain('The canary could not authenticate to example.openai.azure.com');
    expect(problem).toMatch(
      /What to fix: The key or token was refused: rotate the key .* Setting to fix: the target.s secretSetting/,
    );
    expect(await page.locator('[data-testid=support-summary]').count()).toBe(0);
    expect(await page.locator('[data-testid=copy-support]').count()).toBe(0);
    expect(await page.locator('[data-testid=no-support-summary]').isVisible()).toBe(true);
    expect(await page.locator('[data-testid=header]').textContent()).toContain('2, neither could run');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('[data-testid=download-evidence]').click(),
    ]);
    const file = join(root, 'config.zip');
    await download.saveAs(file);
    const listing = execFileSync('unzip', ['-Z1', file], { encoding: 'utf8' }).trim().split('\n').sort();
    expect(listing).toEqual(['events.jsonl', 'report.json', 'what-to-fix.txt']);
    await screenshot(page, 'report-configuration');
    expect(problems.errors).toEqual([]);
    await page.close();
  });
});
