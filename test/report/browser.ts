/**
 * Browser-test plumbing: headless Chromium (the system's, or the one inside the @sparticuz/chromium package — see
 * bench/chromium.ts) driven by playwright-core (no browser download), a static file server
 * on 127.0.0.1, and a watcher that collects console errors, page errors and failed requests.
 */
import { createServer, type Server } from 'node:http';
import { mkdir, readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, chromiumPath } from '../../bench/chromium.js';

export const ARTIFACTS = join(process.cwd(), 'test-artifacts');

/**
 * Headless Chromium with networking side channels off, and without libfaketime: under `npm run test:future` it
 * slowed Chromium's threads to a crawl (a dashboard load took 43 s, at load average 20). The pages read the clock only
 * where a test sets it (openWatched's `now`), so the year ahead is still the Node side's.
 */
export async function launchChromium(): Promise<Browser> {
  const env: Record<string, string> = {};
  for (const [k, v] of Object.entries(process.env))
    if (v !== undefined && k !== 'LD_PRELOAD' && !k.startsWith('FAKETIME')) env[k] = v;
  return chromium.launch({ executablePath: await chromiumPath(), args: CHROMIUM_ARGS, env });
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.wav': 'audio/wav',
  '.json': 'application/json',
};

export interface StaticServer {
  url(path: string): string;
  /** Paths requested so far, with their query strings. */
  requests: string[];
  close(): Promise<void>;
}

/**
 * Serves `root` on 127.0.0.1. With `requireQuery`, files matching it are refused (403) unless the request carries
 * that query string — like Blob Storage refusing a sibling blob without the SAS.
 */
export async function serveDir(
  root: string,
  o: { requireQuery?: { files: RegExp; query: string } } = {},
): Promise<StaticServer> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname + url.search);
    const rel = normalize(decodeURIComponent(url.pathname)).replace(/^[/\\]+/, '');
    if (rel.startsWith('..')) return void res.writeHead(400).end();
    if (o.requireQuery && o.requireQuery.files.test(rel) && url.search !== o.requireQuery.query)
      return void res.writeHead(403).end();
    readFile(join(root, rel)).then(
      (body) => {
        const type = TYPES[extname(rel)] ?? 'application/octet-stream';
        // Byte ranges, as Blob Storage serves them: media elements need them to seek.
        const range = /^bytes=(\d*)-(\d*)$/.exec(req.headers.range ?? '');
        if (!range || (range[1] === '' && range[2] === ''))
          return void res
            .writeHead(200, { 'content-type': type, 'content-length': body.length, 'accept-ranges': 'bytes' })
            .end(body);
        const start = range[1] === '' ? Math.max(0, body.length - Number(range[2])) : Number(range[1]);
        const end = range[1] !== '' && range[2] !== '' ? Math.min(Number(range[2]), body.length - 1) : body.length - 1;
        if (start > end) return void res.writeHead(416, { 'content-range': `bytes */${body.length}` }).end();
        res
          .writeHead(206, {
            'content-type': type,
            'content-length': end - start + 1,
            'content-range': `bytes ${start}-${end}/${body.length}`,
            'accept-ranges': 'bytes',
          })
          .end(body.subarray(start, end + 1));
      },
      () => res.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: (path) => `http://127.0.0.1:${port}/${path.replace(/^\//, '')}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Problems a page reported: console errors, uncaught exceptions, failed or refused requests, dialogs. */
export interface PageProblems {
  errors: string[];
  dialogs: string[];
}

export function watch(page: Page): PageProblems {
  const p: PageProblems = { errors: [], dialogs: [] };
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') p.errors.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => p.errors.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => {
    // A media element that has read what it needs (preload="metadata") cancels the rest of its request, and
    // re-issues range requests when played: Chromium reports those cancellations as ERR_ABORTED. The tests check
    // that every player did load its WAV; a real failure also shows up as an HTTP status or another error text.
    if (r.resourceType() === 'media' && r.failure()?.errorText === 'net::ERR_ABORTED') return;
    p.errors.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) p.errors.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  page.on('dialog', (d) => {
    p.dialogs.push(d.message());
    void d.dismiss();
  });
  return p;
}

/** Saves a full-page screenshot under test-artifacts/ (git-ignored). */
/**
 * A new page at `url` with its problems watched from the first request on. `now`: the browser's clock reads this
 * (Date.now and new Date, fixed; timers keep running) — a dashboard judges staleness by it.
 */
export async function openWatched(
  browser: Browser,
  url: string,
  viewport: { width: number; height: number },
  o: { now?: Date } = {},
): Promise<{ page: Page; problems: PageProblems }> {
  const page = await browser.newPage({ viewport });
  const problems = watch(page);
  if (o.now) await page.clock.setFixedTime(o.now);
  await page.goto(url);
  return { page, problems };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}
