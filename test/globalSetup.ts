/**
 * Runs once before the test workers start: resolves (and, from the npm package, unpacks) the headless Chromium
 * the browser tests use, so two workers never unpack it at the same time. Workers inherit CHROMIUM_PATH.
 */
import { chromiumPath } from '../bench/chromium.js';

export default async function setup(): Promise<void> {
  process.env.CHROMIUM_PATH = await chromiumPath();
}
