/**
 * bench:dashboard — the fleet dashboard at full size: 7 days × 144 runs a day × T targets × R regions of synthetic
 * RunSummaries (default 10 × 2 = 20 rows, 20,160 runs). Prints the render time in TypeScript, the page size, and
 * the page's load-to-ready time in headless Chromium (see bench/chromium.ts, via playwright-core): navigation
 * start → two animation frames after the load event, i.e. parsed, scripted, laid out and painted. Target: < 2 s.
 *
 * Usage: npm run bench:dashboard [-- --targets T --regions R --loads N --chromium PATH]; KEEP=1 keeps the page and prints its folder.
 */
import { createServer } from 'node:http';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from './chromium.js';
import { renderDashboard } from '../src/report/dashboardHtml.js';
import { runPaths } from '../src/store/layout.js';
import type { RunSummary } from '../src/runSummary.js';

const { values } = parseArgs({
  options: {
    targets: { type: 'string', default: '10' },
    regions: { type: 'string', default: '2' },
    loads: { type: 'string', default: '5' },
    chromium: { type: 'string' },
  },
});
const TARGETS = Number(values.targets);
const REGIONS = Number(values.regions);
const LOADS = Number(values.loads);
const REGION_NAMES = ['swedencentral', 'eastus2', 'westeurope', 'japaneast', 'australiaeast', 'canadacentral'];

/** Deterministic synthetic summaries: every 10 minutes for 7 days, ~3 % failing, ~1 % error, a bad hour now and then. */
function synthesize(now: Date): RunSummary[] {
  let seed = 42;
  const rnd = (): number => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 2 ** 32;
  const out: RunSummary[] = [];
  const start = now.getTime() - 7 * 86_400_000;
  for (let slot = 0; slot < 7 * 144; slot++) {
    const roundAt = new Date(start + slot * 600_000 + 30_000);
    const runId = `${roundAt.toISOString().replace(/[-:]/g, '').slice(0, 13)}Z-${slot.toString(16).padStart(8, '0')}`;
    for (let r = 0; r < REGIONS; r++) {
      const region = REGION_NAMES[r % REGION_NAMES.length]! + (r >= REGION_NAMES.length ? `-${r}` : '');
      for (let t = 0; t < TARGETS; t++) {
        const baseline = t % 5 === 4;
        const target = baseline ? `openai-baseline-${Math.floor(t / 5)}` : `aoai-deployment-${t}`;
        const badHour = (slot + t * 37) % 300 < 6;
        const x = rnd();
        const verdict = badHour || x < 0.03 ? 'fail' : x < 0.04 ? 'error' : 'pass';
        const gap = verdict === 'fail' ? 1500 + Math.round(rnd() * 3000) : Math.round(rnd() * 400);
        const paths = runPaths(runId, roundAt, region, target);
        out.push({
          runId,
          startedAt: roundAt.toISOString(),
          durationMs: 18_000 + Math.round(rnd() * 4000),
          region,
          target,
          flavour: baseline ? 'openai-ga' : 'azure-ga',
          host: baseline ? 'api.openai.com' : `${target}.openai.azure.com`,
          deployment: 'gpt-realtime',
          group: `g${Math.floor(t / 5)}`,
          baseline,
          verdict,
          findingCodes: verdict === 'fail' ? ['silent_gap'] : verdict === 'error' ? ['connection_rejected'] : [],
          headline:
            verdict === 'fail'
              ? `Turn 2: ${(gap / 1000).toFixed(1)} s of silence at 4.1 s into the answer`
              : verdict === 'error'
                ? 'The upgrade was refused with HTTP 429'
                : undefined,
          turns: 3,
          failingTurns: verdict === 'pass' ? 0 : 1,
          longestGapMs: gap,
          coverage: verdict === 'fail' ? 0.8 : 0.99,
          timeToFirstAudioMs: 350 + Math.round(rnd() * 500) + (badHour ? 1500 : 0),
          sessionId: `sess_${slot}_${t}`,
          requestIds: { 'apim-request-id': `req-${slot}-${r}-${t}` },
          comparison: baseline
            ? undefined
            : `First audio ${Math.round(rnd() * 300)} ms slower than the baseline; no gaps on either.`,
          reportPath: paths.reportJson,
          reportHtmlPath: paths.reportHtml,
        });
      }
    }
  }
  return out;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;

const now = new Date('2026-11-24T12:00:00.000Z');
const summaries = synthesize(now);
console.log(
  `bench:dashboard — ${summaries.length.toLocaleString('en')} RunSummaries (7 days × 144 runs × ${TARGETS} targets ` +
    `× ${REGIONS} regions), node ${process.version}`,
);

const renders: number[] = [];
let html = '';
for (let i = 0; i < 5; i++) {
  const t0 = performance.now();
  html = renderDashboard(summaries, now);
  renders.push(performance.now() - t0);
}
const bytes = Buffer.byteLength(html);
console.log(`render (TypeScript): first ${renders[0]!.toFixed(0)} ms, median of 5 ${median(renders).toFixed(0)} ms`);
console.log(`page size: ${(bytes / 1024).toFixed(0)} KiB (${(gzipSync(html).length / 1024).toFixed(0)} KiB gzip)`);

const dir = await mkdtemp(join(tmpdir(), 'rc-bench-dashboard-'));
await writeFile(join(dir, 'index.html'), html);
const server = createServer((req, res) => {
  if (req.url !== '/index.html') return void res.writeHead(404).end();
  void readFile(join(dir, 'index.html')).then((body) =>
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(body),
  );
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as { port: number }).port;
const browser = await chromium.launch({
  executablePath: values.chromium ?? (await chromiumPath()),
  args: CHROMIUM_ARGS,
});
const ready: number[] = [];
const loads: number[] = [];
const errors: string[] = [];
try {
  for (let i = 0; i < LOADS; i++) {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${port}/index.html`, { waitUntil: 'load' });
    // A string, so this file needs no DOM types: two frames after the load event, in ms since navigation start.
    const t = (await page.evaluate(`new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(() =>
      resolve({ ready: performance.now(), load: performance.getEntriesByType('navigation')[0].loadEventEnd }))))`)) as {
      ready: number;
      load: number;
    };
    ready.push(t.ready);
    loads.push(t.load);
    await page.close();
  }
} finally {
  await browser.close();
  server.close();
  if (!process.env.KEEP) await rm(dir, { recursive: true, force: true });
  else console.log(dir);
}
const readyMs = median(ready);
console.log(
  `browser (Chromium ${browser.version()}), ${LOADS} loads: load event median ${median(loads).toFixed(0)} ms; ` +
    `load-to-ready median ${readyMs.toFixed(0)} ms, max ${Math.max(...ready).toFixed(0)} ms (target < 2000 ms)`,
);
if (errors.length) console.log(`console errors: ${errors.join(' | ')}`);
process.exitCode = readyMs < 2000 && errors.length === 0 ? 0 : 1;
