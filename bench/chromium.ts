/**
 * Where the headless Chromium for the browser tests and the dashboard benchmark comes from, so that
 * `npm install && npm test` is all a fresh machine needs: `CHROMIUM_PATH` when set, else the system's
 * `/usr/bin/chromium` when present, else the Chromium that ships inside the `@sparticuz/chromium` npm package
 * (unpacked once into the temp folder on first use; no download, no step outside `npm install`).
 */
import { existsSync } from 'node:fs';

const SYSTEM_CHROMIUM = '/usr/bin/chromium';

export async function chromiumPath(): Promise<string> {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  if (existsSync(SYSTEM_CHROMIUM)) return SYSTEM_CHROMIUM;
  const { default: packaged } = await import('@sparticuz/chromium');
  return packaged.executablePath();
}

/** Headless, no sandbox (root in CI), and every side channel that would try the closed network turned off. */
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
