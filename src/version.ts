/**
 * The installed package: its files, found from this module up (works from src/ and dist/src/), and its name and
 * version, read once from package.json.
 */
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The path of `relPath` in the nearest folder at or above this module's that holds it; undefined when none does. */
export function packageFile(relPath: string): string | undefined {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    const p = join(dir, relPath);
    if (existsSync(p)) return p;
    dir = dirname(dir);
  }
  return undefined;
}

function findPackageJson(): { name: string; version: string } {
  const p = packageFile('package.json');
  return p
    ? (JSON.parse(readFileSync(p, 'utf8')) as { name: string; version: string })
    : { name: 'realtime-canary', version: '0.0.0' };
}

const pkg = findPackageJson();
export const TOOL_NAME: string = pkg.name;
export const TOOL_VERSION: string = pkg.version;
